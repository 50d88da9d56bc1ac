// ops-copilot: an MCP server (JavaScript, ESM, McpServer + zod) whose author pasted
// live credentials into the source instead of reading them from the environment.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { Octokit } from "@octokit/rest";
import { WebClient } from "@slack/web-api";
import bolt from "@slack/bolt";
import Stripe from "stripe";
import sgMail from "@sendgrid/mail";
import Replicate from "replicate";
import { Client as DiscordClient, GatewayIntentBits } from "discord.js";
import { MongoClient } from "mongodb";

const anthropic = new Anthropic({
  apiKey:
    // todoruleid: hardcoded-secret
    "sk-ant-api03-" +
    "wK-jYshFpW5euuzmIFgFQFndhn2VFt0O5Z8mfZblk2mSRryXdjx5XAYNMQLTfEo1rtFWrZ2rkIhG7m_LjoMiYDzqt50itAA",
});

const openai = new OpenAI({
  // ruleid: hardcoded-secret
  apiKey: "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",
  organization: "org-ops-copilot",
});

const octokit = new Octokit({
  // ruleid: hardcoded-secret
  auth: process.env.GITHUB_TOKEN || "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",
  userAgent: "ops-copilot/1.4.0",
});

// ruleid: hardcoded-secret
const slack = new WebClient("xoxp-916825529185-257579427422-3189863756731-b2a1e231ed861c6709dba188c340fb7c");

const slackApp = new bolt.App({
  token: process.env.SLACK_BOT_TOKEN,
  // ruleid: hardcoded-secret
  appToken: "xapp-1-AAOENIYG617-2698680625911-789c18c2ebcaca867caa627cc78797aaed23db38cd288167a68a756cd3658a59",
  socketMode: true,
});

// ruleid: hardcoded-secret
const stripe = new Stripe("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", { apiVersion: "2024-06-20" });

// ruleid: hardcoded-secret
sgMail.setApiKey("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");

// ruleid: hardcoded-secret
const replicate = new Replicate({ auth: "r8_dsY6wU5wHnUPmUSDiFd18qpUwgAGKQFYAMsHf" });

// ruleid: hardcoded-secret
const mongo = new MongoClient("mongodb+srv://svc_ops:9KK1fNtdQS1PAWWBv8nlWdoz@cluster0.k3v9q.mongodb.net/ops?retryWrites=true");

const config = {
  service: "ops-copilot",
  // ruleid: hardcoded-secret
  apiKey: "ZNak6jwa7jPabzAK5zoHgXaG5gCVzLrBZU6CWCc8",
  region: "eu-central-1",
};

const DIGITALOCEAN = {
  baseUrl: "https://api.digitalocean.com/v2",
  headers: {
    "Content-Type": "application/json",
    // ruleid: hardcoded-secret
    Authorization: "Bearer dop_v1_aa2878b16d7d8dd1cc1fce93e61119960e83634193858642b04622dac97f49b4",
  },
};

const GITLAB_HEADERS = {
  // ruleid: hardcoded-secret
  "PRIVATE-TOKEN": "glpat-2kd7jcbb_EkW_NNgmi1D",
};

const BRAVE_SEARCH_HEADERS = {
  Accept: "application/json",
  // ruleid: hardcoded-secret
  "X-Subscription-Token": "BSAkEAEI0D6BxP7K9DQOcTJ1vVURQPf",
};

// ruleid: hardcoded-secret
const GOOGLE_MAPS_API_KEY = "AIzaSy-OTnOXs-wKPQm70734fOi24YZVGCTFnPs";

const githubOAuth = {
  clientId: "ops-copilot",
  // ruleid: hardcoded-secret
  token: "gho_L9Wdb1ReTfyNJccx8g7wSbDgYjCbbLX19PU7",
  // ruleid: hardcoded-secret
  userToServer: "ghu_oODeENxFFXItZXvhOc3YNymSepEdYudzi7ke",
};

// ruleid: hardcoded-secret
const credential = "hl6g8AZQL8NjRZhQHq8PWhqkxWZ9Gjvd";

