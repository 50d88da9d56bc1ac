// The deploy copilot again (TypeScript), keeping credentials out of the model's context:
// tokens go to SDK constructors and upstream requests; prompts get masked or hashed forms,
// presence checks, non-secret configuration, the names of missing variables and what the
// caller typed.

import { createHash } from "node:crypto";
import { GoogleGenAI } from "@google/genai";
import { Mistral } from "@mistralai/mistralai";
import { ChatAnthropic } from "@langchain/anthropic";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { generateText } from "ai";
import { anthropic } from "@ai-sdk/anthropic";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

declare const Deno: { env: { get(name: string): string | undefined } };

interface Settings {
  sentryDsn: string;
  vercelToken: string;
  team: string;
  region: string;
}

const { env } = process;

const settings: Settings = {
  sentryDsn: env.SENTRY_DSN ?? "",
  vercelToken: env.VERCEL_TOKEN ?? "",
  team: env.VERCEL_TEAM ?? "northwind",
  region: env.REGION ?? "iad1",
};

const redact = (value: string): string => (value ? `${value.slice(0, 3)}…(${value.length})` : "(unset)");
const fingerprint = (value: string): string => createHash("sha256").update(value).digest("hex").slice(0, 8);

// ok (other rule or none expected here) secret-in-system-prompt
const ai = new GoogleGenAI({ apiKey: env.GEMINI_API_KEY });
const mistral = new Mistral({ apiKey: env.MISTRAL_API_KEY ?? "" });
const claude = new ChatAnthropic({ model: "claude-3-5-haiku-20241022", apiKey: env.ANTHROPIC_API_KEY });

const server = new McpServer({ name: "deploy-copilot", version: "0.9.0" });

server.registerTool(
  "plan_deploy",
  { description: "Plan a deployment to Vercel", inputSchema: { project: z.string() } },
  async ({ project }) => {
    const res = await ai.models.generateContent({
      model: "gemini-2.5-flash",
      // ok (other rule or none expected here) secret-in-system-prompt
      contents: `Plan a production deploy of ${project}.`,
      config: {
        // ok (other rule or none expected here) secret-in-system-prompt
        systemInstruction: `You deploy to Vercel team ${settings.team} in ${settings.region}. Token: ${redact(settings.vercelToken)}.`,
      },
    });
    return { content: [{ type: "text", text: res.text ?? "" }] };
  },
);

server.registerTool(
  "triage_crash",
  { description: "Explain a crash report", inputSchema: { eventId: z.string() } },
  async ({ eventId }) => {
    const event = await fetch(`https://sentry.io/api/0/projects/northwind/web/events/${eventId}/`, {
      // ok (other rule or none expected here) secret-in-system-prompt
      headers: { Authorization: `Bearer ${env.SENTRY_AUTH_TOKEN}` },
    }).then((r) => r.json() as Promise<{ title: string; culprit: string }>);
    const res = await mistral.chat.complete({
      model: "mistral-large-latest",
      messages: [
        // ok (other rule or none expected here) secret-in-system-prompt
        { role: "system", content: "You explain crashes. Sentry ingestion is " + (settings.sentryDsn ? "enabled" : "disabled") },
        // ok (other rule or none expected here) secret-in-system-prompt
        { role: "user", content: `${event.title} in ${event.culprit}` },
      ],
    });
    return { content: [{ type: "text", text: String(res.choices?.[0]?.message?.content ?? "") }] };
  },
);

server.registerTool(
  "db_migration",
  { description: "Review a database migration", inputSchema: { sql: z.string() } },
  async ({ sql }) => {
    const dbUrl = Deno.env.get("DATABASE_URL") ?? "";
    const reply = await claude.invoke([
      // ok (other rule or none expected here) secret-in-system-prompt
      new SystemMessage(`You review migrations for the database with credential fingerprint ${fingerprint(dbUrl)}.`),
      new HumanMessage(sql),
    ]);
    return { content: [{ type: "text", text: String(reply.content) }] };
  },
);

server.registerTool(
  "env_doctor",
  { description: "Diagnose configuration problems", inputSchema: { symptom: z.string() } },
  async ({ symptom }) => {
    const missing = ["VERCEL_TOKEN", "SENTRY_DSN", "DATABASE_URL"].filter((name) => !process.env[name]);
    const { text } = await generateText({
      model: anthropic("claude-sonnet-4-20250514"),
      // ok (other rule or none expected here) secret-in-system-prompt
      system: `Missing variables: ${missing.join(", ") || "none"}. NODE_ENV=${env.NODE_ENV}, LOG_LEVEL=${env.LOG_LEVEL}.`,
      prompt: symptom,
    });
    return { content: [{ type: "text", text }] };
  },
);

server.registerTool(
  "label_pr",
  { description: "Suggest labels for a pull request", inputSchema: { title: z.string() } },
  async ({ title }) => {
    const sampled = await server.server.createMessage({
      messages: [
        {
          role: "user",
          // ok (other rule or none expected here) secret-in-system-prompt
          content: { type: "text", text: `Label "${title}". Allowed labels: ${env.PR_LABELS ?? "bug,feature,chore"}.` },
        },
      ],
      // ok (other rule or none expected here) secret-in-system-prompt
      systemPrompt: "You label pull requests. If the repository is private, the server uses GITHUB_TOKEN itself.",
      maxTokens: 100,
    });
    return { content: [{ type: "text", text: sampled.content.type === "text" ? sampled.content.text : "" }] };
  },
);

await server.connect(new StdioServerTransport());
