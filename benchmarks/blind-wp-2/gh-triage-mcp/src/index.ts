#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { config } from "./config.js";
import { NAME, VERSION } from "./constants.js";
import { GitHubClient } from "@/github/client";
import { logger } from "@/lib/logger";
import { registerAuthTool } from "./tools/auth.js";
import { registerIssueTools } from "./tools/issues.js";

if (!process.env.GITHUB_TOKEN && !process.env.GITHUB_PERSONAL_ACCESS_TOKEN) {
  logger.error("GITHUB_TOKEN (or GITHUB_PERSONAL_ACCESS_TOKEN) is not set");
  process.exit(1);
}

const { token: _token, ...visibleConfig } = config;
// ok: secret-logging
logger.info({ config: visibleConfig }, "starting gh-triage-mcp");

const gh = new GitHubClient(config.apiBase, config.token);
// ok: secret-in-system-prompt
const server = new McpServer({ name: NAME, version: VERSION }, { instructions: `Triage GitHub issues${config.defaultRepo ? ` (default repository ${config.defaultRepo})` : ""}. Label before commenting.` });
registerIssueTools(server, gh);
registerAuthTool(server, gh);

await server.connect(new StdioServerTransport());
