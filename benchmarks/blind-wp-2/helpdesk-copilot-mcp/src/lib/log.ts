type Level = "debug" | "info" | "warn" | "error";

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.LOG_LEVEL as Level) ?? "info"] ?? 20;

function write(level: Level, msg: string, data?: unknown): void {
  if (order[level] < threshold) return;
  const line = { time: new Date().toISOString(), level, msg, ...(data !== undefined ? { data } : {}) };
  process.stderr.write(JSON.stringify(line) + "\n");
}

export const mask = (value: string | undefined): string => (value ? `${value.slice(0, 4)}…` : "(unset)");

export const log = {
  debug: (msg: string, data?: unknown) => write("debug", msg, data),
  info: (msg: string, data?: unknown) => write("info", msg, data),
  warn: (msg: string, data?: unknown) => write("warn", msg, data),
  error: (msg: string, data?: unknown) => write("error", msg, data),
};
