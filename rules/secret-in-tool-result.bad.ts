// A low-level MCP server (TypeScript) whose tools/call, resources/read and prompts/get
// handlers return credentials: the environment, a settings object, a token minted from a
// secret, a literal fallback key and a Deno-side secret.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  GetPromptRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

declare const Deno: { env: { get(name: string): string | undefined; toObject(): Record<string, string> } };

interface WarehouseSettings {
  host: string;
  database: string;
  user: string;
  password: string;
}

const warehouse: WarehouseSettings = {
  host: process.env.PGHOST ?? "warehouse.internal",
  database: process.env.PGDATABASE ?? "analytics",
  user: process.env.PGUSER ?? "readonly",
  password: process.env.PGPASSWORD ?? "",
};

// Shared key for the internal metrics API; "only reachable from the VPN".
const METRICS_API_KEY = "QyOiqjMvlMwQU5ju6m8XRFtIcAmxW3xz";

function metricsKey(): string {
  return process.env["METRICS_API_KEY"] ?? METRICS_API_KEY;
}

const server = new Server({ name: "analytics-hub", version: "1.2.0" }, { capabilities: { tools: {}, resources: {}, prompts: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "env", description: "Show the runtime environment", inputSchema: { type: "object", properties: {} } },
    { name: "warehouse_settings", description: "Show warehouse connection settings", inputSchema: { type: "object", properties: {} } },
    { name: "metrics_curl", description: "A curl command for the metrics API", inputSchema: { type: "object", properties: {} } },
    { name: "edge_secret", description: "Show the edge function configuration", inputSchema: { type: "object", properties: {} } },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
  switch (request.params.name) {
    case "env": {
      const snapshot = typeof Deno !== "undefined" ? Deno.env.toObject() : { ...process.env };
      // ruleid: secret-in-tool-result
      return { content: [{ type: "text", text: JSON.stringify(snapshot, null, 2) }] };
    }
    case "warehouse_settings":
      return {
        // ruleid: secret-in-tool-result
        content: [{ type: "text", text: JSON.stringify(warehouse) }],
      };
    case "metrics_curl": {
      const cmd = [
        "curl",
        "-H",
        // todoruleid: secret-in-tool-result
        `'X-Api-Key: ${metricsKey()}'`,
        "https://metrics.internal.northwind-app.com/v1/query",
      ].join(" ");
      return { content: [{ type: "text", text: cmd }] };
    }
    case "edge_secret":
      return {
        content: [
          // ruleid: secret-in-tool-result
          { type: "text", text: "Edge functions sign requests with " + Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") },
        ],
      };
    default:
      return { isError: true, content: [{ type: "text", text: `unknown tool ${request.params.name}` }] };
  }
});

server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
  if (request.params.uri === "warehouse://dsn") {
    return {
      contents: [
        {
          uri: request.params.uri,
          mimeType: "text/plain",
          // ruleid: secret-in-tool-result
          text: `postgresql://${warehouse.user}:${warehouse.password}@${warehouse.host}/${warehouse.database}`,
        },
      ],
    };
  }
  throw new Error(`unknown resource ${request.params.uri}`);
});

server.setRequestHandler(GetPromptRequestSchema, async (request) => {
  if (request.params.name === "explore_metrics") {
    const metric = request.params.arguments?.metric ?? "signups";
    return {
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            // ruleid: secret-in-tool-result
            text: `Explore ${metric}. Query it with: curl -H "Authorization: Bearer ${process.env.METRICS_ADMIN_TOKEN}" https://metrics.internal.northwind-app.com/v1/${metric}`,
          },
        },
      ],
    };
  }
  throw new Error(`unknown prompt ${request.params.name}`);
});

await server.connect(new StdioServerTransport());
