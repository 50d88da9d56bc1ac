"use strict";

const winston = require("winston");

const SENSITIVE = new Set(["authorization", "cookie", "x-api-key", "pass", "password", "apikey"]);

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SENSITIVE.has(key.toLowerCase())) info[key] = "[redacted]";
  }
  if (info.headers && typeof info.headers === "object") {
    info.headers = Object.fromEntries(
      Object.entries(info.headers).map(([k, v]) => [k, SENSITIVE.has(k.toLowerCase()) ? "[redacted]" : v]),
    );
  }
  return info;
});

const logger = winston.createLogger({
  level: process.env.LOG_LEVEL || "info",
  format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Stream({ stream: process.stderr })],
});

module.exports = logger;
