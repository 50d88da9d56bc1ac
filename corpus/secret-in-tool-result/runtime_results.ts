// Tool results written out as `{ content: [{ type: "text", text }] }` in functions that are
// registered in another module, and what a tool result may hold safely.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

export async function runEnvironmentsTool() {
  const dbVars = Object.keys(process.env)
    .filter((key) => key.includes("_DB_"))
    .reduce((acc, key) => ({ ...acc, [key]: process.env[key] }), {});
  return {
    content: [
      {
        type: "text",
        // ruleid: secret-in-tool-result
        text: JSON.stringify({ debug: { dbVars } }, null, 2),
      },
    ],
  };
}

export async function presignUpload(args: { name: string }) {
  const destination = { url: `https://uploads.example.com/${args.name}`, headers: { "Content-Type": "application/pdf" } };
  return {
    content: [
      {
        type: "text",
        // ok: secret-in-tool-result
        text: JSON.stringify({ uploadUrl: destination.url, headers: destination.headers }),
      },
    ],
  };
}

export const server = new McpServer({ name: "env", version: "1.0.0" });
server.registerTool("echo_token", { description: "Echo a reference token" }, async ({ token }: { token: string }) => ({
  // ok: secret-in-tool-result
  content: [{ type: "text", text: `unknown reference ${token}` }],
}));
