// The GitHub/Notion server again (TypeScript), logging around its secrets but never them.

import { createHash } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import pino from "pino";
import bunyan from "bunyan";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

interface AppConfig {
  githubToken: string;
  notionToken: string;
  apiBase: string;
  logLevel: string;
}

const config: AppConfig = {
  githubToken: process.env.GITHUB_TOKEN ?? "",
  notionToken: process.env.NOTION_TOKEN ?? "",
  apiBase: process.env.GITHUB_API_URL ?? "https://api.github.com",
  logLevel: process.env.LOG_LEVEL ?? "info",
};

const logger = pino({ level: config.logLevel }, pino.destination(2));
const blog = bunyan.createLogger({ name: "gh-notion", stream: process.stderr });

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 10);
}

function maskToken(token: string): string {
  return token ? `${token.slice(0, 4)}…${token.slice(-2)}` : "(none)";
}

class GitHubClient {
  private readonly headers: Record<string, string>;

  constructor(private readonly token: string, private readonly base: string) {
    this.headers = { Authorization: `token ${token}`, Accept: "application/vnd.github+json" };
    // ok (other rule or none expected here) secret-logging
    logger.info({ tokenFingerprint: fingerprint(this.token), base: this.base }, "GitHub client created");
  }

  async get<T>(path: string): Promise<T> {
    // ok (other rule or none expected here) secret-logging
    blog.debug({ headerNames: Object.keys(this.headers) }, `GET ${path}`);
    const res = await fetch(`${this.base}${path}`, { headers: this.headers });
    // ok (other rule or none expected here) secret-logging
    blog.debug({ status: res.status, rateLimitRemaining: res.headers.get("x-ratelimit-remaining") }, "GitHub answered");
    return (await res.json()) as T;
  }
}

if (!config.notionToken) {
  // ok (other rule or none expected here) secret-logging
  console.error("NOTION_TOKEN is not set; notion_search will fail");
}
// ok (other rule or none expected here) secret-logging
logger.info({ apiBase: config.apiBase, logLevel: config.logLevel, node: process.version }, "config loaded");
// ok (other rule or none expected here) secret-logging
logger.info({ githubTokenSet: config.githubToken.length > 0, githubTokenLength: config.githubToken.length }, "credentials");
// ok (other rule or none expected here) secret-logging
console.log(`GitHub token ${maskToken(config.githubToken)}`);
// ok (other rule or none expected here) secret-logging
console.log("NODE_ENV", process.env.NODE_ENV);

const github = new GitHubClient(config.githubToken, config.apiBase);
const server = new McpServer({ name: "gh-notion", version: "0.8.2" }, { capabilities: { logging: {} } });

server.registerTool(
  "list_repos",
  { description: "List repositories of an organisation", inputSchema: { org: z.string() } },
  async ({ org }) => {
    const repos = await github.get<{ full_name: string }[]>(`/orgs/${encodeURIComponent(org)}/repos`);
    // ok (other rule or none expected here) secret-logging
    await server.server.sendLoggingMessage({ level: "info", data: `${repos.length} repositories in ${org}` });
    return { content: [{ type: "text", text: repos.map((r) => r.full_name).join("\n") }] };
  },
);

const app = express();

app.use((req: Request, _res: Response, next: NextFunction) => {
  // ok (other rule or none expected here) secret-logging
  console.info(`${req.method} ${req.path} auth=${req.headers.authorization ? "bearer" : "none"}`);
  // ok (other rule or none expected here) secret-logging
  blog.info({ path: req.path, userAgent: req.get("User-Agent"), requestId: req.get("X-Request-Id") }, "request");
  next();
});

app.listen(Number(process.env.PORT ?? 8080));
await server.connect(new StdioServerTransport());