// ruleid: hardcoded-secret
const SIGNING_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEICueSBSQN1OkfnyL45H2xqrbE1cn9JEjDTho/ipY9sP/oAoGCCqGSM49
AwEHoUQDQgAEUL3YkCLUme00f3oXvlNIoUhI48zAjmts65icUBeV7v15R96hJoX1
VDEERkXqY1ILloJj/WeanH3ApFo8RBlL5A==
-----END EC PRIVATE KEY-----
`;

const discord = new DiscordClient({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
// ruleid: hardcoded-secret
discord.login("MTMxMDgwMjgyNzc3NjcyNzc4MQ.yDkYeE.4Bkq75P8Xv8_uwdPCaN61hlJHbcFNtkzAOblnm");

const server = new McpServer({ name: "ops-copilot", version: "1.4.0" });

const text = (t) => ({ content: [{ type: "text", text: t }] });

server.tool(
  "list_pull_requests",
  "List open pull requests of a repository",
  { owner: z.string(), repo: z.string() },
  async ({ owner, repo }) => {
    const { data } = await octokit.pulls.list({ owner, repo, state: "open" });
    return text(data.map((pr) => `#${pr.number} ${pr.title}`).join("\n"));
  },
);

server.tool(
  "whoami_github",
  "Show which GitHub account the server acts as",
  {},
  async () => {
    const res = await fetch("https://api.github.com/user", {
      // ruleid: hardcoded-secret
      headers: { Authorization: `Bearer ghp_P2H1bPlRoM78Ys3lSrq9TrqXBp7TMSUrQDfQ`, Accept: "application/vnd.github+json" },
    });
    const user = await res.json();
    return text(user.login);
  },
);

server.tool(
  "telegram_send",
  "Send a Telegram message to a chat",
  { chatId: z.string(), message: z.string() },
  async ({ chatId, message }) => {
    const method = "sendMessage";
    // ruleid: hardcoded-secret
    const res = await fetch(`https://api.telegram.org/bot1611749210:AAxBZs_x2iLW9DFBGy0QytRYMwmUKx9PS8M/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ chat_id: chatId, text: message }),
    });
    return text(res.ok ? "sent" : `failed: ${res.status}`);
  },
);

server.tool(
  "geocode",
  "Geocode an address",
  { address: z.string() },
  async ({ address }) => {
    const res = await fetch(
      // ruleid: hardcoded-secret
      `https://maps.googleapis.com/maps/api/geocode/json?address=${encodeURIComponent(address)}&key=AIzaSyUxxJyCUDmlPHui7DdjWT6yRUArs8GiFhR`,
    );
    const body = await res.json();
    return text(JSON.stringify(body.results[0]?.geometry?.location ?? null));
  },
);

server.tool(
  "gitlab_pipelines",
  "List recent pipelines of a GitLab project",
  { projectId: z.string() },
  async ({ projectId }) => {
    const res = await fetch(`https://gitlab.com/api/v4/projects/${encodeURIComponent(projectId)}/pipelines`, {
      headers: GITLAB_HEADERS,
    });
    return text(JSON.stringify(await res.json()));
  },
);

server.tool(
  "publish_npm",
  "Publish the package in the working directory",
  { dir: z.string() },
  async ({ dir }) => {
    // ruleid: hardcoded-secret
    await writeFile(join(dir, ".npmrc"), `//registry.npmjs.org/:_authToken=npm_AiiRSMwdRCYEKO2liY73K9G4yM8IP0dkHYfh\n`);
    return text(`wrote ${join(dir, ".npmrc")}`);
  },
);

server.tool(
  "ask_claude",
  "Ask Claude a question",
  { prompt: z.string() },
  async ({ prompt }) => {
    const msg = await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: [{ role: "user", content: prompt }],
    });
    return text(msg.content[0].text);
  },
);

// Beside an application id and an index name, a key named as an admin key is still a secret.
const SEARCH_ADMIN = {
  appId: "B5P72B95FT",
  // ruleid: hardcoded-secret
  adminKey: "15461422d5b54b4048c6c336a7cdab27",
  indexName: "product_docs",
};
// A Google API key sent to Gemini is a billed credential, not a browser key.
async function summarize(text) {
  const res = await fetch(
    // ruleid: hardcoded-secret
    "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key=AIza3OkAvNWy9hemCTYqbEHuNZhUQBXDVqg2OcA",
    { method: "POST", body: JSON.stringify({ contents: [{ parts: [{ text }] }] }) },
  );
  return res.json();
}

await slackApp.start();
await server.connect(new StdioServerTransport());
