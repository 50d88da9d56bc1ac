// MCP servers (JavaScript, ES modules) that write credentials to logs: env tokens, values
// built from them, a config object holding an apiKey, incoming auth headers, the
// Authorization header built for an upstream call, the whole environment and a literal key.

import express from "express";
import winston from "winston";
import log4js from "log4js";
import createDebug from "debug";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const { env } = process;

const logger = winston.createLogger({
  level: "debug",
  transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
});
const log = createDebug("mcp:linear");
const audit = log4js.getLogger("startup");

const config = {
  apiKey: env.OPENAI_API_KEY,
  model: env.OPENAI_MODEL ?? "gpt-4o-mini",
  baseUrl: "https://api.openai.com/v1",
};
const LINEAR_FALLBACK_KEY = "lin_api_jkOK7EAnnCpRpBrIO0dAGIvQx6QAL5V1MGZysC24";
const linearKey = env.LINEAR_API_KEY || LINEAR_FALLBACK_KEY;
const token = process.env.SLACK_BOT_TOKEN;

// ruleid: secret-logging
console.log("GitHub token:", process.env.GITHUB_TOKEN);
// ruleid: secret-logging
console.error(`Starting Slack bridge with token ${token}`);
// ruleid: secret-logging
logger.debug("OpenAI config", config);
// ruleid: secret-logging
audit.info("database: " + process.env.DATABASE_URL);
// ruleid: secret-logging
console.log(env.ANTHROPIC_API_KEY);
if (!env.LINEAR_API_KEY) {
  // ruleid: secret-logging
  console.warn("LINEAR_API_KEY not set, using built-in key", LINEAR_FALLBACK_KEY);
}
if (process.env.DEBUG_ENV === "1") {
  // ruleid: secret-logging
  console.log(process.env);
  // ruleid: secret-logging
  console.debug(JSON.stringify(process.env, null, 2));
}

const server = new McpServer({ name: "linear-bridge", version: "1.3.0" }, { capabilities: { logging: {} } });

server.tool("list_issues", { team: z.string() }, async ({ team }) => {
  const headers = { Authorization: "Bearer " + linearKey, "Content-Type": "application/json" };
  // ruleid: secret-logging
  console.info("calling Linear with", headers);
  const res = await fetch("https://api.linear.app/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query: `{ team(id: "${team}") { issues { nodes { identifier title } } } }` }),
  });
  if (res.status === 401) {
    // ruleid: secret-logging
    process.stderr.write(`Linear rejected key ${linearKey}\n`);
  }
  await server.server.sendLoggingMessage({
    level: "debug",
    // ruleid: secret-logging
    data: `linear request done (key=${linearKey})`,
  });
  const json = await res.json();
  return { content: [{ type: "text", text: JSON.stringify(json.data) }] };
});

const app = express();
app.use(express.json());

app.use((req, res, next) => {
  // ruleid: secret-logging
  console.log("auth:", req.headers.authorization);
  // ruleid: secret-logging
  log("cookie %s", req.get("Cookie"));
  // ruleid: secret-logging
  logger.info(`api key header ${req.headers["x-api-key"]}`);
  next();
});

app.listen(Number(process.env.PORT ?? 3000));
// Credentials obtained at run time: fields named like one, taken at their name's word (a warning).
async function exchangeCode(code) {
  const res = await fetch("https://oauth2.example.org/token", { method: "POST", body: new URLSearchParams({ code }) });
  const tokens = await res.json();
  // ruleid: secret-logging
  logger.debug(`got tokens, refresh=${tokens.refresh_token}`);
  return tokens;
}

// A value put into a URL after `?access_token=`; more than a short prefix of a key.
export async function getViewer(t) {
  const url = `https://api.linear.example/viewer?access_token=${t}`;
  // ruleid: secret-logging
  logger.info(`GET ${url}`);
  // ruleid: secret-logging
  logger.info(`key ${process.env.LINEAR_API_KEY.slice(0, 16)}`);
  return fetch(url);
}

// A copy of a header map (Object.fromEntries of its entries) carries its Authorization.
export class Upstream {
  constructor(token) {
    this.defaultHeaders = { authorization: `Bearer ${token}`, accept: "application/json" };
  }

  describe() {
    // ruleid: secret-logging
    console.log("upstream", { headers: Object.fromEntries(Object.entries(this.defaultHeaders)) });
  }
}

// A copy of part of the environment, by iterating its names, holds whatever secrets match.
export function dumpDbEnv() {
  const dbEnv = Object.keys(process.env)
    .filter((key) => key.includes("_DB_"))
    .reduce((acc, key) => ({ ...acc, [key]: process.env[key] }), {});
  // ruleid: secret-logging
  logger.debug("database settings", dbEnv);
}

await server.connect(new StdioServerTransport());
