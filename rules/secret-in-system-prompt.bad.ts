// Assistant back ends (TypeScript) that put credentials into what the model reads: Gemini,
// Mistral, Azure OpenAI, LangChain.js, the Vercel AI SDK and MCP sampling, fed from
// process.env (direct, aliased, spread), Deno.env, a settings object, a helper and a literal.

import { GoogleGenAI } from "@google/genai";
import { Mistral } from "@mistralai/mistralai";
import { AzureOpenAI } from "openai";
import { ChatAnthropic } from "@langchain/anthropic";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatPromptTemplate } from "@langchain/core/prompts";
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
}

const { env } = process;

const settings: Settings = {
  sentryDsn: env.SENTRY_DSN ?? "",
  vercelToken: env.VERCEL_TOKEN ?? "",
  team: env.VERCEL_TEAM ?? "northwind",
};

// Fallback so the demo works without configuration.
const DEFAULT_ANTHROPIC_KEY = "sk-ant-api03-lcLa3vOod3W1RxHa_im5JwPjznbba5gCVFTb99_1lY4efqYxT3ygUZxi5s3TA7Cbq-ZB4zC-95LQZ25r91G3wNAd_VpZ8AA";

function readSecret(name: string): string {
  return (typeof Deno !== "undefined" ? Deno.env.get(name) : process.env[name]) ?? "";
}

function cloudflareToken(): string {
  return process.env.CLOUDFLARE_API_TOKEN ?? "";
}

const ai = new GoogleGenAI({ apiKey: env.GEMINI_API_KEY });
const mistral = new Mistral({ apiKey: env.MISTRAL_API_KEY ?? "" });
const azure = new AzureOpenAI({ endpoint: env.AZURE_OPENAI_ENDPOINT, apiVersion: "2024-10-21", deployment: "gpt-4o" });
const claude = new ChatAnthropic({ model: "claude-3-5-haiku-20241022", apiKey: env.ANTHROPIC_API_KEY ?? DEFAULT_ANTHROPIC_KEY });

const server = new McpServer({ name: "deploy-copilot", version: "0.9.0" });

server.registerTool(
  "plan_deploy",
  { description: "Plan a deployment to Vercel", inputSchema: { project: z.string() } },
  async ({ project }) => {
    const res = await ai.models.generateContent({
      model: "gemini-2.5-flash",
      contents: `Plan a production deploy of ${project}.`,
      config: {
        // ruleid: secret-in-system-prompt
        systemInstruction: `You deploy to Vercel team ${settings.team} with token ${settings.vercelToken}.`,
      },
    });
    return { content: [{ type: "text", text: res.text ?? "" }] };
  },
);

server.registerTool(
  "triage_crash",
  { description: "Explain a crash report", inputSchema: { report: z.string() } },
  async ({ report }) => {
    const res = await mistral.chat.complete({
      model: "mistral-large-latest",
      messages: [
        // ruleid: secret-in-system-prompt
        { role: "system", content: "Crash reports are ingested at " + settings.sentryDsn },
        { role: "user", content: report },
      ],
    });
    return { content: [{ type: "text", text: String(res.choices?.[0]?.message?.content ?? "") }] };
  },
);

server.registerTool(
  "dns_change",
  { description: "Propose a DNS change", inputSchema: { record: z.string() } },
  async ({ record }) => {
    const completion = await azure.chat.completions.create({
      model: "gpt-4o",
      messages: [
        // todoruleid: secret-in-system-prompt
        { role: "system", content: `Apply DNS changes with the Cloudflare token ${cloudflareToken()}.` },
        { role: "user", content: `Change ${record}.` },
      ],
    });
    return { content: [{ type: "text", text: completion.choices[0].message.content ?? "" }] };
  },
);

server.registerTool(
  "db_migration",
  { description: "Review a database migration", inputSchema: { sql: z.string() } },
  async ({ sql }) => {
    const reply = await claude.invoke([
      // ruleid: secret-in-system-prompt
      new SystemMessage(`You review migrations. Production database: ${readSecret("DATABASE_URL")}`),
      new HumanMessage(sql),
    ]);
    return { content: [{ type: "text", text: String(reply.content) }] };
  },
);

server.registerTool(
  "support_reply",
  { description: "Draft a support reply", inputSchema: { ticket: z.string() } },
  async ({ ticket }) => {
    const prompt = ChatPromptTemplate.fromMessages([
      // ruleid: secret-in-system-prompt
      ["system", `You answer support tickets. Admin key: ${Deno.env.get("SUPPORT_ADMIN_KEY")}`],
      ["human", "{ticket}"],
    ]);
    const reply = await prompt.pipe(claude).invoke({ ticket });
    return { content: [{ type: "text", text: String(reply.content) }] };
  },
);

server.registerTool(
  "env_doctor",
  { description: "Diagnose configuration problems", inputSchema: { symptom: z.string() } },
  async ({ symptom }) => {
    const runtime = { ...process.env, node: process.version };
    const { text } = await generateText({
      model: anthropic("claude-sonnet-4-20250514"),
      // ruleid: secret-in-system-prompt
      system: `Runtime configuration:\n${JSON.stringify(runtime, null, 2)}`,
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
          // ruleid: secret-in-system-prompt
          content: { type: "text", text: `Label "${title}". Anthropic fallback key: ${DEFAULT_ANTHROPIC_KEY}` },
        },
      ],
      maxTokens: 100,
    });
    return { content: [{ type: "text", text: sampled.content.type === "text" ? sampled.content.text : "" }] };
  },
);

await server.connect(new StdioServerTransport());
