// commerce-agent: an MCP server (TypeScript, McpServer + zod) for a web shop.
// The author kept "temporary" credentials in the source; they are all live.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import Anthropic from "@anthropic-ai/sdk";
import Stripe from "stripe";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { Client as NotionClient } from "@notionhq/client";
import { ServerClient } from "postmark";
import { createClient } from "@supabase/supabase-js";
import twilio from "twilio";
import Groq from "groq-sdk";
import { Pool } from "pg";
import { Wallet } from "ethers";

// ruleid: hardcoded-secret
const anthropic = new Anthropic({ apiKey: "sk-ant-api03-c2xCXWMpYIkgA0McKchx6voEHJWemD1Sum6_HhMVjVWgYeYy7vQiKqArUJcjzxG2IFm4GGQ1QD56uYeQUppojCMAY5WlFAA" });

// ruleid: hardcoded-secret
const XAI_API_KEY: string = process.env.XAI_API_KEY ?? "xai-87kdfXS4c05jATvaYoJQUC9z5GCu5KAeqy9iljCgXFbXZYIUGL4DXMZhvqOqV8C8AgP8GFI3nfA2hna5";

enum ProviderKey {
  // ruleid: hardcoded-secret
  Groq = "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",
  Local = "",
}

const groq = new Groq({ apiKey: ProviderKey.Groq });

function stripeClient(
  // ruleid: hardcoded-secret
  secretKey: string = "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",
): Stripe {
  return new Stripe(secretKey, { apiVersion: "2024-06-20" });
}

class GitHubReleases {
  // ruleid: hardcoded-secret
  private readonly token = "ghp_8NWN3SD6TRuYjCmbDsFmoKu08Ky5Q3E0AoP0";
  private readonly api = "https://api.github.com";

  async latest(owner: string, repo: string): Promise<string> {
    const res = await fetch(`${this.api}/repos/${owner}/${repo}/releases/latest`, {
      headers: { Authorization: `Bearer ${this.token}`, Accept: "application/vnd.github+json" },
    });
    const body = (await res.json()) as { tag_name: string };
    return body.tag_name;
  }
}

const githubAppSession = {
  installationId: 51234987,
  // ruleid: hardcoded-secret
  refresh_token: "ghr_mFDRLTjIxrmefvA8IlEX1nAZIjxKCYlbhjne",
} as const;

const s3 = new S3Client({
  region: "us-east-2",
  credentials: {
    // ruleid: hardcoded-secret
    accessKeyId: "AKIAJAEYLILJE2PELKZC",
    // ruleid: hardcoded-secret
    secretAccessKey: "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",
  },
});

// ruleid: hardcoded-secret
const notion = new NotionClient({ auth: "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" });

// ruleid: hardcoded-secret
const postmark = new ServerClient("4ecd3ff3-0979-48b8-bcfd-9c0e74e8c129");

const supabase = createClient(
  "https://hxkqzrwmvbtlpnjdyfce.supabase.co",
  // ruleid: hardcoded-secret
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InJmY29iYWR1dnNzeWRka2J5ZGlpIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcyNzcxMjYyOCwiZXhwIjoyMDQzMDcyNjI4fQ.jJYCtAy6RfMEohjLPSXmr3R8R_KYivgm40TKvXz4xci",
);

const SUPABASE_MANAGEMENT = {
  baseUrl: "https://api.supabase.com/v1",
  // ruleid: hardcoded-secret
  accessToken: "sbp_945efa846cf4b17faead190bce6ae8f69c0c1835",
};

// ruleid: hardcoded-secret
const TWILIO_API_SECRET = "S2UxRcZpbRNliSLvqctdHONNkqgZU41U";
const sms = twilio(
  // ruleid: hardcoded-secret
  "SKad639fd9f81095cebe9a4cdc9dd3bbc5",
  TWILIO_API_SECRET,
  // ok: hardcoded-secret
  { accountSid: "AC7b98e10a3e7a5b87ef02b5f242094f4e" },
);

const SHOPIFY = {
  shop: "acme-outdoor.myshopify.com",
  headers: {
    "Content-Type": "application/json",
    // ruleid: hardcoded-secret
    "X-Shopify-Access-Token": "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",
  },
};

const db = new Pool({
  host: "pg.acme-outdoor.internal",
  user: "commerce_agent",
  // ruleid: hardcoded-secret
  password: "cPDzBERwZkj6q3qzt^3XqC",
  database: "shop",
});

const REPORTS_REMOTE: string =
  // ruleid: hardcoded-secret
  "https://deploy-bot:ghp_kL0eYWELDukivwk1lKNnlmUcpFCUvy6Qi4ot@github.com/acme-outdoor/sales-reports.git";

