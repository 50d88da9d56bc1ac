#!/usr/bin/env node
"use strict";
/**
 * meili-mcp — search and index documents in your Meilisearch instance.
 *
 * Configuration (env or ./.env):
 *   MEILI_HOST     default http://localhost:7700
 *   MEILI_API_KEY  your instance's API key
 *   MEILI_INDEX    default "docs"
 */
const { EventEmitter } = require("node:events");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { z } = require("zod");

/* ------------------------------------------------------------------ env */

function loadDotEnv(file = path.resolve(process.cwd(), ".env")) {
  let raw;
  try {
    // ok (other rule or none expected here) sensitive-file-read
    raw = fs.readFileSync(file, "utf8");
  } catch {
    return;
  }
  for (const line of raw.split(/\r?\n/)) {
    const m = /^\s*(MEILI_[A-Z_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/^["']|["']$/g, "");
  }
}

loadDotEnv();

/* --------------------------------------------------------------- metrics */

const metrics = new EventEmitter();
const stats = { requests: 0, errors: 0, totalMs: 0 };

metrics.on("request", ({ ms, ok }) => {
  stats.requests += 1;
  stats.totalMs += ms;
  if (!ok) stats.errors += 1;
});

/* ---------------------------------------------------------------- client */

class MeiliClient {
  constructor({ host, apiKey }) {
    this.host = host.replace(/\/+$/, "");
    this.apiKey = apiKey;
  }

  async request(method, route, body) {
    const t0 = Date.now();
    let ok = false;
    try {
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      const res = await fetch(this.host + route, {
        method,
        headers: {
          "Content-Type": "application/json",
          ...(this.apiKey ? { Authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.message || `Meilisearch HTTP ${res.status}`);
      ok = true;
      return data;
    } finally {
      metrics.emit("request", { route, ms: Date.now() - t0, ok });
    }
  }

  search(index, q, limit) {
    return this.request("POST", `/indexes/${encodeURIComponent(index)}/search`, { q, limit });
  }

  addDocuments(index, docs) {
    return this.request("POST", `/indexes/${encodeURIComponent(index)}/documents`, docs);
  }

  health() {
    return this.request("GET", "/health");
  }
}

let _client = null;

/** Lazily create one client for the whole process. */
function getClient() {
  if (_client === null) {
    _client = new MeiliClient({
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      host: process.env.MEILI_HOST || "http://localhost:7700",
      apiKey: process.env.MEILI_API_KEY,
    });
  }
  return _client;
}

const INDEX = process.env.MEILI_INDEX || "docs";

/* ----------------------------------------------------------------- tools */

const server = new McpServer({ name: "meili-mcp", version: "0.5.2" });

server.tool("search", { q: z.string(), limit: z.number().int().min(1).max(50).default(10) }, async ({ q, limit }) => {
  const { hits = [] } = await getClient().search(INDEX, q, limit);
  const text = hits.map((h, i) => `${i + 1}. ${h.title || h.id}\n   ${(h.content || "").slice(0, 200)}`).join("\n");
  return { content: [{ type: "text", text: text || "no results" }] };
});

server.tool(
  "index_file",
  { file: z.string().describe("Path of a local text/markdown file to add to the index") },
  async ({ file }) => {
    const abs = path.resolve(file);
    // ok (other rule or none expected here) sensitive-file-read
    const content = fs.readFileSync(abs, "utf8");
    const doc = { id: Buffer.from(abs).toString("base64url"), title: path.basename(abs), path: abs, content };
    const task = await getClient().addDocuments(INDEX, [doc]);
    return { content: [{ type: "text", text: `queued indexing task ${task.taskUid} for ${abs}` }] };
  },
);

server.tool("search_stats", {}, async () => {
  const avg = stats.requests ? (stats.totalMs / stats.requests).toFixed(1) : "0";
  return { content: [{ type: "text", text: `requests=${stats.requests} errors=${stats.errors} avg_ms=${avg}` }] };
});

/* --------------------------------------------------- local health server */

function startHealthServer(port) {
  const srv = http.createServer(async (req, res) => {
    if (req.url !== "/healthz") {
      res.writeHead(404).end();
      return;
    }
    let upstream = "unknown";
    try {
      upstream = (await getClient().health()).status;
    } catch {
      upstream = "down";
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ok: true, upstream, ...stats }));
  });
  srv.listen(port, "127.0.0.1");
  srv.unref();
}

if (process.env.MEILI_MCP_HEALTH_PORT) startHealthServer(Number(process.env.MEILI_MCP_HEALTH_PORT));

server.connect(new StdioServerTransport()).catch((err) => {
  console.error("meili-mcp failed to start:", err);
  process.exit(1);
});
