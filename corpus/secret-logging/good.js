// The Linear bridge again (JavaScript, ES modules), logging about credentials without their
// values: names of missing variables, booleans, lengths, hashes, masked prefixes, non-secret
// config fields and environment, and header names.

import fs from "node:fs";
import crypto from "node:crypto";
import express from "express";
import winston from "winston";
import createDebug from "debug";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? "info",
  transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
});
const log = createDebug("mcp:linear");

const REQUIRED = ["LINEAR_API_KEY", "OPENAI_API_KEY", "SLACK_BOT_TOKEN"];

const config = {
  apiKey: process.env.OPENAI_API_KEY,
  model: process.env.OPENAI_MODEL ?? "gpt-4o-mini",
  baseUrl: "https://api.openai.com/v1",
};
const linearKey = process.env.LINEAR_API_KEY ?? "";

function mask(secret) {
  return secret.length > 8 ? `${"*".repeat(8)}${secret.slice(-4)}` : "********";
}

const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  // ok: secret-logging
  console.error("Missing environment variables:", missing.join(", "));
}
if (!process.env.GITHUB_TOKEN) {
  // ok: secret-logging
  console.error("GITHUB_TOKEN environment variable is not set");
}
// ok: secret-logging
console.log("API key configured:", Boolean(config.apiKey));
// ok: secret-logging
console.log("OpenAI config", { model: config.model, baseUrl: config.baseUrl });
// ok: secret-logging
logger.info(`env ${process.env.NODE_ENV}, port ${process.env.PORT ?? 3000}`);
// ok: secret-logging
logger.info(`using Linear key ${mask(linearKey)}`);
// ok: secret-logging
logger.debug(`Linear key prefix ${linearKey.slice(0, 4)}…`);
// ok: secret-logging
log("Linear key length %d, sha256 %s", linearKey.length, crypto.createHash("sha256").update(linearKey).digest("hex").slice(0, 8));

const server = new McpServer({ name: "linear-bridge", version: "1.3.0" }, { capabilities: { logging: {} } });

server.tool("list_issues", { team: z.string() }, async ({ team }) => {
  const res = await fetch("https://api.linear.app/graphql", {
    method: "POST",
    // ok: secret-logging
    headers: { Authorization: `Bearer ${linearKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ query: `{ team(id: "${team}") { issues { nodes { identifier title } } } }` }),
  });
  // ok: secret-logging
  await server.server.sendLoggingMessage({ level: "info", data: `Linear answered ${res.status}` });
  const json = await res.json();
  return { content: [{ type: "text", text: JSON.stringify(json.data) }] };
});

const app = express();

app.use((req, res, next) => {
  // ok: secret-logging
  console.log("header names:", Object.keys(req.headers).join(","));
  // ok: secret-logging
  log("user agent %s, authenticated %s", req.headers["user-agent"], Boolean(req.headers.authorization));
  next();
});

// When a cookie changed is not the cookie: a file's modification time logged.
let lastCookieMtime = 0;
function reloadCookies(path) {
  const mtime = fs.statSync(path).mtimeMs;
  if (mtime !== lastCookieMtime) {
    // ok: secret-logging
    console.error(`cookie file changed (${lastCookieMtime} -> ${mtime}), reloading`);
    lastCookieMtime = mtime;
  }
}

app.listen(Number(process.env.PORT ?? 3000));
await server.connect(new StdioServerTransport());

// A field named like a credential, stored under a name that says what it is (a page cursor).
export function logPage(page) {
  const nextPageToken = page.token;
  // ok: secret-logging
  logger.info(`next page: ${nextPageToken}`);
}

// A short prefix and suffix are how keys are masked.
export function logMaskedKey() {
  const key = process.env.LINEAR_API_KEY ?? "";
  // ok: secret-logging
  logger.info(`key ${key.slice(0, 8)}…${key.slice(-4)}`);
}

// A comparison of a token is a boolean.
export function checkBearer(token) {
  // ok: secret-logging
  logger.debug(`tokens equal: ${token === process.env.MCP_SSE_AUTHORIZATION}`);
}

// A copy of the request headers with the credentials deleted.
export function logRequest(req) {
  const headers = { ...req.headers };
  delete headers.authorization;
  delete headers.cookie;
  // ok: secret-logging
  logger.debug("request headers", headers);
}

// A redaction helper is not a logger, whatever its name ends with.
function redactSecretForLog(value) {
  return value ? `${String(value).slice(0, 4)}…` : "";
}

export function logSession(sessionToken) {
  // ok: secret-logging
  console.error(`session not found: ${redactSecretForLog(sessionToken)}`);
}

// The credential taken out before the options are logged: what is left is only named like one.
export function logGraphRequest(path, accessToken) {
  const options = { method: "GET", headers: { ConsistencyLevel: "eventual" }, accessToken };
  const { accessToken: _redacted, ...safeOptions } = options;
  // ok: secret-logging
  logger.info(`graph request ${path} with ${JSON.stringify(safeOptions)}`);
}
