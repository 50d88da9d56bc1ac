const SECRET_KEY = /(token|secret|password|authorization|cookie|dsn)/i;

export function redact(value) {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? (v ? "[redacted]" : v) : redact(v)]),
    );
  }
  return value;
}

export function createLogger(name, { debug = false } = {}) {
  const write = (level, msg, meta) => {
    const suffix = meta === undefined ? "" : " " + JSON.stringify(redact(meta));
    console.error(`${new Date().toISOString()} ${level} [${name}] ${msg}${suffix}`);
  };
  return {
    info: (msg, meta) => write("INFO", msg, meta),
    warn: (msg, meta) => write("WARN", msg, meta),
    error: (msg, meta) => write("ERROR", msg, meta),
    debug: (msg, meta) => (debug ? write("DEBUG", msg, meta) : undefined),
  };
}
