import { SENTRY_API } from "./constants.js";

const config = {
  authToken: process.env.SENTRY_AUTH_TOKEN ?? "",
  org: process.env.SENTRY_ORG ?? "",
  baseUrl: (process.env.SENTRY_URL ?? SENTRY_API).replace(/\/$/, ""),
  debug: process.env.SENTRY_MCP_DEBUG === "1",
};

export default config;
