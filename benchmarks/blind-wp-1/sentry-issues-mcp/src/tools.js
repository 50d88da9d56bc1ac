import { DEFAULT_LIMIT } from "./constants.js";

export const TOOLS = [
  {
    name: "list_issues",
    description: "List unresolved issues of a Sentry project, most recent first.",
    inputSchema: {
      type: "object",
      properties: {
        project: { type: "string", description: "Project slug" },
        query: { type: "string", description: "Sentry search query", default: "is:unresolved" },
        limit: { type: "number", default: DEFAULT_LIMIT },
      },
      required: ["project"],
    },
  },
  {
    name: "latest_event",
    description: "Show the stack trace of the latest event of an issue.",
    inputSchema: { type: "object", properties: { issueId: { type: "string" } }, required: ["issueId"] },
  },
  {
    name: "connection_status",
    // ok: secret-in-tool-metadata
    description: "Check the connection to Sentry. The server authenticates with SENTRY_AUTH_TOKEN (needs project:read).",
    inputSchema: { type: "object", properties: {} },
  },
];
