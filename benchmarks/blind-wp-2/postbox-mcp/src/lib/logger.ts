import pino from "pino";

// stdout carries the MCP protocol, so every log line goes to stderr.
export const logger = pino(
  { name: "postbox-mcp", level: process.env.LOG_LEVEL ?? "info" },
  pino.destination(2),
);

export function debug(message: string, data?: unknown): void {
  logger.debug({ data }, message);
}
