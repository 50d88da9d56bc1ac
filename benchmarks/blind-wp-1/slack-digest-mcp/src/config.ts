export interface Settings {
  botToken: string;
  teamId: string | undefined;
  digestWebhookUrl: string | undefined;
  defaultChannels: string[];
  maxMessages: number;
}

// Shown by the server when SLACK_BOT_TOKEN is missing.
// ok: hardcoded-secret
export const EXAMPLE_ENV = "SLACK_BOT_TOKEN=xoxb-your-bot-token SLACK_TEAM_ID=T0000000000";

export default function loadSettings(): Settings {
  return {
    botToken: process.env.SLACK_BOT_TOKEN ?? "",
    teamId: process.env.SLACK_TEAM_ID,
    digestWebhookUrl: process.env.DIGEST_WEBHOOK_URL,
    defaultChannels: (process.env.SLACK_DIGEST_CHANNELS ?? "").split(",").map((c) => c.trim()).filter(Boolean),
    maxMessages: Number(process.env.SLACK_DIGEST_MAX_MESSAGES ?? 200),
  };
}

/** Settings safe to print: secrets replaced by whether they are set. */
export function publicSettings(settings: Settings): Record<string, unknown> {
  const { botToken, digestWebhookUrl, ...rest } = settings;
  return { ...rest, botToken: botToken ? "set" : "missing", digestWebhook: digestWebhookUrl ? "configured" : "none" };
}
