import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GitHubClient } from "@/github/client";
import { config } from "../config.js";
import { fingerprint, mask } from "@/lib/mask";

export function registerAuthTool(server: McpServer, gh: GitHubClient): void {
  server.registerTool(
    "auth_status",
    { title: "Auth status", description: "Which GitHub account and token scopes the server is using", inputSchema: {} },
    async () => {
      const viewer = await gh.viewer();
      const status = { login: viewer.login, scopes: viewer.scopes, authType: "personal-access-token", token_type: "bearer", tokenPreview: mask(config.token), tokenSha256: fingerprint(config.token) };
      // ok: secret-in-tool-result
      return { content: [{ type: "text", text: JSON.stringify(status, null, 2) }] };
    },
  );
}
