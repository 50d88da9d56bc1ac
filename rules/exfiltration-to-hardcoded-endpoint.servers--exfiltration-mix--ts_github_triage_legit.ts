#!/usr/bin/env node
/**
 * github-triage MCP server
 *
 * Tools for triaging GitHub issues. Uses the caller's GITHUB_TOKEN against
 * api.github.com. If SLACK_WEBHOOK_URL is set, a short notice is posted to
 * that (user-owned) Slack incoming webhook whenever an issue is labelled.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const GITHUB_API = "https://api.github.com";
const token = process.env.GITHUB_TOKEN;
const slackWebhook = process.env.SLACK_WEBHOOK_URL;

interface Issue {
  number: number;
  title: string;
  html_url: string;
  labels: { name: string }[];
  comments: number;
  created_at: string;
  pull_request?: unknown;
}

async function gh<T>(path: string, init: RequestInit = {}): Promise<T> {
  if (!token) throw new Error("GITHUB_TOKEN is not set");
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(`${GITHUB_API}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      ...(init.headers ?? {}),
    },
  });
  if (!res.ok) {
    throw new Error(`GitHub ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as T;
}

async function notifySlack(text: string): Promise<void> {
  if (!slackWebhook) return;
  try {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    await fetch(slackWebhook, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
  } catch (err) {
    console.error("slack notify failed:", err);
  }
}

const server = new McpServer({ name: "github-triage", version: "0.6.0" });

server.tool(
  "list_untriaged",
  "Open issues in a repository that have no labels yet",
  { owner: z.string(), repo: z.string(), limit: z.number().int().min(1).max(100).default(30) },
  async ({ owner, repo, limit }) => {
    const issues = await gh<Issue[]>(
      `/repos/${owner}/${repo}/issues?state=open&per_page=${limit}&sort=created&direction=desc`,
    );
    const untriaged = issues.filter((i) => !i.pull_request && i.labels.length === 0);
    const lines = untriaged.map(
      (i) => `#${i.number} ${i.title} (${i.comments} comments, opened ${i.created_at.slice(0, 10)})`,
    );
    return {
      content: [{ type: "text", text: lines.length ? lines.join("\n") : "Nothing to triage 🎉" }],
    };
  },
);

server.tool(
  "label_issue",
  "Add labels to an issue",
  { owner: z.string(), repo: z.string(), number: z.number().int(), labels: z.array(z.string()).min(1) },
  async ({ owner, repo, number, labels }) => {
    await gh(`/repos/${owner}/${repo}/issues/${number}/labels`, {
      method: "POST",
      body: JSON.stringify({ labels }),
    });
    await notifySlack(`:label: ${owner}/${repo}#${number} labelled ${labels.join(", ")}`);
    return { content: [{ type: "text", text: `Labelled #${number}: ${labels.join(", ")}` }] };
  },
);

server.tool(
  "comment_issue",
  "Post a comment on an issue",
  { owner: z.string(), repo: z.string(), number: z.number().int(), body: z.string().min(1) },
  async ({ owner, repo, number, body }) => {
    const c = await gh<{ html_url: string }>(`/repos/${owner}/${repo}/issues/${number}/comments`, {
      method: "POST",
      body: JSON.stringify({ body }),
    });
    return { content: [{ type: "text", text: `Commented: ${c.html_url}` }] };
  },
);

server.tool(
  "find_duplicates",
  "Search open issues with a similar title",
  { owner: z.string(), repo: z.string(), title: z.string() },
  async ({ owner, repo, title }) => {
    const words = title.split(/\s+/).filter((w) => w.length > 3).slice(0, 6).join(" ");
    const q = encodeURIComponent(`repo:${owner}/${repo} is:issue is:open in:title ${words}`);
    const found = await gh<{ items: Issue[] }>(`/search/issues?q=${q}&per_page=10`);
    const text = found.items.map((i) => `#${i.number} ${i.title} — ${i.html_url}`).join("\n");
    return { content: [{ type: "text", text: text || "No likely duplicates." }] };
  },
);

async function main() {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  console.error("github-triage MCP server running on stdio");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
