// A GitHub/Notion MCP server (TypeScript, McpServer.registerTool + Express) that logs its
// secrets through pino, bunyan, log4js, the console and the client's log channel.

import express, { type NextFunction, type Request, type Response } from "express";
import pino from "pino";
import bunyan from "bunyan";
import log4js from "log4js";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

interface AppConfig {
  githubToken: string;
  notionToken: string;
  apiBase: string;
}

const config: AppConfig = {
  githubToken: process.env.GITHUB_TOKEN ?? "",
  notionToken: process.env.NOTION_TOKEN ?? "",
  apiBase: process.env.GITHUB_API_URL ?? "https://api.github.com",
};

const INTERNAL_API_KEY: string = "9Vd3z0nscCovptAFhEUJpzeM5H5VHU9Z";

const logger = pino({ level: "debug" }, pino.destination(2));
const blog = bunyan.createLogger({ name: "gh-notion", stream: process.stderr, level: "debug" });
const startup = log4js.getLogger("startup");

class GitHubClient {
  private readonly headers: Record<string, string>;

  constructor(private readonly token: string, private readonly base: string) {
    this.headers = { Authorization: `token ${token}`, Accept: "application/vnd.github+json" };
    // ruleid: secret-logging
    logger.info({ token: this.token }, "GitHub client created");
  }

  async get<T>(path: string): Promise<T> {
    // todoruleid: secret-logging
    blog.debug({ headers: this.headers }, `GET ${path}`);
    const res = await fetch(`${this.base}${path}`, { headers: this.headers });
    if (!res.ok) throw new Error(`GitHub ${res.status}`);
    return (await res.json()) as T;
  }
}

// ruleid: secret-logging
logger.debug(config, "loaded config");
// ruleid: secret-logging
startup.info(`internal key: ${INTERNAL_API_KEY}`);
// ruleid: secret-logging
console.log("env", { ...process.env });
// ruleid: secret-logging
process.stderr.write("notion token=" + process.env.NOTION_TOKEN + "\n");

const github = new GitHubClient(config.githubToken, config.apiBase);
const server = new McpServer({ name: "gh-notion", version: "0.8.2" }, { capabilities: { logging: {} } });

server.registerTool(
  "notion_search",
  { description: "Search Notion pages", inputSchema: { query: z.string() } },
  async ({ query }) => {
    const notionAuth = `Bearer ${config.notionToken}`;
    // ruleid: secret-logging
    await server.server.sendLoggingMessage({ level: "debug", data: { notionAuth } });
    const res = await fetch("https://api.notion.com/v1/search", {
      method: "POST",
      headers: { Authorization: notionAuth, "Notion-Version": "2022-06-28", "Content-Type": "application/json" },
      body: JSON.stringify({ query }),
    });
    if (res.status === 401) {
      // ruleid: secret-logging
      console.error("Notion rejected token", config.notionToken);
    }
    const data = (await res.json()) as { results: { id: string; url: string }[] };
    return { content: [{ type: "text", text: data.results.map((r) => r.url).join("\n") }] };
  },
);

server.registerTool(
  "list_repos",
  { description: "List repositories of an organisation", inputSchema: { org: z.string() } },
  async ({ org }) => {
    const repos = await github.get<{ full_name: string }[]>(`/orgs/${encodeURIComponent(org)}/repos`);
    return { content: [{ type: "text", text: repos.map((r) => r.full_name).join("\n") }] };
  },
);

const app = express();

app.use((req: Request, _res: Response, next: NextFunction) => {
  // ruleid: secret-logging
  console.error(`Authorization: ${req.headers.authorization}`);
  // ruleid: secret-logging
  logger.warn(`X-GitHub-Token: ${req.header("X-GitHub-Token")}`);
  blog.info(
    {
      path: req.path,
      // ruleid: secret-logging
      cookie: req.headers.cookie,
    },
    "request",
  );
  next();
});

app.listen(Number(process.env.PORT ?? 8080));
await server.connect(new StdioServerTransport());
