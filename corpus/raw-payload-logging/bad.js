// MCP GitHub and weather tools (JavaScript, CommonJS: McpServer, a low-level Server and an
// Express endpoint) that write whole payloads to winston, debug, log4js and the console.

"use strict";

const express = require("express");
const axios = require("axios");
const util = require("node:util");
const winston = require("winston");
const log4js = require("log4js");
const { z } = require("zod");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StreamableHTTPServerTransport } = require("@modelcontextprotocol/sdk/server/streamableHttp.js");
const { CallToolRequestSchema } = require("@modelcontextprotocol/sdk/types.js");

const logger = winston.createLogger({
  level: "debug",
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
});
const log = require("debug")("mcp:github");
log4js.configure({ appenders: { err: { type: "stderr" } }, categories: { default: { appenders: ["err"], level: "info" } } });
const audit = log4js.getLogger("audit");

const GITHUB_API = "https://api.github.com";
const server = new McpServer({ name: "github-lite", version: "0.4.1" }, { capabilities: { logging: {} } });

server.tool(
  "create_issue",
  { owner: z.string(), repo: z.string(), title: z.string(), body: z.string().optional() },
  async (args) => {
    // ruleid: raw-payload-logging
    logger.debug("create_issue called", args);
    const res = await fetch(`${GITHUB_API}/repos/${args.owner}/${args.repo}/issues`, {
      method: "POST",
      headers: { Accept: "application/vnd.github+json", Authorization: `Bearer ${process.env.GITHUB_TOKEN}` },
      body: JSON.stringify({ title: args.title, body: args.body }),
    });
    const issue = await res.json();
    // ruleid: raw-payload-logging
    console.log("GitHub response:", issue);
    const result = { content: [{ type: "text", text: `Created #${issue.number}: ${issue.html_url}` }] };
    // ruleid: raw-payload-logging
    log("create_issue result %O", result);
    return result;
  },
);

server.tool(
  "get_weather",
  { city: z.string(), units: z.enum(["metric", "imperial"]).optional() },
  async (params) => {
    // ruleid: raw-payload-logging
    audit.info("get_weather " + JSON.stringify(params));
    if (process.env.MCP_LOG_PAYLOADS === "1") {
      // ruleid: raw-payload-logging
      console.debug("weather payload", params);
    }
    const resp = await axios.get("https://api.openweathermap.org/data/2.5/weather", {
      params: { q: params.city, units: params.units ?? "metric", appid: process.env.OPENWEATHER_API_KEY },
    });
    // ruleid: raw-payload-logging
    logger.info(`weather api replied ${JSON.stringify(resp.data)}`);
    return { content: [{ type: "text", text: `${resp.data.name}: ${resp.data.main.temp}°` }] };
  },
);

server.tool("list_repos", { org: z.string() }, async (args) => {
  await server.server.sendLoggingMessage({
    level: "debug",
    logger: "github-lite",
    // ruleid: raw-payload-logging
    data: args,
  });
  const res = await fetch(`${GITHUB_API}/orgs/${encodeURIComponent(args.org)}/repos?per_page=50`);
  const repos = await res.json();
  return { content: [{ type: "text", text: repos.map((r) => r.full_name).join("\n") }] };
});

// An older low-level server kept for clients that still call the v1 tool names.
const legacy = new Server({ name: "github-lite-v1", version: "0.1.9" }, { capabilities: { tools: {}, logging: {} } });

const trace = console.error.bind(console);

legacy.setRequestHandler(CallToolRequestSchema, async (request) => {
  // ruleid: raw-payload-logging
  trace("call", request);
  // ruleid: raw-payload-logging
  console.error("CallTool", request.params.arguments);
  // ruleid: raw-payload-logging
  process.stderr.write(`request: ${util.inspect(request, { depth: null })}\n`);
  switch (request.params.name) {
    case "v1_search": {
      const { q } = request.params.arguments;
      // ruleid: raw-payload-logging
      await legacy.sendLoggingMessage({ level: "debug", logger: "v1", data: request.params });
      const res = await fetch(`${GITHUB_API}/search/repositories?q=${encodeURIComponent(q)}`);
      const found = await res.json();
      return { content: [{ type: "text", text: `${found.total_count} repositories` }] };
    }
    default:
      // ruleid: raw-payload-logging
      console.trace("unknown tool params", request.params);
      throw new Error(`Unknown tool: ${request.params.name}`);
  }
});

const app = express();
app.use(express.json({ limit: "1mb" }));

app.use((req, res, next) => {
  // ruleid: raw-payload-logging
  console.debug(`headers: ${JSON.stringify(req.headers)}`);
  next();
});

app.post("/mcp", async (req, res) => {
  // ruleid: raw-payload-logging
  console.info("POST /mcp", req.body);
  if (!req.body || req.body.jsonrpc !== "2.0") {
    // ruleid: raw-payload-logging
    console.dir(req, { depth: 1 });
    res.status(400).json({ error: "invalid JSON-RPC message" });
    return;
  }
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

// Error middleware, (err, req, res, next): the request is the second parameter.
app.use((err, req, res, next) => {
  // ruleid: raw-payload-logging
  console.error("request failed:", err.message, req.body);
  res.status(500).end();
});

app.listen(Number(process.env.PORT ?? 3000));

// The package's own logging helper: what it is given goes to stderr.
function traceEvent(level, message, data) {
  console.error(`[${level}] ${message}`, data ? JSON.stringify(data) : "");
}

legacy.setRequestHandler(CallToolRequestSchema, async (request) => {
  // ruleid: raw-payload-logging
  traceEvent("info", "tool call", { tool: request.params.name, arguments: request.params.arguments });
  return { content: [] };
});
