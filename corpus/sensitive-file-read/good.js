// MCP tools (JavaScript, McpServer.tool) that read only what they should: their own
// README, config and .env, the app's own settings and log under the home directory,
// paths the caller passes in, a public key and known_hosts, existence and permission
// checks on a private key, and help text that merely names credential files.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import dotenv from "dotenv";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// ok: sensitive-file-read
dotenv.config({ path: path.join(here, ".env") });
// ok: sensitive-file-read
const config = JSON.parse(fs.readFileSync("config.json", "utf8"));

const appDir = path.join(os.homedir(), ".snippet-mcp");
const server = new McpServer({ name: "snippet-box", version: config.version ?? "0.0.0" });
const reply = (text) => ({ content: [{ type: "text", text }] });

function log(line) {
  fs.mkdirSync(appDir, { recursive: true });
  // ok: sensitive-file-read
  fs.appendFileSync(path.join(appDir, "server.log"), `${new Date().toISOString()} ${line}\n`);
}

function settings() {
  const p = path.join(appDir, "settings.json");
  // ok: sensitive-file-read
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, "utf8")) : { maxResults: 20 };
}

server.tool("about", "Show this server's README", {}, async () => {
  // ok: sensitive-file-read
  return reply(fs.readFileSync(path.join(here, "README.md"), "utf8"));
});

server.tool("open_file", "Read a text file at a path you choose", { path: z.string() }, async ({ path: p }) => {
  log(`open_file ${p.length} chars`);
  // ok: sensitive-file-read
  const body = await fsp.readFile(p, "utf8");
  return reply(body.slice(0, 50000));
});

server.tool("list_snippets", "List saved snippets", {}, async () => {
  // ok: sensitive-file-read
  const names = fs.readdirSync(path.join(appDir, "snippets")).filter((n) => n.endsWith(".md"));
  return reply(names.slice(0, settings().maxResults).join("\n"));
});

server.tool("git_ssh_check", "Check that SSH is ready for git", {}, async () => {
  const key = path.join(os.homedir(), ".ssh", "id_ed25519");
  // Existence and mode only.
  // ok: sensitive-file-read
  if (!fs.existsSync(key)) return reply("no SSH key: run ssh-keygen -t ed25519");
  // ok: sensitive-file-read
  const mode = fs.statSync(key).mode & 0o777;
  // The public half.
  // ok: sensitive-file-read
  const pub = fs.readFileSync(`${key}.pub`, "utf8").trim();
  // ok: sensitive-file-read
  const knownGithub = fs.readFileSync(path.join(os.homedir(), ".ssh", "known_hosts"), "utf8").includes("github.com");
  return reply(`key mode ${mode.toString(8)}${mode === 0o600 ? "" : " (should be 600)"}; github known: ${knownGithub}\n${pub}`);
});

server.tool(
  "aws_help",
  // ok: sensitive-file-read
  "Explain how to configure AWS access. The AWS SDK reads ~/.aws/credentials on its own; this tool does not.",
  { profile: z.string().optional() },
  async ({ profile }) => {
    // ok: sensitive-file-read
    return reply(`Put a [${profile ?? "default"}] section in ~/.aws/credentials, or set AWS_PROFILE.`);
  },
);

await server.connect(new StdioServerTransport());
