// Request bodies and tool arguments logged where nothing registers the handler in this
// file: typed requests (fetch `Request`, a Netlify `Handler`), a parsed raw body, a Hono
// body field, a truncated body, and a tool handler registered in another module; next to
// the same shapes done safely.

import type { Handler } from "@netlify/functions";
import { Hono } from "hono";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { debugLog } from "./logging.js";
import { login } from "./auth.js";

const MAX_BODY = 4000;

function truncate(s: string): string {
  return s.length > MAX_BODY ? `${s.slice(0, MAX_BODY)}…` : s;
}

export async function handleMcpPost(req: Request) {
  const raw = await req.text();
  const body = JSON.parse(raw);
  // ruleid: raw-payload-logging
  debugLog("mcp post", { method: body?.method, params: body?.params });
  // ok: raw-payload-logging
  debugLog("mcp post", { method: body?.method, id: body?.id, bytes: raw.length });
}

export default async (request: Request) => {
  const copy = truncate(await request.clone().text());
  // ruleid: raw-payload-logging
  console.log("[edge]", { body: copy });
  // ok: raw-payload-logging
  console.log("[edge]", { length: copy.length });
};

export const webhook: Handler = async (event) => {
  // ruleid: raw-payload-logging
  console.log("webhook", event.body);
  return { statusCode: 200, body: "" };
};

const api = new Hono();
api.post("/debug/proxy", async (c) => {
  const { url, body } = await c.req.json();
  // ruleid: raw-payload-logging
  console.log("proxy body:", JSON.stringify(body));
  // ok: raw-payload-logging
  console.log("proxy url:", url);
  return c.json({ ok: true });
});

import express from "express";
const app = express();
app.post("/messages", (req, res) => {
  // ruleid: raw-payload-logging
  console.log("/messages", req.body);
  res.end();
});
app.get("/sse", (req, res) => {
  // ok: raw-payload-logging
  console.log("/sse", req.body);
  res.end();
});

// registered as a tool in another module: it answers with an MCP tool result
export async function runQueryTool(args: { sql: string; database: string }) {
  // ruleid: raw-payload-logging
  console.error(`query tool called with ${JSON.stringify(args)}`);
  // ok: raw-payload-logging
  await login(args);
  return { content: [{ type: "text", text: `ran ${args.sql.length} characters of SQL` }] };
}

// a helper that builds a tool result from text: its parameter is the result, not arguments
export function textResult(text: string) {
  // ok: raw-payload-logging
  console.error(`result: ${JSON.stringify(text)}`);
  return { content: [{ type: "text", text }] };
}

// an API client's method: answers with a tool result on error, but takes an endpoint
export async function graphRequest(endpoint: string, options: { method?: string } = {}) {
  // ok: raw-payload-logging
  console.error(`calling ${endpoint} with ${JSON.stringify(options)}`);
  return { content: [{ type: "text", text: "failed" }] };
}

// every JSON-RPC message goes through a transport's send()
export class TracingTransport extends StdioServerTransport {
  async send(message: JSONRPCMessage) {
    // ruleid: raw-payload-logging
    console.error("->", JSON.stringify(message));
    return super.send(message);
  }
}

export class Outbox {
  async send(message: string) {
    // ok: raw-payload-logging
    console.error("queued", JSON.stringify(message));
  }
}

export const server = new McpServer({ name: "edge", version: "1.0.0" });
