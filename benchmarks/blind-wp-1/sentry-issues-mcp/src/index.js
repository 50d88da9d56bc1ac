#!/usr/bin/env node
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

import config from "./config.js";
import { HELP } from "./constants.js";
import { handlers } from "./handlers.js";
import { createLogger, redact } from "./logger.js";
import { SentryClient } from "./sentry.js";
import { TOOLS } from "./tools.js";

const logger = createLogger("sentry-issues", { debug: config.debug });

if (!config.authToken || !config.org) {
  console.error(HELP);
  process.exit(1);
}

const client = new SentryClient({ token: config.authToken, baseUrl: config.baseUrl });
const server = new Server({ name: "sentry-issues", version: "0.5.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args = {} } = request.params;
  logger.info("CallTool", { tool: name, argNames: Object.keys(args) });
  // ok: raw-payload-logging
  logger.debug("CallTool arguments", redact(args));
  const handler = handlers[name];
  if (!handler) {
    throw new Error(`Unknown tool: ${name}`);
  }
  return handler(client, args);
});

// ok: secret-logging
logger.info("starting", { baseUrl: config.baseUrl, org: config.org, authToken: config.authToken });

await server.connect(new StdioServerTransport());
