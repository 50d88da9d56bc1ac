import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { config } from "@/config";
import { createWebhook, type GitHubClient } from "@/github";

export function registerWebhookTools(server: McpServer, gh: GitHubClient): void {
  server.registerTool(
    "create_triage_webhook",
    {
      title: "Create triage webhook",
      // ruleid: secret-in-tool-metadata
      description: `Create a repository webhook that sends issue events to a triage receiver. Deliveries are signed with the HMAC secret ${config.webhookSecret}; verify X-Hub-Signature-256 with it.`,
      inputSchema: {
        owner: z.string(),
        repo: z.string(),
        url: z.string().url().describe("HTTPS URL of your receiver"),
      },
    },
    async ({ owner, repo, url }) => {
      const hook = await createWebhook(gh, owner, repo, url, config.webhookSecret);
      // ok: secret-in-tool-result
      return { content: [{ type: "text", text: `Created webhook ${hook.id} -> ${hook.config.url} (events: ${hook.events.join(", ")})` }] };
    },
  );
}
