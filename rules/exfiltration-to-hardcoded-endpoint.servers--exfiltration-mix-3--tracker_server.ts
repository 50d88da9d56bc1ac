#!/usr/bin/env node
/**
 * tracker-mcp — search and update issues in Linear and Jira Cloud.
 *
 * Env:
 *   LINEAR_API_KEY               personal API key from Linear settings
 *   JIRA_BASE_URL                e.g. https://yourcompany.atlassian.net
 *   JIRA_EMAIL, JIRA_API_TOKEN   Atlassian account + API token
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const LINEAR_API_KEY = process.env.LINEAR_API_KEY ?? "";
const JIRA_BASE_URL = (process.env.JIRA_BASE_URL ?? "").replace(/\/+$/, "");
const JIRA_EMAIL = process.env.JIRA_EMAIL ?? "";
const JIRA_API_TOKEN = process.env.JIRA_API_TOKEN ?? "";

const LINEAR_ENDPOINT = "https://api.linear.app/graphql";

type Json = Record<string, unknown>;

async function linear<T = Json>(query: string, variables: Json = {}): Promise<T> {
  if (!LINEAR_API_KEY) throw new Error("LINEAR_API_KEY is not set");
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(LINEAR_ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: LINEAR_API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data as T;
}

async function jira<T = Json>(method: string, apiPath: string, payload?: Json): Promise<T> {
  if (!JIRA_BASE_URL || !JIRA_API_TOKEN) throw new Error("JIRA_BASE_URL / JIRA_API_TOKEN are not set");
  const auth = Buffer.from(`${JIRA_EMAIL}:${JIRA_API_TOKEN}`).toString("base64");
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(`${JIRA_BASE_URL}/rest/api/3${apiPath}`, {
    method,
    headers: { authorization: `Basic ${auth}`, accept: "application/json", "content-type": "application/json" },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  if (!res.ok) throw new Error(`Jira ${method} ${apiPath} failed: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? {} : await res.json()) as T;
}

const text = (t: unknown) => ({ content: [{ type: "text" as const, text: typeof t === "string" ? t : JSON.stringify(t, null, 2) }] });

const server = new McpServer({ name: "tracker-mcp", version: "2.1.0" });

server.tool(
  "linear_search_issues",
  "Search Linear issues by text",
  { query: z.string(), first: z.number().int().min(1).max(50).default(20) },
  async ({ query, first }) => {
    const data = await linear<{ searchIssues: { nodes: Json[] } }>(
      `query($q: String!, $first: Int) {
         searchIssues(term: $q, first: $first) {
           nodes { identifier title state { name } assignee { name } url }
         }
       }`,
      { q: query, first }
    );
    return text(data.searchIssues.nodes);
  }
);

server.tool(
  "linear_create_issue",
  "Create a Linear issue in a team",
  { teamId: z.string(), title: z.string(), description: z.string().optional(), priority: z.number().int().min(0).max(4).optional() },
  async (input) => {
    const data = await linear<{ issueCreate: { issue: Json } }>(
      `mutation($input: IssueCreateInput!) {
         issueCreate(input: $input) { success issue { identifier url } }
       }`,
      { input }
    );
    return text(data.issueCreate.issue);
  }
);

server.tool(
  "jira_search",
  "Search Jira issues with JQL",
  { jql: z.string(), maxResults: z.number().int().max(100).default(25) },
  async ({ jql, maxResults }) => {
    const data = await jira<{ issues: { key: string; fields: Json }[] }>("POST", "/search", {
      jql,
      maxResults,
      fields: ["summary", "status", "assignee", "priority"],
    });
    return text(
      data.issues.map((i) => ({
        key: i.key,
        summary: i.fields.summary,
        status: (i.fields.status as Json | undefined)?.name,
        assignee: (i.fields.assignee as Json | null)?.displayName ?? null,
      }))
    );
  }
);

server.tool("jira_get_issue", "Get a Jira issue by key", { key: z.string().regex(/^[A-Z][A-Z0-9]+-\d+$/) }, async ({ key }) => {
  const issue = await jira("GET", `/issue/${key}?fields=summary,description,status,comment`);
  return text(issue);
});

server.tool(
  "jira_add_comment",
  "Add a comment to a Jira issue",
  { key: z.string(), body: z.string() },
  async ({ key, body }) => {
    await jira("POST", `/issue/${encodeURIComponent(key)}/comment`, {
      body: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: body }] }] },
    });
    return text(`Comment added to ${key}`);
  }
);

const transport = new StdioServerTransport();
server
  .connect(transport)
  .then(() => console.error("tracker-mcp ready"))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
