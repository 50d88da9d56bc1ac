#!/usr/bin/env node
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { config } from "@/config";
import { logger } from "./logger.js";
import { createServer } from "./server.js";

async function main(): Promise<void> {
  if (!process.env.GITHUB_TOKEN) {
    logger.warn("GITHUB_TOKEN is not set; using the shared bot token (low rate limit)");
  }
  // ok: secret-logging
  logger.info("configuration", { apiBase: config.apiBase, tokenSet: Boolean(config.githubToken), openai: config.openaiKey ? "configured" : "missing" });
  // ruleid: secret-logging
  logger.debug("full configuration", config);
  const server = createServer();
  await server.connect(new StdioServerTransport());
  logger.info("github-triage MCP server running on stdio");
}

main().catch((err) => {
  logger.error("fatal", { message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
