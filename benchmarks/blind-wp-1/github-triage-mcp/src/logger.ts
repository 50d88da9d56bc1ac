// stdio transport: stdout belongs to the protocol, so logs go to stderr.
type Level = "debug" | "info" | "warn" | "error";

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = ORDER[(process.env.LOG_LEVEL as Level) ?? "info"] ?? ORDER.info;

export function log(level: Level, msg: string, data?: unknown): void {
  if (ORDER[level] < threshold) return;
  const suffix = data === undefined ? "" : ` ${JSON.stringify(data)}`;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}${suffix}\n`);
}

export const logger = {
  debug: (msg: string, data?: unknown) => log("debug", msg, data),
  info: (msg: string, data?: unknown) => log("info", msg, data),
  warn: (msg: string, data?: unknown) => log("warn", msg, data),
  error: (msg: string, data?: unknown) => log("error", msg, data),
};
