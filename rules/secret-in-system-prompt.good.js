// The billing assistant again (JavaScript), written so that no credential reaches the
// model: keys authenticate SDK clients and upstream calls; prompts carry variable names,
// masked forms, fingerprints, yes/no checks, non-secret settings and the user's words.

import { createHash } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { generateText, streamText } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const { LINEAR_API_KEY, SENTRY_AUTH_TOKEN, LOG_LEVEL = "info" } = process.env;

const config = {
  apiBase: process.env.BILLING_API_BASE ?? "https://billing.internal.northwind-app.com",
  token: process.env.BILLING_API_TOKEN,
  model: process.env.MODEL ?? "claude-sonnet-4-20250514",
};

function mask(secret) {
  if (!secret) return "(not set)";
  return secret.length > 8 ? `${secret.slice(0, 4)}…${secret.slice(-2)}` : "****";
}

// ok (other rule or none expected here) secret-in-system-prompt
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
const client = new OpenAI({
  baseURL: "https://oai.helicone.ai/v1",
  // ok (other rule or none expected here) secret-in-system-prompt
  defaultHeaders: { "Helicone-Auth": `Bearer ${process.env.HELICONE_API_KEY}` },
});

const server = new McpServer(
  { name: "billing-assistant", version: "2.1.0" },
  {
    capabilities: { tools: {} },
    // ok (other rule or none expected here) secret-in-system-prompt
    instructions: `Billing assistant for ${config.apiBase}. The server authenticates with BILLING_API_TOKEN; never ask the user for it.`,
  },
);

server.tool("ask_billing", { question: z.string() }, async ({ question }) => {
  const msg = await anthropic.messages.create({
    model: config.model,
    max_tokens: 1024,
    // ok (other rule or none expected here) secret-in-system-prompt
    system: `You are a billing assistant. Stripe key in use: ${mask(process.env.STRIPE_SECRET_KEY)}. Log level: ${LOG_LEVEL}.`,
    // ok (other rule or none expected here) secret-in-system-prompt
    messages: [{ role: "user", content: question }],
  });
  return { content: [{ type: "text", text: msg.content[0].text }] };
});

server.tool("draft_refund_email", { customer: z.string() }, async ({ customer }) => {
  const res = await fetch(`https://api.hubapi.com/crm/v3/objects/contacts/${encodeURIComponent(customer)}`, {
    // ok (other rule or none expected here) secret-in-system-prompt
    headers: { Authorization: `Bearer ${process.env.HUBSPOT_PRIVATE_APP_TOKEN}` },
  });
  const contact = await res.json();
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You write refund emails for the billing team." },
      // ok (other rule or none expected here) secret-in-system-prompt
      { role: "user", content: `Write a refund email to ${contact.properties.firstname} (${contact.properties.email}).` },
    ],
  });
  return { content: [{ type: "text", text: completion.choices[0].message.content ?? "" }] };
});

server.tool("file_issue", { request: z.string() }, async ({ request }) => {
  const response = await client.responses.create({
    model: "gpt-4.1",
    // ok (other rule or none expected here) secret-in-system-prompt
    instructions: `Draft Linear issues. Linear access is ${LINEAR_API_KEY ? "configured" : "missing (set LINEAR_API_KEY)"}.`,
    input: request,
  });
  return { content: [{ type: "text", text: response.output_text }] };
});

server.tool("explain_error", { errorId: z.string() }, async ({ errorId }) => {
  const fingerprint = createHash("sha256").update(SENTRY_AUTH_TOKEN ?? "").digest("hex").slice(0, 8);
  const { text } = await generateText({
    model: openai("gpt-4o-mini"),
    // ok (other rule or none expected here) secret-in-system-prompt
    system: "You debug Sentry errors. Token fingerprint " + fingerprint + ", " + (SENTRY_AUTH_TOKEN ?? "").length + " chars.",
    prompt: `Explain Sentry error ${errorId}.`,
  });
  return { content: [{ type: "text", text }] };
});

server.tool("diagnose", { symptom: z.string() }, async ({ symptom }) => {
  const result = streamText({
    model: openai("gpt-4o"),
    messages: [
      // ok (other rule or none expected here) secret-in-system-prompt
      { role: "system", content: `Node ${process.version}, port ${process.env.PORT ?? "3000"}, region ${process.env.REGION}.` },
      { role: "user", content: symptom },
    ],
  });
  let answer = "";
  for await (const delta of result.textStream) answer += delta;
  return { content: [{ type: "text", text: answer }] };
});

server.tool("classify_dispute", { dispute: z.string() }, async ({ dispute }) => {
  const sampled = await server.server.createMessage({
    // ok (other rule or none expected here) secret-in-system-prompt
    messages: [{ role: "user", content: { type: "text", text: dispute } }],
    // ok (other rule or none expected here) secret-in-system-prompt
    systemPrompt: `Classify the dispute. Disputes are sent from ${process.env.DEFAULT_SENDER_EMAIL}.`,
    maxTokens: 300,
  });
  return { content: [{ type: "text", text: sampled.content.type === "text" ? sampled.content.text : "" }] };
});

await server.connect(new StdioServerTransport());
