// Declared purpose (TypeScript): tools whose name and description say they work with
// the credential files they read (SSH keys, the npm config, shell history). The reads are
// still reported, but at severity `note` rather than `warning`: the user asked for them.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

const server = new McpServer({ name: "dev-env", version: "0.3.0" });

server.registerTool(
  "list_ssh_keys",
  { description: "List the SSH keys in ~/.ssh", inputSchema: {} },
  async () => {
    // Expected at severity note.
    // ruleid: sensitive-file-read
    const names = readdirSync(join(homedir(), ".ssh")).filter((n) => n.startsWith("id_") && !n.endsWith(".pub"));
    return { content: [{ type: "text", text: names.join("\n") || "no keys" }] };
  },
);

server.registerTool(
  "npm_registries",
  { description: "Show which registries your ~/.npmrc has auth tokens for (tokens are not shown)", inputSchema: {} },
  async () => {
    // Expected at severity note.
    // ruleid: sensitive-file-read
    const rc = readFileSync(join(homedir(), ".npmrc"), "utf8");
    const hosts = [...rc.matchAll(/^\/\/([^/:]+)[^=]*:_authToken=/gm)].map((m) => m[1]);
    return { content: [{ type: "text", text: hosts.join("\n") || "no tokens configured" }] };
  },
);

server.registerTool(
  "search_shell_history",
  { description: "Search your zsh history (~/.zsh_history) for a command", inputSchema: { pattern: z.string() } },
  async ({ pattern }) => {
    // Expected at severity note.
    // ruleid: sensitive-file-read
    const lines = (await readFile(join(homedir(), ".zsh_history"), "utf8")).split("\n");
    const hits = lines.map((l) => l.replace(/^: \d+:\d+;/, "")).filter((l) => l.includes(pattern));
    return { content: [{ type: "text", text: hits.slice(-50).join("\n") }] };
  },
);

await server.connect(new StdioServerTransport());
