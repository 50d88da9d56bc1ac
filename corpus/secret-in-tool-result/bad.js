// An McpServer (JavaScript) whose tool, resource and prompt handlers return credentials:
// an environment dump, a config object, a connection string, the key a call used, and a
// prompt that quotes a token. Results go straight into the model's context.

import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const { env } = process;
const { MONGODB_URI, ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID = "NW42ALG" } = process.env;

const config = {
  apiBase: env.PAYOUTS_API_BASE ?? "https://payouts.internal.northwind-app.com",
  apiSecret: env.PAYOUTS_API_SECRET,
  currency: "EUR",
};

function sendgridKey() {
  return process.env.SENDGRID_API_KEY ?? "";
}

const server = new McpServer({ name: "storefront-ops", version: "0.7.3" });

server.tool("debug_env", "Dump the server environment for troubleshooting", {}, async () => ({
  // ruleid: secret-in-tool-result
  content: [{ type: "text", text: JSON.stringify(process.env, null, 2) }],
}));

server.tool("runtime_info", "Node version and settings", {}, async () => {
  const info = { node: process.version, platform: process.platform, ...env };
  // ruleid: secret-in-tool-result
  return { content: [{ type: "text", text: JSON.stringify(info) }] };
});

server.tool("payout_config", "Show the payouts client configuration", {}, async () => {
  return {
    content: [
      {
        type: "text",
        // ruleid: secret-in-tool-result
        text: `Payouts API ${config.apiBase}, currency ${config.currency}, secret ${config.apiSecret}`,
      },
    ],
  };
});

server.tool("db_status", "Check the catalog database connection", {}, async () => {
  const started = Date.now();
  const ok = await fetch(`${config.apiBase}/health/db`).then((r) => r.ok, () => false);
  return {
    content: [
      {
        type: "text",
        // ruleid: secret-in-tool-result
        text: (ok ? "Connected to " : "Cannot reach ") + MONGODB_URI + ` (${Date.now() - started} ms)`,
      },
    ],
  };
});

server.tool("search_settings", "Algolia search settings", {}, async () => {
  const settings = { appId: ALGOLIA_APP_ID, adminKey: ALGOLIA_ADMIN_KEY, index: "products" };
  return {
    // ruleid: secret-in-tool-result
    content: [{ type: "text", text: JSON.stringify(settings) }],
    // ruleid: secret-in-tool-result
    structuredContent: settings,
  };
});

server.tool("send_test_email", "Send a test email through SendGrid", { to: z.string().email() }, async ({ to }) => {
  const key = sendgridKey();
  const res = await fetch("https://api.sendgrid.com/v3/mail/send", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      personalizations: [{ to: [{ email: to }] }],
      from: { email: env.DEFAULT_SENDER_EMAIL ?? "shop@northwind-app.com" },
      subject: "Test",
      content: [{ type: "text/plain", value: "It works." }],
    }),
  });
  if (!res.ok) {
    // ruleid: secret-in-tool-result
    return { isError: true, content: [{ type: "text", text: `SendGrid refused key ${key}: ${res.status}` }] };
  }
  return { content: [{ type: "text", text: `sent to ${to}` }] };
});

server.registerTool(
  "webhook_secret",
  { title: "Webhook secret", description: "Show the signing secret to paste into the storefront admin", inputSchema: {} },
  async () => ({
    // ruleid: secret-in-tool-result
    content: [{ type: "text", text: String(env.STOREFRONT_WEBHOOK_SECRET) }],
  }),
);

server.resource("payout-config", "config://payouts", async (uri) => ({
  // ruleid: secret-in-tool-result
  contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(config) }],
}));

server.prompt("reindex_catalog", { index: z.string() }, ({ index }) => ({
  messages: [
    {
      role: "user",
      content: {
        type: "text",
        // ruleid: secret-in-tool-result
        text: `Reindex ${index}: curl -X POST -H "X-Algolia-API-Key: ${process.env["ALGOLIA_ADMIN_KEY"]}" https://${ALGOLIA_APP_ID}.algolia.net/1/indexes/${index}/clear`,
      },
    },
  ],
}));

// An error thrown in a tool: the MCP SDK returns its message to the model.
// Reported where the token joins the text that is thrown (the message names the throw's line).
server.tool("order_status", "Status of an order", { id: z.string() }, async ({ id }) => {
  // ruleid: secret-in-tool-result
  const url = `https://api.shop.example/v1/orders/${encodeURIComponent(id)}?access_token=${process.env.SHOP_ACCESS_TOKEN}`;
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`order lookup failed (${res.status}): ${url}`);
  }
  return { content: [{ type: "text", text: await res.text() }] };
});

// A key the tool itself creates and hands back: reported as a note that says why.
server.tool("create_storefront_key", "Create an API key for the storefront", { name: z.string() }, async ({ name }) => {
  const res = await fetch("https://api.shop.example/v1/keys", { method: "POST", body: JSON.stringify({ name }) });
  const created = await res.json();
  return {
    // ruleid: secret-in-tool-result
    content: [{ type: "text", text: `Created key ${created.id}: ${created.secret_key}` }],
  };
});

await server.connect(new StdioServerTransport());
