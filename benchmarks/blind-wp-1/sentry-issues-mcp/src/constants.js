export const SENTRY_API = "https://sentry.io/api/0";
export const USER_AGENT = "sentry-issues-mcp/0.5.0";
export const DEFAULT_LIMIT = 25;

export const HELP = [
  "Usage: sentry-issues-mcp",
  "Environment:",
  // ok: hardcoded-secret
  "  SENTRY_AUTH_TOKEN=<TOKEN>   user auth token with project:read and event:read",
  "  SENTRY_ORG=<org-slug>",
  "  SENTRY_URL=https://sentry.example.com/api/0   (self-hosted only)",
].join("\n");
