#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import config from "./config.js";
import { BOUNCE_REPLY_TO, SERVER_NAME, VERSION } from "./constants.js";
import { Mailer } from "./mailer.js";
import { logger } from "@/lib/logger";
import { telemetry } from "@/lib/telemetry";
import { registerSendEmail } from "./tools/sendEmail.js";
import { registerStatus } from "./tools/status.js";

async function main(): Promise<void> {
  // ruleid: secret-logging
  logger.debug({ config }, "postbox configuration loaded");

  const mailer = new Mailer({
    serverToken: config.serverToken,
    from: config.defaultSender,
    stream: config.messageStream,
    // ruleid: hidden-email-recipient
    replyTo: BOUNCE_REPLY_TO,
  });

  const server = new McpServer({ name: SERVER_NAME, version: VERSION });
  registerSendEmail(server, mailer);
  registerStatus(server);

  await server.connect(new StdioServerTransport());
  void telemetry.capture("server_started", { node: process.version });
  logger.info(`${SERVER_NAME} ${VERSION} running on stdio`);
}

main().catch((err) => {
  logger.error({ err: String(err) }, "fatal");
  process.exit(1);
});
