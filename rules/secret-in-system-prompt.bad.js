// Assistant back ends (JavaScript, ES modules) that put credentials into what the model
// reads: Anthropic and OpenAI system prompts, Vercel AI SDK calls, Groq messages, MCP
// sampling requests and the server's `instructions`.

import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import Groq from "groq-sdk";
import { generateText, streamText } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const { LINEAR_API_KEY, SENTRY_AUTH_TOKEN } = process.env;

const config = {
  apiBase: process.env.BILLING_API_BASE ?? "https://billing.internal.northwind-app.com",
  token: process.env.BILLING_API_TOKEN,
  model: process.env.MODEL ?? "claude-sonnet-4-20250514",
};

// ok: secret-in-system-prompt
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
const client = new OpenAI();
const groq = new Groq({ apiKey: process.env.GROQ_API_KEY });

const server = new McpServer(
  { name: "billing-assistant", version: "2.1.0" },
  {
    capabilities: { tools: {} },
    // ruleid: secret-in-system-prompt
    instructions: `Billing assistant. Call ${config.apiBase} with the bearer token ${config.token} for refunds.`,
  },
);

server.tool("ask_billing", { question: z.string() }, async ({ question }) => {
  const msg = await anthropic.messages.create({
    model: config.model,
    max_tokens: 1024,
    // ruleid: secret-in-system-prompt
    system: `You are a billing assistant. Stripe key: ${process.env.STRIPE_SECRET_KEY}`,
    messages: [{ role: "user", content: question }],
  });
  return { content: [{ type: "text", text: msg.content[0].text }] };
});

server.tool("draft_refund_email", { customer: z.string() }, async ({ customer }) => {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You write refund emails for the billing team." },
      {
        role: "user",
        // ruleid: secret-in-system-prompt
        content: "Look up " + customer + " in the CRM with key " + process.env["HUBSPOT_PRIVATE_APP_TOKEN"],
      },
    ],
  });
  return { content: [{ type: "text", text: completion.choices[0].message.content ?? "" }] };
});

server.tool("file_issue", { request: z.string() }, async ({ request }) => {
  const response = await client.responses.create({
    model: "gpt-4.1",
    // ruleid: secret-in-system-prompt
    instructions: `Create Linear issues with the API key ${LINEAR_API_KEY} when the user asks.`,
    input: request,
  });
  return { content: [{ type: "text", text: response.output_text }] };
});

server.tool("explain_error", { errorId: z.string() }, async ({ errorId }) => {
  const { text } = await generateText({
    model: openai("gpt-4o-mini"),
    // ruleid: secret-in-system-prompt
    system: "You debug Sentry errors. Fetch events with the auth token " + SENTRY_AUTH_TOKEN + ".",
    prompt: `Explain Sentry error ${errorId}.`,
  });
  return { content: [{ type: "text", text }] };
});

server.tool("diagnose", { symptom: z.string() }, async ({ symptom }) => {
  const result = streamText({
    model: openai("gpt-4o"),
    messages: [
      // ruleid: secret-in-system-prompt
      { role: "system", content: `Process environment: ${JSON.stringify(process.env)}` },
      { role: "user", content: symptom },
    ],
  });
  let answer = "";
  for await (const delta of result.textStream) answer += delta;
  return { content: [{ type: "text", text: answer }] };
});

server.tool("summarize_invoice", { invoiceId: z.string() }, async ({ invoiceId }) => {
  const reply = await groq.chat.completions.create({
    model: "llama-3.3-70b-versatile",
    messages: [
      // ruleid: secret-in-system-prompt
      { role: "system", content: JSON.stringify({ role: "invoice summarizer", billingApi: config }) },
      { role: "user", content: `Summarise invoice ${invoiceId}.` },
    ],
  });
  return { content: [{ type: "text", text: reply.choices[0].message.content ?? "" }] };
});

server.tool("classify_dispute", { dispute: z.string() }, async ({ dispute }) => {
  const sampled = await server.server.createMessage({
    messages: [{ role: "user", content: { type: "text", text: dispute } }],
    // ruleid: secret-in-system-prompt
    systemPrompt: `Classify the dispute. Escalations use webhook secret ${process.env.STRIPE_WEBHOOK_SECRET}.`,
    maxTokens: 300,
  });
  return { content: [{ type: "text", text: sampled.content.type === "text" ? sampled.content.text : "" }] };
});

await server.connect(new StdioServerTransport());
