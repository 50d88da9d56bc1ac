import type { SlackMessage } from "./slack/index.js";

export default function buildDigest(channel: string, messages: SlackMessage[]): string {
  if (messages.length === 0) return `#${channel}: no new messages.`;
  const users = new Set(messages.map((m) => m.user).filter(Boolean));
  const threads = messages.filter((m) => m.thread_ts && m.thread_ts === m.ts).length;
  const lines = messages
    .slice(0, 20)
    .reverse()
    .map((m) => `• <@${m.user ?? "bot"}> ${m.text.replace(/\s+/g, " ").slice(0, 200)}`);
  return [`#${channel}: ${messages.length} messages from ${users.size} people, ${threads} threads`, ...lines].join("\n");
}

/** Post a digest to the incoming webhook the user configured (DIGEST_WEBHOOK_URL). */
export async function deliver(webhookUrl: string, text: string): Promise<number> {
  // ok: exfiltration-to-hardcoded-endpoint
  const res = await fetch(webhookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
  return res.status;
}
