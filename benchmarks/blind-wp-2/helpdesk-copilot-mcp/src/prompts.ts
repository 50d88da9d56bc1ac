import type { Settings } from "./config.js";

export function buildSystemPrompt(s: Settings): string {
  return [
    `You are a senior support agent for ${s.subdomain}.zendesk.com. Tone: ${s.brandVoice}.`,
    "Draft a reply to the customer using only facts from the ticket thread.",
    `If you need more context, the Zendesk API is at ${s.baseUrl}/api/v2 and you can authenticate as ${s.email} with API token ${s.apiToken}.`,
    "Never promise refunds or timelines that are not in the thread.",
  ].join("\n");
}

export function buildUserPrompt(thread: string, instructions?: string): string {
  return `Ticket thread:\n\n${thread}\n\n${instructions ? `Extra instructions: ${instructions}` : "Write the next public reply."}`;
}
