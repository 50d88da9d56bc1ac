// commerce-agent: an MCP server (TypeScript, McpServer + zod) for a web shop that
// takes its credentials from the environment, a config service or the caller.

import { readFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import Anthropic from "@anthropic-ai/sdk";
import Stripe from "stripe";
import { Pool } from "pg";
import config from "config";

interface Secrets {
  stripeSecretKey: string;
  shopifyAccessToken: string;
}

// ok (other rule or none expected here) hardcoded-secret
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY! });
// ok (other rule or none expected here) hardcoded-secret
const stripeSecretKey: string = config.get<string>("stripe.secretKey");
// ok (other rule or none expected here) hardcoded-secret
const secrets: Secrets = JSON.parse(readFileSync("/run/secrets/commerce-agent.json", "utf8"));
// ok (other rule or none expected here) hardcoded-secret
const API_KEY_ENV = "COMMERCE_AGENT_API_KEY";
// ok (other rule or none expected here) hardcoded-secret
const STRIPE_PUBLISHABLE_KEY = "pk_live_519Ws58EgBKbt1sgHnlxPdUExStgo3lNmvvRLW9Vt74exAdKyy71sOwqKSNCBgWcCACiIJA7D1LTzJnT79cL1aq3xWvqLSYxkmd";
// ok (other rule or none expected here) hardcoded-secret
const STRIPE_KEY_HINT = "sk_live_...";
// ok (other rule or none expected here) hardcoded-secret
const DEFAULT_API_KEY = "<YOUR_API_KEY>";
// ok (other rule or none expected here) hardcoded-secret
const MCP_IMAGE = "ghcr.io/github/github-mcp-server@sha256:c653c4dba09545d1928e61d47a0503aabd41d2bb65b9a2d8dd700e66929d9caf";
// ok (other rule or none expected here) hardcoded-secret
const SCHEMA_COMMIT = "3c790769e9ce71e5f73ad7d183a4ba6895a10a5e";
// ok (other rule or none expected here) hardcoded-secret
const CACHE_URL = "redis://localhost:6379/0";
// ok (other rule or none expected here) hardcoded-secret
const authorizationUrl = "https://github.com/login/oauth/authorize";
// ok (other rule or none expected here) hardcoded-secret
const tokenType = "bearer";

const stripe = new Stripe(stripeSecretKey || secrets.stripeSecretKey, { apiVersion: "2024-06-20" });

const db = new Pool({
  // ok (other rule or none expected here) hardcoded-secret
  connectionString: `postgres://commerce_agent:${process.env.DB_PASSWORD}@pg.acme-outdoor.internal:5432/shop`,
});

const ENV_EXAMPLE: Record<string, string> = {
  // ok (other rule or none expected here) hardcoded-secret
  ANTHROPIC_API_KEY: "{{ANTHROPIC_API_KEY}}",
  // ok (other rule or none expected here) hardcoded-secret
  SHOPIFY_ACCESS_TOKEN: "shpat_<your-admin-api-token>",
  // ok (other rule or none expected here) hardcoded-secret
  DB_PASSWORD: "changeme",
  // ok (other rule or none expected here) hardcoded-secret
  SUPABASE_SERVICE_ROLE_KEY: "",
  // ok (other rule or none expected here) hardcoded-secret
  NOTION_TOKEN: "ntn_****************************",
  // ok (other rule or none expected here) hardcoded-secret
  TELEGRAM_BOT_TOKEN: "123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

// ok (other rule or none expected here) hardcoded-secret
const JWKS_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwxj8r3uGv6IgikfND4mg
mhKF98z4u4rgOAsWfyMGfwYZVwuOwWlAlRoTqXbwTcf2hrm7kXezKhPVez42+6x1
alvc7K8p7DjxgtbLZvjTYyu4KMHtRGQlLPPex1qhQ+hXGLLRRACg7ojWRPamDIst
MUBgTz/FVc84jCnNkRdI7P3VHmJfXE3ykvpk48pad5vC3o30Od1PUS65iLJ4L/gZ
fERZBhwUlY3HAsdxS3B8gkFru2jHbUIRndLf7Ed2xDxPMjZSmv7sHdO5rfcNfgbV
eVXg+bDZZeApU53RgzLhz2BJWyTtA71ZexRLOGpilXcFyzjE/5vS3Ptsv5/5J+wQ
awIDAQAB
-----END PUBLIC KEY-----
`;

class ShopifyAdmin {
  // ok (other rule or none expected here) hardcoded-secret
  private token: string | undefined = undefined;

  constructor(private readonly shop: string) {}

  login(accessToken: string): void {
    // ok (other rule or none expected here) hardcoded-secret
    this.token = accessToken;
  }

  async orders(): Promise<unknown> {
    const res = await fetch(`https://${this.shop}/admin/api/2024-07/orders.json`, {
      headers: {
        // ok (other rule or none expected here) hardcoded-secret
        "X-Shopify-Access-Token": this.token ?? secrets.shopifyAccessToken,
      },
    });
    return res.json();
  }
}

