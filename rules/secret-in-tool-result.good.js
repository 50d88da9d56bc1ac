// The storefront tools again (JavaScript): results carry upstream answers, presence checks,
// masked values, fingerprints, variable names and non-secret settings, never a credential.

import { createHash } from "node:crypto";
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

const SECRETISH = /token|secret|password|key|dsn|_ur[il]$|credential/i;
const mask = (v) => (v ? `${v.slice(0, 4)}…` : "(unset)");
const fingerprint = (v) => createHash("sha256").update(v ?? "").digest("hex").slice(0, 8);
const redactEnv = (vars) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, SECRETISH.test(k) ? "[redacted]" : v]));

const server = new McpServer({ name: "storefront-ops", version: "0.7.3" });

server.tool("debug_env", "List the environment variables the server sees (values hidden)", {}, async () => ({
  // ok: secret-in-tool-result
  content: [{ type: "text", text: Object.keys(process.env).sort().join("\n") }],
}));

server.tool("runtime_info", "Node version and non-secret settings", {}, async () => {
  const info = { node: process.version, platform: process.platform, logLevel: env.LOG_LEVEL ?? "info", port: env.PORT };
  // ok: secret-in-tool-result
  return { content: [{ type: "text", text: JSON.stringify(info) }] };
});

server.tool("payout_config", "Show the payouts client configuration", {}, async () => {
  return {
    content: [
      {
        type: "text",
        // ok: secret-in-tool-result
        text: `Payouts API ${config.apiBase}, currency ${config.currency}, secret ${config.apiSecret ? "configured" : "missing"}`,
      },
    ],
  };
});

server.tool("db_status", "Check the catalog database connection", {}, async () => {
  const host = MONGODB_URI ? new URL(MONGODB_URI).hostname : "(unset)";
  return {
    // ok: secret-in-tool-result
    content: [{ type: "text", text: `Catalog database host: ${host}; credential fingerprint ${fingerprint(MONGODB_URI)}` }],
  };
});

server.tool("search_settings", "Algolia search settings", {}, async () => {
  const settings = { appId: ALGOLIA_APP_ID, adminKey: mask(ALGOLIA_ADMIN_KEY), index: "products" };
  return {
    // ok: secret-in-tool-result
    content: [{ type: "text", text: JSON.stringify(settings) }],
    // ok: secret-in-tool-result
    structuredContent: settings,
  };
});

server.tool("search_products", "Search the product catalog", { query: z.string() }, async ({ query }) => {
  const res = await fetch(`https://${ALGOLIA_APP_ID}-dsn.algolia.net/1/indexes/products/query`, {
    method: "POST",
    // ok: secret-in-tool-result
    headers: { "X-Algolia-API-Key": ALGOLIA_ADMIN_KEY, "X-Algolia-Application-Id": ALGOLIA_APP_ID },
    body: JSON.stringify({ query, hitsPerPage: 10 }),
  });
  const { hits } = await res.json();
  // ok: secret-in-tool-result
  return { content: [{ type: "text", text: hits.map((h) => `${h.objectID}: ${h.name}`).join("\n") }] };
});

server.tool("redacted_env", "Environment with secret values hidden", {}, async () => {
  // ok: secret-in-tool-result
  return { content: [{ type: "text", text: JSON.stringify(redactEnv(process.env), null, 2) }] };
});

server.registerTool(
  "webhook_secret",
  { title: "Webhook secret", description: "Say whether the storefront signing secret is configured", inputSchema: {} },
  async () => ({
    // ok: secret-in-tool-result
    content: [{ type: "text", text: `STOREFRONT_WEBHOOK_SECRET is ${env.STOREFRONT_WEBHOOK_SECRET ? "set" : "not set"}; copy it from the vault.` }],
  }),
);

server.resource("payout-config", "config://payouts", async (uri) => ({
  // ok: secret-in-tool-result
  contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify({ apiBase: config.apiBase, currency: config.currency }) }],
}));

server.prompt("reindex_catalog", { index: z.string() }, ({ index }) => ({
  messages: [
    {
      role: "user",
      content: {
        type: "text",
        // ok: secret-in-tool-result
        text: `Reindex ${index}: curl -X POST -H "X-Algolia-API-Key: $ALGOLIA_ADMIN_KEY" https://${ALGOLIA_APP_ID}.algolia.net/1/indexes/${index}/clear`,
      },
    },
  ],
}));

// What a token is about, not the token: the account read from a bearer token's claims, and an
// error about a pagination skip token.
function identityOf(bearerToken) {
  const payload = JSON.parse(Buffer.from(bearerToken.split(".")[1] ?? "", "base64url").toString("utf8") || "{}");
  return payload.upn ?? payload.email ?? "";
}

function checkSkipToken(query) {
  return query.$skiptoken && !/^[A-Za-z0-9+/=]+$/.test(query.$skiptoken) ? "the $skiptoken parameter is malformed" : "";
}

server.tool("whoami", { account: z.string(), query: z.record(z.string()) }, async ({ account, query }, extra) => {
  const bearerIdentity = identityOf(extra.authInfo?.token ?? "");
  const skiptokenError = checkSkipToken(query);
  if (skiptokenError) {
    // ok: secret-in-tool-result
    return { content: [{ type: "text", text: skiptokenError }] };
  }
  // todook: secret-in-tool-result
  return { content: [{ type: "text", text: `connected as ${bearerIdentity}, asked for ${account}` }] };
});

await server.connect(new StdioServerTransport());
