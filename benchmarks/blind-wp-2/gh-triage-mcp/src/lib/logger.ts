import pino from "pino";

export const logger = pino(
  {
    name: "gh-triage",
    level: process.env.LOG_LEVEL ?? "info",
    redact: {
      paths: ["headers.authorization", "headers.Authorization", "*.headers.authorization", "*.headers.Authorization", "token", "*.token"],
      censor: "[redacted]",
    },
  },
  pino.destination(2),
);
