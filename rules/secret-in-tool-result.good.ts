// The analytics hub again (TypeScript, low-level Server): handlers return query results,
// variable names, presence checks, masked values and non-secret settings. Credentials are
// used for upstream calls and stay there.

import { createHash } from "node:crypto";
import pg from "pg";
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

const pool = new pg.Pool({ ...warehouse, max: 4 });
const hashOf = (value: string): string => createHash("sha256").update(value).digest("hex").slice(0, 8);

const server = new Server({ name: "analytics-hub", version: "1.2.0" }, { capabilities: { tools: {}, resources: {}, prompts: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "env", description: "Show which variables are set", inputSchema: { type: "object", properties: {} } },
    { name: "warehouse_settings", description: "Show warehouse connection settings", inputSchema: { type: "object", properties: {} } },
    {
      name: "metrics",
      description: "Fetch a metric series",
      inputSchema: { type: "object", properties: { metric: { type: "string" } }, required: ["metric"] },
    },
    { name: "top_customers", description: "Top customers by revenue", inputSchema: { type: "object", properties: {} } },
    { name: "edge_secret", description: "Is the edge signing key configured?", inputSchema: { type: "object", properties: {} } },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
  switch (request.params.name) {
    case "env": {
      const names = Object.keys(typeof Deno !== "undefined" ? Deno.env.toObject() : process.env).sort();
      // ok (other rule or none expected here) secret-in-tool-result
      return { content: [{ type: "text", text: names.join("\n") }] };
    }
    case "warehouse_settings": {
      const { password, ...visible } = warehouse;
      return {
        // ok (other rule or none expected here) secret-in-tool-result
        content: [{ type: "text", text: JSON.stringify({ ...visible, passwordSet: password.length > 0, passwordHash: hashOf(password) }) }],
      };
    }
    case "metrics": {
      const metric = String(request.params.arguments?.metric ?? "signups");
      const res = await fetch(`https://metrics.internal.northwind-app.com/v1/${encodeURIComponent(metric)}`, {
        // ok (other rule or none expected here) secret-in-tool-result
        headers: { Authorization: `Bearer ${process.env.METRICS_ADMIN_TOKEN}` },
      });
      const series = (await res.json()) as { points: [string, number][] };
      // ok (other rule or none expected here) secret-in-tool-result
      return { content: [{ type: "text", text: series.points.map(([t, v]) => `${t}\t${v}`).join("\n") }] };
    }
    case "top_customers": {
      const { rows } = await pool.query("SELECT name, revenue FROM customers ORDER BY revenue DESC LIMIT 10");
      // ok (other rule or none expected here) secret-in-tool-result
      return { content: [{ type: "text", text: JSON.stringify(rows) }], structuredContent: { rows } };
    }
    case "edge_secret":
      return {
        content: [
          // ok (other rule or none expected here) secret-in-tool-result
          { type: "text", text: "Edge signing key: " + (Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ? "configured" : "missing") },
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
          // ok (other rule or none expected here) secret-in-tool-result
          text: `postgresql://${warehouse.user}:****@${warehouse.host}/${warehouse.database}`,
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
            // ok (other rule or none expected here) secret-in-tool-result
            text: `Explore ${metric}. Query it with: curl -H "Authorization: Bearer $METRICS_ADMIN_TOKEN" https://metrics.internal.northwind-app.com/v1/${metric}`,
          },
        },
      ],
    };
  }
  throw new Error(`unknown prompt ${request.params.name}`);
});

await server.connect(new StdioServerTransport());
