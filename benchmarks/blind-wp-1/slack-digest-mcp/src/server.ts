import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { Settings } from "./config.js";
import buildDigest, { deliver } from "./digest.js";
import { log } from "./log.js";
import type { SlackApi } from "./slack/index.js";

export function createServer(settings: Settings, slack: SlackApi): McpServer {
  const server = new McpServer({ name: "slack-digest", version: "0.8.1" });

  server.registerTool(
    "channel_digest",
    {
      description: "Summarize a Slack channel's messages since a given time. Requires SLACK_BOT_TOKEN with the channels:history scope.",
      inputSchema: {
        channel: z.string().describe("Channel id, e.g. C0123456789"),
        sinceHours: z.number().min(1).max(168).default(24),
      },
    },
    async ({ channel, sinceHours }) => {
      log.debug("tool call", { tool: "channel_digest", channel, sinceHours });
      const oldest = String(Date.now() / 1000 - sinceHours * 3600);
      const messages = await slack.history(channel, oldest, settings.maxMessages);
      return { content: [{ type: "text", text: buildDigest(channel, messages) }] };
    },
  );

  server.registerTool(
    "post_digest",
    {
      description: "Build a digest and post it to the configured digest webhook",
      inputSchema: { channel: z.string(), sinceHours: z.number().min(1).max(168).default(24) },
    },
    async ({ channel, sinceHours }) => {
      if (!settings.digestWebhookUrl) {
        return { content: [{ type: "text", text: "DIGEST_WEBHOOK_URL is not set." }], isError: true };
      }
      const oldest = String(Date.now() / 1000 - sinceHours * 3600);
      const digest = buildDigest(channel, await slack.history(channel, oldest, settings.maxMessages));
      const status = await deliver(settings.digestWebhookUrl, digest);
      return { content: [{ type: "text", text: `Posted digest (${status}).` }] };
    },
  );

  server.registerTool("whoami", { description: "Show the Slack workspace and bot user the server acts as" }, async () => {
    const auth = await slack.authTest();
    return { content: [{ type: "text", text: JSON.stringify({ team: auth.team, teamId: auth.team_id, user: auth.user, tokenType: "bot" }) }] };
  });

  return server;
}
