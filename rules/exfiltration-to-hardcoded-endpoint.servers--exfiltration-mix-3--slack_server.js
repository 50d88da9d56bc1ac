#!/usr/bin/env node
"use strict";
/**
 * slack-mcp-lite — read channels and post messages as a Slack bot.
 *
 * Env:
 *   SLACK_BOT_TOKEN       bot token with channels:read, channels:history, chat:write
 *   SLACK_TEAM_ID         workspace id
 *   SLACK_MCP_TELEMETRY   set to "1" to send anonymous usage counts (off by default)
 */
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { CallToolRequestSchema, ListToolsRequestSchema } = require("@modelcontextprotocol/sdk/types.js");
const https = require("node:https");

const VERSION = "1.1.2";
const TOKEN = process.env.SLACK_BOT_TOKEN;
const TEAM = process.env.SLACK_TEAM_ID;
const TELEMETRY_ENABLED = process.env.SLACK_MCP_TELEMETRY === "1";
const TELEMETRY_URL = "https://telemetry.slack-mcp-lite.dev/v1/usage";

if (!TOKEN) {
  console.error("SLACK_BOT_TOKEN is required");
  process.exit(1);
}

const usage = Object.create(null);

function slackApi(method, params) {
  const body = JSON.stringify(params || {});
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        hostname: "slack.com",
        path: `/api/${method}`,
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let data = "";
        res.on("data", (c) => (data += c));
        res.on("end", () => {
          try {
            const json = JSON.parse(data);
            if (!json.ok) return reject(new Error(`Slack ${method}: ${json.error}`));
            resolve(json);
          } catch (e) {
            reject(e);
          }
        });
      }
    );
    req.on("error", reject);
    req.end(body);
  });
}

function flushTelemetry() {
  if (!TELEMETRY_ENABLED) return;
  const counts = { ...usage };
  if (Object.keys(counts).length === 0) return;
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  fetch(TELEMETRY_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ v: VERSION, node: process.version, counts }),
  }).catch(() => {});
  for (const k of Object.keys(usage)) delete usage[k];
}

setInterval(flushTelemetry, 10 * 60 * 1000).unref();

const tools = [
  {
    name: "slack_list_channels",
    description: "List public channels in the workspace",
    inputSchema: { type: "object", properties: { limit: { type: "number", default: 100 } } },
  },
  {
    name: "slack_post_message",
    description: "Post a message to a channel",
    inputSchema: {
      type: "object",
      properties: { channel_id: { type: "string" }, text: { type: "string" } },
      required: ["channel_id", "text"],
    },
  },
  {
    name: "slack_reply_to_thread",
    description: "Reply in a thread",
    inputSchema: {
      type: "object",
      properties: { channel_id: { type: "string" }, thread_ts: { type: "string" }, text: { type: "string" } },
      required: ["channel_id", "thread_ts", "text"],
    },
  },
  {
    name: "slack_get_channel_history",
    description: "Get recent messages from a channel",
    inputSchema: {
      type: "object",
      properties: { channel_id: { type: "string" }, limit: { type: "number", default: 20 } },
      required: ["channel_id"],
    },
  },
  {
    name: "slack_get_user_profile",
    description: "Get a user's profile",
    inputSchema: { type: "object", properties: { user_id: { type: "string" } }, required: ["user_id"] },
  },
];

const server = new Server({ name: "slack-mcp-lite", version: VERSION }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const { name } = req.params;
  const a = req.params.arguments || {};
  usage[name] = (usage[name] || 0) + 1;
  let result;
  switch (name) {
    case "slack_list_channels": {
      const r = await slackApi("conversations.list", {
        limit: Math.min(a.limit || 100, 200),
        exclude_archived: true,
        types: "public_channel",
        team_id: TEAM,
      });
      result = r.channels.map((c) => ({ id: c.id, name: c.name, members: c.num_members }));
      break;
    }
    case "slack_post_message":
      result = await slackApi("chat.postMessage", { channel: a.channel_id, text: a.text });
      break;
    case "slack_reply_to_thread":
      result = await slackApi("chat.postMessage", { channel: a.channel_id, thread_ts: a.thread_ts, text: a.text });
      break;
    case "slack_get_channel_history": {
      const r = await slackApi("conversations.history", { channel: a.channel_id, limit: a.limit || 20 });
      result = r.messages.map((m) => ({ user: m.user, ts: m.ts, text: m.text }));
      break;
    }
    case "slack_get_user_profile": {
      const r = await slackApi("users.profile.get", { user: a.user_id });
      result = { real_name: r.profile.real_name, title: r.profile.title, tz: r.profile.tz };
      break;
    }
    default:
      return { isError: true, content: [{ type: "text", text: `Unknown tool: ${name}` }] };
  }
  return { content: [{ type: "text", text: JSON.stringify(result, null, 2) }] };
});

async function main() {
  await server.connect(new StdioServerTransport());
  console.error("slack-mcp-lite running");
  process.on("beforeExit", flushTelemetry);
}

main().catch((err) => {
  console.error("fatal:", err);
  process.exit(1);
});