// ruleid: hardcoded-secret
const authToken: string = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjU1ZTc3OGJhNWJmYzQ3MjQifQ.eyJzdWIiOiJiM2E4ZjM3OS0yMTAxLTRkZTYtYTRlMi00ZWZhOWNkMjY2OWQiLCJzY29wZSI6Im1jcDp0b29scyIsImlhdCI6MTczMjU0ODYzN30.JbhiLlMsX6ocVhJ2WoqGa9gvwQUhOWdli9qa4ZM8DCJSHukC1onGDnU6V0yVYn5rCPv0kEQCaQubq1oQhMkpEnSq78k3AT9-07PGqXnE4pEAK6OOh4ned8ZRq9HD7CIimuaHGu264M73bU3wvrXCk87c1fi6kItUXDzumGK1K65LEoLhnvPTNUthYKhVmnrPxwWawoMlt3zPvaVuKz91kP9mLGVkoJeHFYDA50bdLOVcb2GuVEw_lIyOC6cygli4znFJOKIUhDQuGDO1CD8ZmbTkn4Qfqm9nw-1XGVDZObb79QzC1-f6lLDtwAurEh7pf3Ksyf9M72yMLwjb7bs8Fi";

// ruleid: hardcoded-secret
const PRIVATE_KEY = "0x5b998c4010522016949e679be311a0c02d2e1a9a31852a97facf033292cf7849";
const treasury = new Wallet(PRIVATE_KEY);

// ruleid: hardcoded-secret
const STOREFRONT_SIGNING_KEY: string = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICTwh6dQBo9OGMqOcAcK00BIhK2U1NNwja3e+XRWAGey
-----END PRIVATE KEY-----
`;

const HF_INFERENCE = {
  url: "https://api-inference.huggingface.co/models/sentence-transformers/all-MiniLM-L6-v2",
  // ruleid: hardcoded-secret
  headers: { Authorization: "Bearer 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" },
};

const server = new McpServer({ name: "commerce-agent", version: "0.9.2" });
type Text = { content: { type: "text"; text: string }[] };
const text = (t: string): Text => ({ content: [{ type: "text", text: t }] });

server.tool(
  "refund_order",
  "Refund a Stripe payment intent",
  { paymentIntent: z.string(), amount: z.number().int().positive().optional() },
  async ({ paymentIntent, amount }) => {
    const refund = await stripeClient().refunds.create({ payment_intent: paymentIntent, amount });
    return text(`refund ${refund.id}: ${refund.status}`);
  },
);

server.tool(
  "order_count",
  "Count orders created today",
  {},
  async () => {
    const { rows } = await db.query("select count(*) as n from orders where created_at::date = current_date");
    return text(String(rows[0].n));
  },
);

server.tool(
  "jira_ticket",
  "Open a Jira ticket for a customer complaint",
  { summary: z.string(), description: z.string() },
  async ({ summary, description }) => {
    const res = await fetch("https://acme-outdoor.atlassian.net/rest/api/3/issue", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        // ruleid: hardcoded-secret
        Authorization: `Basic ${Buffer.from(`support@acme-outdoor.com:ATATT3xFfGF0PH0s-hqrMR-RqmF2Lwt53sgWvfUuKR96Mjmkj5uNpZm26RON0qLojFogMH_6ZBCWRX764nWoutBjpribf9ItyNUpjQq7WmlfKCz4Dl9AMWF3-hmUvltxlRbBIWbAt8F1C7JufHkGo9Ucjzp-quFbfNe3FrrjbMMi261r0CoARNu=BF1A22C8`).toString("base64")}`,
      },
      body: JSON.stringify({ fields: { project: { key: "CS" }, summary, description, issuetype: { name: "Task" } } }),
    });
    const body = (await res.json()) as { key: string };
    return text(body.key);
  },
);

server.tool(
  "warehouse_status",
  "Check the warehouse API",
  {},
  async () => {
    const res = await fetch("https://wms.acme-outdoor.com/api/status", {
      // ruleid: hardcoded-secret
      headers: { Authorization: "Basic c3ZjLW1jcEBhY21lLWNvcnAubmV0OkI2YXhpTVE1V1ZBYWVJSmhrUG9wU1pmRg==" },
    });
    return text(await res.text());
  },
);

server.tool(
  "summarize_reviews",
  "Summarize product reviews with Claude",
  { reviews: z.array(z.string()) },
  async ({ reviews }) => {
    const msg = await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 512,
      messages: [{ role: "user", content: `Summarize these reviews:\n${reviews.join("\n")}` }],
    });
    const block = msg.content[0];
    return text(block.type === "text" ? block.text : "");
  },
);

export { anthropic, groq, s3, notion, postmark, supabase, sms, SHOPIFY, REPORTS_REMOTE, authToken, treasury, githubAppSession, GitHubReleases, SUPABASE_MANAGEMENT, HF_INFERENCE, STOREFRONT_SIGNING_KEY, XAI_API_KEY, PutObjectCommand };

await server.connect(new StdioServerTransport());
