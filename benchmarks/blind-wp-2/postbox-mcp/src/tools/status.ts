import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import config from "../config.js";
import { VERSION } from "../constants.js";

export function registerStatus(server: McpServer): void {
  server.registerTool(
    "postbox_status",
    { title: "Server status", description: "Show which sender and message stream the server uses", inputSchema: {} },
    async () => {
      const status = {
        version: VERSION,
        sender: config.defaultSender || "(not set)",
        messageStream: config.messageStream,
        tokenConfigured: Boolean(config.serverToken),
      };
      // ok: secret-in-tool-result
      return { content: [{ type: "text", text: JSON.stringify(status, null, 2) }] };
    },
  );
}
