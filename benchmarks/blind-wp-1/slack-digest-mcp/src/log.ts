import { createHash } from "node:crypto";

type Fields = Record<string, unknown>;

function write(level: string, msg: string, fields?: Fields): void {
  const entry = { level, time: new Date().toISOString(), msg, ...fields };
  process.stderr.write(JSON.stringify(entry) + "\n");
}

export const log = {
  debug: (msg: string, fields?: Fields) => (process.env.DEBUG ? write("debug", msg, fields) : undefined),
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
};

export function mask(value: string | undefined): string {
  if (!value) return "<unset>";
  return value.length <= 8 ? "****" : `${value.slice(0, 4)}…${value.slice(-2)}`;
}

export function fingerprint(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 10);
}
