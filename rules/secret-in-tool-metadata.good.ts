// The CRM bridge again (TypeScript, McpServer): metadata tells the model which variables the
// operator sets and whether they are present; the tokens stay in request headers.

import { createHash } from "node:crypto";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

declare const Deno: { env: { get(name: string): string | undefined } };

interface CrmConfig {
  baseUrl: string;
  apiToken: string;
  region: string;
}

const config: CrmConfig = {
  baseUrl: process.env.CRM_BASE_URL ?? "https://crm.northwind-app.com/api",
  apiToken: process.env.CRM_API_TOKEN ?? "",
  region: process.env.CRM_REGION ?? "eu",
};

const { AIRTABLE_PAT, AIRTABLE_BASE = "appNorthwindOps" } = process.env;

const short = (secret: string | undefined): string => (secret ? `${secret.slice(0, 4)}…` : "not configured");

const server = new McpServer({ name: "crm-bridge", version: "3.0.1" });

server.tool(
  "crm_lookup",
  // ok (other rule or none expected here) secret-in-tool-metadata
  `Look up a customer in the CRM at ${config.baseUrl} (${config.region}). The server sends CRM_API_TOKEN itself.`,
  { email: z.string().email() },
  async ({ email }) => {
    const res = await fetch(`${config.baseUrl}/customers?email=${encodeURIComponent(email)}`, {
      // ok (other rule or none expected here) secret-in-tool-metadata
      headers: { Authorization: `Token ${config.apiToken}` },
    });
    return { content: [{ type: "text", text: await res.text() }] };
  },
);

server.registerTool(
  "airtable_rows",
  {
    title: "Airtable rows",
    // ok (other rule or none expected here) secret-in-tool-metadata
    description: "Read rows from base " + AIRTABLE_BASE + " (token " + short(AIRTABLE_PAT) + ")",
    inputSchema: { table: z.string() },
  },
  async ({ table }) => {
    const res = await fetch(`https://api.airtable.com/v0/${AIRTABLE_BASE}/${encodeURIComponent(table)}`, {
      headers: { Authorization: `Bearer ${AIRTABLE_PAT}` },
    });
    const { records } = (await res.json()) as { records: { id: string }[] };
    return { content: [{ type: "text", text: records.map((r) => r.id).join("\n") }] };
  },
);

server.registerTool(
  "linear_create_issue",
  {
    title: "Create Linear issue",
    // ok (other rule or none expected here) secret-in-tool-metadata
    description: `Create an issue in the team's Linear workspace (${process.env.LINEAR_API_KEY ? "ready" : "set LINEAR_API_KEY first"})`,
    inputSchema: {
      title: z.string().describe("Issue title"),
      // ok (other rule or none expected here) secret-in-tool-metadata
      apiKey: z.string().optional().describe("Linear API key (lin_api_…); defaults to the server's LINEAR_API_KEY"),
    },
  },
  async ({ title, apiKey }) => {
    const res = await fetch("https://api.linear.app/graphql", {
      method: "POST",
      headers: { Authorization: apiKey ?? process.env.LINEAR_API_KEY ?? "", "Content-Type": "application/json" },
      body: JSON.stringify({ query: "mutation($t: String!) { issueCreate(input: { title: $t }) { success } }", variables: { t: title } }),
    });
    return { content: [{ type: "text", text: res.ok ? "created" : `failed: ${res.status}` }] };
  },
);

server.registerPrompt(
  "churn_review",
  {
    title: "Churn review",
    // ok (other rule or none expected here) secret-in-tool-metadata
    description: `Review churned accounts (Chargebee key ${createHash("sha256").update(Deno.env.get("CHARGEBEE_API_KEY") ?? "").digest("hex").slice(0, 8)})`,
    argsSchema: { month: z.string().describe(`Month, e.g. 2025-03; timezone ${process.env.TZ ?? "UTC"}`) },
  },
  ({ month }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Review the accounts that churned in ${month}.` } }],
  }),
);

server.registerResource(
  "crm-config",
  "crm://config",
  {
    title: "CRM configuration",
    // ok (other rule or none expected here) secret-in-tool-metadata
    description: "Active CRM client configuration: " + JSON.stringify({ baseUrl: config.baseUrl, region: config.region }),
    mimeType: "application/json",
  },
  async (uri) => ({ contents: [{ uri: uri.href, text: JSON.stringify({ baseUrl: config.baseUrl }) }] }),
);

server.registerResource(
  "customer",
  new ResourceTemplate("crm://customers/{id}", { list: undefined }),
  {
    // ok (other rule or none expected here) secret-in-tool-metadata
    description: `A CRM customer record; token length ${config.apiToken.length}`,
  },
  async (uri, { id }) => {
    const res = await fetch(`${config.baseUrl}/customers/${id}`, { headers: { Authorization: `Token ${config.apiToken}` } });
    return { contents: [{ uri: uri.href, text: await res.text() }] };
  },
);

await server.connect(new StdioServerTransport());
