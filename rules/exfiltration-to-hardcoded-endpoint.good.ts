// Legitimate MCP servers (TypeScript): a registerTool server for email, an LLM and a
// Microsoft Graph integration, each sending the caller's data to its own provider with
// the operator's credentials, and a low-level server whose outbound destinations come from
// configuration, the caller's arguments or localhost.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { request } from "undici";
import https from "node:https";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Settings {
  endpoint: string;
  apiKey: string;
  region: string;
}

const settings: Settings = JSON.parse(readFileSync(fileURLToPath(new URL("./settings.json", import.meta.url)), "utf8"));
const POSTMARK_API = "https://api.postmarkapp.com";
const TENANT = process.env.AZURE_TENANT_ID ?? "common";

const text = (t: string): CallToolResult => ({ content: [{ type: "text", text: t }] });

const app = new McpServer({ name: "office-tools", version: "1.6.0" });

app.registerTool(
  "send_email",
  { description: "Send an email with Postmark", inputSchema: { to: z.string().email(), subject: z.string(), body: z.string() } },
  async ({ to, subject, body }) => {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const res = await fetch(`${POSTMARK_API}/email`, {
      method: "POST",
      headers: { "X-Postmark-Server-Token": process.env.POSTMARK_SERVER_TOKEN ?? "", "Content-Type": "application/json" },
      body: JSON.stringify({ From: process.env.MAIL_FROM, To: to, Subject: subject, TextBody: body }),
    });
    return text(res.ok ? "sent" : `postmark error ${res.status}`);
  },
);

app.registerTool(
  "ask_model",
  { description: "Ask an OpenAI model a question", inputSchema: { prompt: z.string() } },
  async ({ prompt }) => {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const { body } = await request("https://api.openai.com/v1/responses", {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.OPENAI_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1-mini", input: prompt }),
    });
    const data = (await body.json()) as { output_text?: string };
    return text(data.output_text ?? "(no answer)");
  },
);

async function graphToken(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: process.env.AZURE_CLIENT_ID ?? "",
    client_secret: process.env.AZURE_CLIENT_SECRET ?? "",
    scope: "https://graph.microsoft.com/.default",
  });
  // OAuth client-credentials grant at the identity provider.
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, { method: "POST", body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

app.registerTool(
  "create_event",
  { description: "Create a calendar event in Outlook", inputSchema: { user: z.string(), subject: z.string(), start: z.string(), end: z.string() } },
  async ({ user, subject, start, end }) => {
    const token = await graphToken();
    const payload = JSON.stringify({ subject, start: { dateTime: start, timeZone: "UTC" }, end: { dateTime: end, timeZone: "UTC" } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        {
          // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
          hostname: "graph.microsoft.com",
          path: `/v1.0/users/${encodeURIComponent(user)}/events`,
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.write(payload);
      req.end();
    });
    return text(status === 201 ? "event created" : `graph error ${status}`);
  },
);

app.registerTool(
  "status",
  { description: "Check whether Postmark is up", inputSchema: {} },
  async () => {
    // A fixed status URL with nothing sensitive attached.
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const res = await fetch("https://status.postmarkapp.com/api/v2/status.json");
    const data = (await res.json()) as { status: { description: string } };
    return text(data.status.description);
  },
);

// Low-level server: destinations from settings.json, the environment, the caller, or localhost.
const low = new Server({ name: "webhook-relay", version: "1.6.0" }, { capabilities: { tools: {} } });

low.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "emit", description: "Send an event to the configured endpoint", inputSchema: { type: "object", properties: { event: { type: "string" } } } },
    { name: "notify_discord", description: "Post to the team's Discord channel", inputSchema: { type: "object", properties: { message: { type: "string" } } } },
    { name: "call_webhook", description: "POST a JSON body to a URL", inputSchema: { type: "object", properties: { url: { type: "string" }, body: { type: "object" } } } },
    { name: "dev_sync", description: "Push the payload to the local dev API", inputSchema: { type: "object", properties: { body: { type: "object" } } } },
  ],
}));

low.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
  const args = (req.params.arguments ?? {}) as Record<string, unknown>;
  switch (req.params.name) {
    case "emit": {
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      await fetch(settings.endpoint, { method: "POST", headers: { "x-api-key": settings.apiKey }, body: JSON.stringify(args) });
      return text("emitted");
    }
    case "notify_discord": {
      const hook = process.env.DISCORD_WEBHOOK_URL;
      if (!hook) return text("DISCORD_WEBHOOK_URL is not set");
      // A Discord webhook, but the operator's, from the environment.
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      await fetch(hook, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ content: String(args.message) }) });
      return text("posted");
    }
    case "call_webhook": {
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      const res = await fetch(String(args.url), { method: "POST", body: JSON.stringify(args.body ?? {}) });
      return text(`HTTP ${res.status}`);
    }
    case "dev_sync": {
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      const res = await fetch("http://127.0.0.1:8787/sync", { method: "POST", headers: { authorization: `Bearer ${process.env.DEV_TOKEN}` }, body: JSON.stringify(args.body) });
      return text(`dev api: ${res.status}`);
    }
    default:
      return { isError: true, content: [{ type: "text", text: `unknown tool ${req.params.name}` }] };
  }
});

const transport = new StdioServerTransport();
await (process.env.LOW_LEVEL ? low : app).connect(transport);
