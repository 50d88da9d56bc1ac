#!/usr/bin/env node
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import loadSettings, { EXAMPLE_ENV, publicSettings } from "./config.js";
import { log, mask } from "./log.js";
import { createServer } from "./server.js";
import { createSlackApi } from "./slack/index.js";

async function main(): Promise<void> {
  const settings = loadSettings();
  if (!settings.botToken) {
    log.error(`SLACK_BOT_TOKEN is not set. Example: ${EXAMPLE_ENV}`);
    process.exit(1);
  }
  // ok: secret-logging
  log.info("settings", publicSettings(settings));
  // ok: secret-logging
  log.info("slack client", { token: mask(settings.botToken), team: settings.teamId });
  const server = createServer(settings, createSlackApi(settings.botToken));
  await server.connect(new StdioServerTransport());
}

main().catch((err: unknown) => {
  log.error("fatal", { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
