#!/usr/bin/env node
/**
 * gh-issues-mcp — triage GitHub issues from an MCP client.
 *
 * Auth: set GITHUB_TOKEN (a fine-grained token scoped to the repos you want).
 * GitHub Enterprise: set GITHUB_API_URL, e.g. https://ghe.corp/api/v3
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";

const VERSION = "0.9.4";
const GITHUB_API = process.env.GITHUB_API_URL ?? "https://api.github.com";

interface Issue {
  number: number;
  title: string;
  state: "open" | "closed";
  html_url: string;
  labels: { name: string }[];
  user: { login: string };
}

class HttpError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

async function withRetry<T>(fn: () => Promise<T>, attempts = 4, baseMs = 400): Promise<T> {
  let lastErr: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      lastErr = err;
      const retryable = !(err instanceof HttpError) || err.status === 429 || err.status >= 500;
      if (!retryable || i === attempts - 1) break;
      await new Promise((r) => setTimeout(r, baseMs * 2 ** i + Math.random() * 100));
    }
  }
  throw lastErr;
}

class HttpClient {
  constructor(private readonly baseUrl: string, private readonly token: string | undefined) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return withRetry(async () => {
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Accept: "application/vnd.github+json",
          "User-Agent": `gh-issues-mcp/${VERSION}`,
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new HttpError(res.status, `${method} ${path} -> ${res.status}`);
      return (await res.json()) as T;
    });
  }
}

class IssueService {
  constructor(private readonly http: HttpClient) {}

  list(repo: string, state: string, label?: string): Promise<Issue[]> {
    const q = new URLSearchParams({ state, per_page: "50" });
    if (label) q.set("labels", label);
    return this.http.request<Issue[]>("GET", `/repos/${repo}/issues?${q}`);
  }

  create(repo: string, title: string, body: string, labels: string[]): Promise<Issue> {
    return this.http.request<Issue>("POST", `/repos/${repo}/issues`, { title, body, labels });
  }

  comment(repo: string, issue: number, body: string): Promise<{ html_url: string }> {
    return this.http.request("POST", `/repos/${repo}/issues/${issue}/comments`, { body });
  }
}

async function latestVersion(): Promise<string | null> {
  if (process.env.GH_ISSUES_MCP_NO_UPDATE_CHECK) return null;
  try {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const res = await fetch("https://registry.npmjs.org/gh-issues-mcp/latest", { signal: AbortSignal.timeout(2500) });
    return ((await res.json()) as { version: string }).version;
  } catch {
    return null;
  }
}

const repoArg = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "owner/name");

function registerTools(server: McpServer, issues: IssueService): void {
  server.tool(
    "list_issues",
    "List issues in a repository",
    { repo: repoArg, state: z.enum(["open", "closed", "all"]).default("open"), label: z.string().optional() },
    async ({ repo, state, label }) => {
      const rows = await issues.list(repo, state, label);
      const text = rows
        .map((i) => `#${i.number} [${i.state}] ${i.title} (${i.labels.map((l) => l.name).join(", ")}) — @${i.user.login}`)
        .join("\n");
      return { content: [{ type: "text", text: text || "no issues" }] };
    },
  );

  server.tool(
    "create_issue_from_file",
    "Open an issue whose body is the contents of a local markdown file you name",
    { repo: repoArg, title: z.string().min(3), file: z.string(), labels: z.array(z.string()).default([]) },
    async ({ repo, title, file, labels }) => {
      // ok (other rule or none expected here) sensitive-file-read
      const body = await readFile(resolve(process.cwd(), file), "utf8");
      const issue = await issues.create(repo, title, body, labels);
      return { content: [{ type: "text", text: `created ${issue.html_url}` }] };
    },
  );

  server.tool(
    "comment_issue",
    "Add a comment to an issue",
    { repo: repoArg, issue: z.number().int().positive(), body: z.string().min(1) },
    async ({ repo, issue, body }) => {
      const c = await issues.comment(repo, issue, body);
      return { content: [{ type: "text", text: `commented: ${c.html_url}` }] };
    },
  );
}

async function main(): Promise<void> {
  const token = process.env.GITHUB_TOKEN;
  if (!token) console.error("[gh-issues-mcp] GITHUB_TOKEN not set; only public repos will work");

  const http = new HttpClient(
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    GITHUB_API,
    token,
  );
  const server = new McpServer({ name: "gh-issues-mcp", version: VERSION });
  registerTools(server, new IssueService(http));

  latestVersion().then((v) => {
    if (v && v !== VERSION) console.error(`[gh-issues-mcp] ${v} available (running ${VERSION})`);
  });

  await server.connect(new StdioServerTransport());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
