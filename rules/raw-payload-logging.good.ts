// The documentation-search server again (TypeScript), logging only what is safe to keep:
// argument fields the operator needs, counts, ids, timings, status codes and error messages.

import express, { type NextFunction, type Request, type Response } from "express";
import pino from "pino";
import bunyan from "bunyan";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  type CallToolRequest,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";

interface SearchResponse {
  total: number;
  hits: { id: string; title: string; url: string }[];
}

const DOCS_API: string = process.env.DOCS_API_URL ?? "https://docs-search.northwind-app.com/v2";

const logger = pino({ level: process.env.LOG_LEVEL ?? "info" }, pino.destination(2));
const blog = bunyan.createLogger({ name: "docs-mcp", stream: process.stderr });

function redactArgs(args: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(args).map((k) => [k, "[redacted]"]));
}

const server = new McpServer({ name: "docs-search", version: "2.1.0" }, { capabilities: { logging: {} } });

server.registerTool(
  "search_docs",
  {
    title: "Search documentation",
    description: "Full-text search over the product documentation",
    inputSchema: { query: z.string(), limit: z.number().int().max(50).optional() },
  },
  async ({ query, limit }, extra): Promise<CallToolResult> => {
    // ok (other rule or none expected here) raw-payload-logging
    logger.info({ query, limit, requestId: extra.requestId }, "search_docs called");
    const started = performance.now();
    const res = await fetch(`${DOCS_API}/search?${new URLSearchParams({ q: query, limit: String(limit ?? 10) })}`);
    // ok (other rule or none expected here) raw-payload-logging
    blog.info({ status: res.status, ms: Math.round(performance.now() - started) }, "upstream");
    const json = (await res.json()) as SearchResponse;
    // ok (other rule or none expected here) raw-payload-logging
    await server.server.sendLoggingMessage({ level: "info", data: `search returned ${json.total} hits` });
    const result: CallToolResult = { content: json.hits.map((h) => ({ type: "text" as const, text: h.url })) };
    // ok (other rule or none expected here) raw-payload-logging
    logger.debug({ blocks: result.content.length }, "search_docs result");
    return result;
  },
);

const admin = new Server({ name: "docs-admin", version: "2.1.0" }, { capabilities: { tools: {} } });

admin.setRequestHandler(CallToolRequestSchema, async (request: CallToolRequest): Promise<CallToolResult> => {
  const args = request.params.arguments ?? {};
  // ok (other rule or none expected here) raw-payload-logging
  logger.info({ tool: request.params.name, argc: Object.keys(args).length }, "CallToolRequest");
  // ok (other rule or none expected here) raw-payload-logging
  logger.debug({ args: redactArgs(args) }, "arguments");
  try {
    // ok (other rule or none expected here) raw-payload-logging
    const res = await fetch(`${DOCS_API}/reindex`, { method: "POST", body: JSON.stringify(args) });
    return { content: [{ type: "text", text: `Reindex ${res.ok ? "started" : "failed"}` }] };
  } catch (error) {
    // ok (other rule or none expected here) raw-payload-logging
    console.error("Error executing tool:", error instanceof Error ? error.message : String(error));
    return { isError: true, content: [{ type: "text", text: "Reindex failed" }] };
  }
});

const app = express();
app.use(express.json());

app.use((req: Request, res: Response, next: NextFunction) => {
  // ok (other rule or none expected here) raw-payload-logging
  blog.debug({ method: req.method, path: req.path, contentLength: req.get("content-length") }, "incoming request");
  next();
});

app.post("/validate", (req: Request, res: Response) => {
  // ok (other rule or none expected here) raw-payload-logging
  res.status(400).json({ error: "schema mismatch", received: req.body });
});

app.listen(Number(process.env.PORT ?? 8080));
await server.connect(new StdioServerTransport());
