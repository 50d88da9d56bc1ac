// The same GitHub, email and weather tools (JavaScript, ES modules), logging names, counts,
// ids, status codes, error messages and caller-chosen scalars: never a whole payload.

import express from "express";
import axios from "axios";
import winston from "winston";
import createDebug from "debug";
import log4js from "log4js";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, InitializeRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? "info",
  format: winston.format.json(),
  transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
});
const log = createDebug("mcp:github");
const audit = log4js.getLogger("audit");

const SENSITIVE = new Set(["body", "text", "html", "token", "password"]);

// Same idea as the official Postmark server: keep keys, replace values that may be private.
function sanitizeArgs(args) {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, SENSITIVE.has(k) ? `[${String(v).length} chars]` : v]),
  );
}

const GITHUB_API = "https://api.github.com";
const server = new McpServer({ name: "github-lite", version: "0.4.1" }, { capabilities: { logging: {} } });

server.tool(
  "create_issue",
  { owner: z.string(), repo: z.string(), title: z.string(), body: z.string().optional() },
  async (args) => {
    // ok: raw-payload-logging
    logger.debug("create_issue args", { keys: Object.keys(args) });
    // ok: raw-payload-logging
    console.error("create_issue", sanitizeArgs(args));
    const started = Date.now();
    const res = await fetch(`${GITHUB_API}/repos/${args.owner}/${args.repo}/issues`, {
      method: "POST",
      headers: { Accept: "application/vnd.github+json", Authorization: `Bearer ${process.env.GITHUB_TOKEN}` },
      // ok: raw-payload-logging
      body: JSON.stringify(args),
    });
    // ok: raw-payload-logging
    logger.info(`GitHub answered ${res.status} in ${Date.now() - started} ms`);
    const issue = await res.json();
    // ok: raw-payload-logging
    log("created issue %d (%s)", issue.number, issue.node_id);
    const result = { content: [{ type: "text", text: `Created #${issue.number}` }] };
    // ok: raw-payload-logging
    log("result has %d content blocks", result.content.length);
    return result;
  },
);

server.tool("get_weather", { city: z.string() }, async ({ city }) => {
  // ok: raw-payload-logging
  audit.info(`get_weather city=${city}`);
  try {
    const resp = await axios.get("https://api.openweathermap.org/data/2.5/weather", {
      params: { q: city, appid: process.env.OPENWEATHER_API_KEY },
    });
    // ok: raw-payload-logging
    audit.info("weather api status", resp.status);
    return { content: [{ type: "text", text: `${resp.data.name}: ${resp.data.main.temp}` }] };
  } catch (err) {
    // ok: raw-payload-logging
    logger.error(`weather lookup failed: ${err.message}`);
    return { isError: true, content: [{ type: "text", text: "Weather service unavailable" }] };
  }
});

server.tool("send_email", { to: z.string().email(), subject: z.string(), text: z.string() }, async ({ to, subject, text }) => {
  // ok: raw-payload-logging
  console.error("Sending email...", { to, subject });
  await fetch("https://mail.northwind-app.com/api/send", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ to, subject, text }),
  });
  await server.server.sendLoggingMessage({
    level: "info",
    // ok: raw-payload-logging
    data: `Email queued (${text.length} characters)`,
  });
  return { content: [{ type: "text", text: "Email queued" }] };
});

const legacy = new Server({ name: "github-lite-v1", version: "0.1.9" }, { capabilities: { tools: {} } });

// A bound method that is not a logger: the SDK's own initialize handler, delegated to.
const sdkInitHandler = legacy.onInitialize.bind(legacy);
legacy.setRequestHandler(InitializeRequestSchema, async (request) => {
  // ok: raw-payload-logging
  const result = await sdkInitHandler(request);
  return result;
});

legacy.setRequestHandler(CallToolRequestSchema, async (request) => {
  // ok: raw-payload-logging
  console.error("Calling tool", request.params.name);
  // ok: raw-payload-logging
  console.error("argument names:", Object.keys(request.params.arguments ?? {}).join(", "));
  return { content: [{ type: "text", text: "v1 tools have been retired" }] };
});

const app = express();
app.use(express.json());

app.use((req, res, next) => {
  const started = Date.now();
  res.on("finish", () => {
    // ok: raw-payload-logging
    console.log(`${req.method} ${req.path} ${res.statusCode} ${Date.now() - started}ms`);
  });
  next();
});

// Error middleware, (err, req, res, next): its first parameter is the error, not the request.
app.use((err, req, res, next) => {
  // ok: raw-payload-logging
  console.error("request failed:", err);
  res.status(500).json({ error: "internal error" });
});

app.post("/echo", (req, res) => {
  // ok: raw-payload-logging
  res.json(req.body);
});

app.post("/mcp", async (req, res) => {
  // ok: raw-payload-logging
  logger.debug("POST /mcp", { method: req.body?.method, id: req.body?.id });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(Number(process.env.PORT ?? 3000));

// An upstream error body logged on the failure path is an error message.
async function fetchScreenshot(url) {
  const response = await fetch(url);
  if (!response.ok) {
    const errorText = await response.text();
    // ok: raw-payload-logging
    console.error("screenshot failed:", errorText);
    return null;
  }
  return response.arrayBuffer();
}

// Notifications are protocol events (progress, log messages, list changes), not tool calls:
// forwarding them with a debug line logs no arguments.
export function forwardNotifications(client, sendNotification) {
  client.setNotificationHandler(InitializeRequestSchema, async (notification) => {
    // ok: raw-payload-logging
    logger.debug("forwarding notification", { notification });
    await sendNotification(notification);
  });
}

// The query string of the SSE endpoint holds the MCP session id; it is in every access log.
app.get("/messages", async (req, res) => {
  // ok: raw-payload-logging
  logger.info("message for session", req.query);
  res.status(202).end();
});

// A tool result computed by the server itself (counts of local files) is its own output.
async function countLocalFiles(dir) {
  const { readdir } = await import("node:fs/promises");
  const names = await readdir(dir);
  return { content: [{ type: "text", text: `${names.length} files` }] };
}

server.tool("count_files", { dir: z.string() }, async ({ dir }) => {
  const result = await countLocalFiles(dir);
  // ok: raw-payload-logging
  logger.info("count_files result", result);
  return result;
});

// A helper that logs a field of its parameter (the tool's name) does not log the parameter.
function noteCall(params) {
  logger.info(`tool ${params.name} called`);
}

server.tool("noted", { q: z.string() }, async (args) => {
  // ok: raw-payload-logging
  noteCall(args);
  return { content: [{ type: "text", text: "ok" }] };
});