function maskSecret(value: string): string {
  // ok (other rule or none expected here) hardcoded-secret
  return value.length > 8 ? `${value.slice(0, 4)}…${value.slice(-4)}` : "********";
}

const server = new McpServer({ name: "commerce-agent", version: "0.9.2" });
const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });
// ok (other rule or none expected here) hardcoded-secret
const shopify = new ShopifyAdmin("acme-outdoor.myshopify.com");

server.tool(
  "refund_order",
  // ok (other rule or none expected here) hardcoded-secret
  "Refund a Stripe payment intent. The server needs STRIPE_SECRET_KEY (a restricted rk_live_ key is enough).",
  { paymentIntent: z.string() },
  async ({ paymentIntent }) => {
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent });
    return text(`refund ${refund.id}: ${refund.status}`);
  },
);

server.tool(
  "connect_shopify",
  "Use the caller's Shopify Admin API token for this session",
  { accessToken: z.string() },
  async (args) => {
    // ok (other rule or none expected here) hardcoded-secret
    const accessToken = args.accessToken;
    shopify.login(accessToken);
    return text(`connected with ${maskSecret(accessToken)}`);
  },
);

server.tool(
  "order_count",
  "Count orders created today",
  {},
  async () => {
    // ok (other rule or none expected here) hardcoded-secret
    const requestId = "5694f9e9-7c8a-4265-85ae-bf67dd3fd56e";
    const { rows } = await db.query("select count(*) as n from orders where created_at::date = current_date /* " + requestId + " */");
    return text(String(rows[0].n));
  },
);

server.tool(
  "warehouse_status",
  "Check the warehouse API",
  {},
  async () => {
    const user = process.env.WMS_USER ?? "";
    const pass = process.env.WMS_PASSWORD ?? "";
    const res = await fetch("https://wms.acme-outdoor.com/api/status", {
      // ok (other rule or none expected here) hardcoded-secret
      headers: { Authorization: "Basic " + Buffer.from(`${user}:${pass}`).toString("base64") },
    });
    return text(await res.text());
  },
);

server.tool(
  "ask_claude",
  "Ask Claude about the catalogue",
  { question: z.string() },
  async ({ question }) => {
    const msg = await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 512,
      messages: [{ role: "user", content: question }],
    });
    const block = msg.content[0];
    return text(block.type === "text" ? block.text : "");
  },
);

// Used by the unit tests in test/fixtures.ts.
export const fixtures = {
  // ok (other rule or none expected here) hardcoded-secret
  stripe: new Stripe("sk-test-fake", { apiVersion: "2024-06-20" }),
  // ok (other rule or none expected here) hardcoded-secret
  admin: { username: "admin", password: "password" },
  // ok (other rule or none expected here) hardcoded-secret
  webhookSecret: "whsec_test_secret",
  // ok (other rule or none expected here) hardcoded-secret
  sampleKey: "sample-api-key",
};

export { API_KEY_ENV, STRIPE_PUBLISHABLE_KEY, STRIPE_KEY_HINT, DEFAULT_API_KEY, MCP_IMAGE, SCHEMA_COMMIT, CACHE_URL, authorizationUrl, tokenType, ENV_EXAMPLE, JWKS_PUBLIC_KEY };

await server.connect(new StdioServerTransport());

// Shapes seen in real MCP servers that are not secrets.
const MIME_TYPES: Record<string, { compressible: boolean }> = {
  // ok (other rule or none expected here) hardcoded-secret
  "application/token-introspection+jwt": { compressible: true },
  // ok (other rule or none expected here) hardcoded-secret
  "app.oauth.token_exchange.outcome": { compressible: false },
};
// ok (other rule or none expected here) hardcoded-secret
const REASON_REJECTED_TOKEN = "server-rejected-a-freshly-issued-token";
export function fixtureEnv(): void {
  // ok (other rule or none expected here) hardcoded-secret
  process.env.NOTION_TOKEN = "ntn_env_token_123";
}
export const headerFor = (secret: string) => ({
  // ok (other rule or none expected here) hardcoded-secret
  "x-firecrawl-keyless-secret": secret,
});
