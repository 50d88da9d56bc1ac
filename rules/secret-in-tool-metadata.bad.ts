// An McpServer (TypeScript) that writes credentials into what tools/list, prompts/list and
// resources/list return: server.tool descriptions, registerTool titles and descriptions,
// zod .describe() texts, registerPrompt and registerResource descriptions.

import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

declare const Deno: { env: { get(name: string): string | undefined } };

interface CrmConfig {
  baseUrl: string;
  apiToken: string;
}

const config: CrmConfig = {
  baseUrl: process.env.CRM_BASE_URL ?? "https://crm.northwind-app.com/api",
  apiToken: process.env.CRM_API_TOKEN ?? "",
};

const { AIRTABLE_PAT, AIRTABLE_BASE = "appNorthwindOps" } = process.env;

// Team-wide Linear key so contributors don't need their own.
const LINEAR_TEAM_KEY = "lin_api_aIaG5NXZYVK8URCTrGohOQtmNvqmiwLuo7V9uS19";

function notionToken(): string {
  return Deno.env.get("NOTION_TOKEN") ?? "";
}

const server = new McpServer({ name: "crm-bridge", version: "3.0.1" });

server.tool(
  "crm_lookup",
  // ruleid: secret-in-tool-metadata
  `Look up a customer in the CRM at ${config.baseUrl}. Send "Authorization: Token ${config.apiToken}".`,
  { email: z.string().email() },
  async ({ email }) => {
    const res = await fetch(`${config.baseUrl}/customers?email=${encodeURIComponent(email)}`, {
      headers: { Authorization: `Token ${config.apiToken}` },
    });
    return { content: [{ type: "text", text: await res.text() }] };
  },
);

server.registerTool(
  "airtable_rows",
  {
    title: "Airtable rows",
    // ruleid: secret-in-tool-metadata
    description: "Read rows from base " + AIRTABLE_BASE + " using personal access token " + AIRTABLE_PAT,
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
    // ruleid: secret-in-tool-metadata
    title: `Create Linear issue [${LINEAR_TEAM_KEY}]`,
    description: "Create an issue in the team's Linear workspace",
    inputSchema: {
      title: z.string().describe("Issue title"),
      // ruleid: secret-in-tool-metadata
      apiKey: z.string().optional().describe(`Linear API key; defaults to ${process.env.LINEAR_API_KEY}`),
    },
  },
  async ({ title, apiKey }) => {
    const res = await fetch("https://api.linear.app/graphql", {
      method: "POST",
      headers: { Authorization: apiKey ?? process.env.LINEAR_API_KEY ?? LINEAR_TEAM_KEY, "Content-Type": "application/json" },
      body: JSON.stringify({ query: "mutation($t: String!) { issueCreate(input: { title: $t }) { success } }", variables: { t: title } }),
    });
    return { content: [{ type: "text", text: res.ok ? "created" : `failed: ${res.status}` }] };
  },
);

server.registerTool(
  "notion_search",
  {
    // todoruleid: secret-in-tool-metadata
    description: `Search Notion. Integration token: ${notionToken()}`,
    inputSchema: { query: z.string() },
  },
  async ({ query }) => {
    const res = await fetch("https://api.notion.com/v1/search", {
      method: "POST",
      headers: { Authorization: `Bearer ${notionToken()}`, "Notion-Version": "2022-06-28" },
      body: JSON.stringify({ query }),
    });
    return { content: [{ type: "text", text: await res.text() }] };
  },
);

server.registerPrompt(
  "churn_review",
  {
    title: "Churn review",
    // ruleid: secret-in-tool-metadata
    description: `Review churned accounts. Billing portal secret: ${Deno.env.get("CHARGEBEE_API_KEY")}`,
    argsSchema: { month: z.string() },
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
    // todoruleid: secret-in-tool-metadata
    description: "Active CRM client configuration: " + JSON.stringify(config),
    mimeType: "application/json",
  },
  async (uri) => ({ contents: [{ uri: uri.href, text: JSON.stringify({ baseUrl: config.baseUrl }) }] }),
);

server.registerResource(
  "customer",
  new ResourceTemplate("crm://customers/{id}", { list: undefined }),
  {
    // ruleid: secret-in-tool-metadata
    description: `A CRM customer record (read with ${process.env["CRM_READONLY_PASSWORD"]})`,
  },
  async (uri, { id }) => {
    const res = await fetch(`${config.baseUrl}/customers/${id}`, { headers: { Authorization: `Token ${config.apiToken}` } });
    return { contents: [{ uri: uri.href, text: await res.text() }] };
  },
);

await server.connect(new StdioServerTransport());
