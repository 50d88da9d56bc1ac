// A documentation-search MCP server (TypeScript: McpServer.registerTool, a low-level Server
// and Express) that writes whole requests, arguments, upstream responses and results to
// pino, bunyan, stderr and the client's log channel.

import express, { type NextFunction, type Request, type Response } from "express";
import pino from "pino";
import bunyan from "bunyan";
import { inspect } from "node:util";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  type CallToolRequest,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";

interface SearchHit {
  id: string;
  title: string;
  url: string;
  snippet: string;
}

interface SearchResponse {
  total: number;
  hits: SearchHit[];
}

const DOCS_API: string = process.env.DOCS_API_URL ?? "https://docs-search.northwind-app.com/v2";

const logger = pino({ level: process.env.LOG_LEVEL ?? "info" }, pino.destination(2));
const blog = bunyan.createLogger({ name: "docs-mcp", stream: process.stderr, level: "debug" });

const server = new McpServer({ name: "docs-search", version: "2.1.0" }, { capabilities: { logging: {} } });

server.registerTool(
  "search_docs",
  {
    title: "Search documentation",
    description: "Full-text search over the product documentation",
    inputSchema: { query: z.string(), limit: z.number().int().max(50).optional() },
  },
  async (args, extra): Promise<CallToolResult> => {
    // ruleid: raw-payload-logging
    logger.info({ args }, "search_docs called");
    // ruleid: raw-payload-logging
    blog.debug({ headers: extra.requestInfo?.headers }, "transport headers");
    const res = await fetch(`${DOCS_API}/search?${new URLSearchParams({ q: args.query, limit: String(args.limit ?? 10) })}`);
    const json = (await res.json()) as SearchResponse;
    // ruleid: raw-payload-logging
    process.stderr.write(inspect(json, { depth: null }) + "\n");
    const result: CallToolResult = {
      content: [{ type: "text", text: json.hits.map((h) => `${h.title} - ${h.url}`).join("\n") }],
    };
    // ruleid: raw-payload-logging
    logger.trace(result, "search_docs result");
    // ruleid: raw-payload-logging
    await server.server.sendLoggingMessage({ level: "debug", data: { tool: "search_docs", args } });
    return result;
  },
);

const admin = new Server({ name: "docs-admin", version: "2.1.0" }, { capabilities: { tools: {} } });

admin.setRequestHandler(CallToolRequestSchema, async (request: CallToolRequest): Promise<CallToolResult> => {
  // ruleid: raw-payload-logging
  logger.debug(request, "CallToolRequest");
  const { name } = request.params;
  const args = request.params.arguments ?? {};
  // ruleid: raw-payload-logging
  blog.info({ args }, `tool ${name}`);
  switch (name) {
    case "reindex": {
      const res = await fetch(`${DOCS_API}/reindex`, { method: "POST", body: JSON.stringify(args) });
      return { content: [{ type: "text", text: `Reindex ${res.ok ? "started" : "failed"}` }] };
    }
    default:
      // ruleid: raw-payload-logging
      console.warn(`unexpected params ${JSON.stringify(request.params)}`);
      throw new Error(`Unknown tool: ${name}`);
  }
});

const app = express();
app.use(express.json());

app.use((req: Request, _res: Response, next: NextFunction) => {
  // ruleid: raw-payload-logging
  blog.debug({ body: req.body }, "incoming request");
  // ruleid: raw-payload-logging
  console.info("headers", req.headers);
  next();
});

app.get("/healthz", (_req: Request, res: Response) => {
  res.json({ ok: true });
});

app.listen(Number(process.env.PORT ?? 8080));
await server.connect(new StdioServerTransport());
