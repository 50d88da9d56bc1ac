// Legitimate MCP tools (JavaScript, McpServer.tool) that send data out: the APIs they
// integrate with (GitHub, Slack, a weather API, an OAuth provider), destinations taken
// from the operator's environment or the caller's arguments, opt-in anonymous telemetry,
// local development services, and fixed URLs fetched with nothing sensitive attached.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import axios from "axios";
import got from "got";
import http from "node:http";
import dns from "node:dns/promises";
import net from "node:net";
import WebSocket from "ws";

const VERSION = "3.0.1";
const GITHUB = "https://api.github.com";
const CHANGELOG_URL = "https://raw.githubusercontent.com/northwind-app/mcp-tools/main/CHANGELOG.md";
const COLLECTOR = process.env.COLLECTOR_URL ?? "http://localhost:4318/v1/logs";
const TELEMETRY_ON = process.env.NORTHWIND_TELEMETRY === "1";

const server = new McpServer({ name: "team-tools", version: VERSION });
const reply = (text) => ({ content: [{ type: "text", text }] });
let callCount = 0;

function telemetry() {
  callCount += 1;
  if (!TELEMETRY_ON) return;
  // Opt-in, counts and version only.
  // ok: exfiltration-to-hardcoded-endpoint
  fetch("https://telemetry.northwind-app.com/v1/usage", { method: "POST", body: JSON.stringify({ version: VERSION, calls: callCount }) }).catch(() => {});
}

server.tool(
  "create_issue",
  "Create a GitHub issue",
  { repo: z.string(), title: z.string(), body: z.string().optional() },
  async ({ repo, title, body }) => {
    telemetry();
    // ok: exfiltration-to-hardcoded-endpoint
    const res = await fetch(`${GITHUB}/repos/${repo}/issues`, {
      method: "POST",
      headers: { Authorization: `Bearer ${process.env.GITHUB_TOKEN}`, Accept: "application/vnd.github+json" },
      body: JSON.stringify({ title, body }),
    });
    if (!res.ok) return reply(`GitHub error ${res.status}`);
    return reply((await res.json()).html_url);
  },
);

server.tool("slack_post", "Post to a Slack channel", { channel: z.string(), text: z.string() }, async ({ channel, text }) => {
  telemetry();
  const { data } = await axios.post(
    // ok: exfiltration-to-hardcoded-endpoint
    "https://slack.com/api/chat.postMessage",
    { channel, text },
    { headers: { Authorization: `Bearer ${process.env.SLACK_BOT_TOKEN}` } },
  );
  return reply(data.ok ? `posted at ${data.ts}` : `slack: ${data.error}`);
});

server.tool("weather", "Current weather for a city", { city: z.string() }, async ({ city }) => {
  const API_KEY = process.env.WEATHER_API_KEY;
  // ok: exfiltration-to-hardcoded-endpoint
  const r = await fetch(`https://api.weatherapi.com/v1/current.json?key=${API_KEY}&q=${encodeURIComponent(city)}`);
  const { current } = await r.json();
  return reply(`${city}: ${current.temp_c}°C, ${current.condition.text}`);
});

server.tool("github_login", "Exchange a GitHub OAuth code for a token", { code: z.string() }, async ({ code }) => {
  const tokens = await got
    // ok: exfiltration-to-hardcoded-endpoint
    .post("https://github.com/login/oauth/access_token", {
      json: { client_id: process.env.GITHUB_CLIENT_ID, client_secret: process.env.GITHUB_CLIENT_SECRET, code },
      headers: { Accept: "application/json" },
    })
    .json();
  return reply(tokens.access_token ? "signed in" : `oauth error: ${tokens.error}`);
});

server.tool("log_event", "Send a structured log record to the collector", { level: z.string(), message: z.string() }, async (args) => {
  // The destination comes from the operator's environment (with a local default).
  // ok: exfiltration-to-hardcoded-endpoint
  await axios.post(COLLECTOR, { ...args, service: "team-tools" }, { headers: { "x-api-key": process.env.COLLECTOR_API_KEY } });
  return reply("logged");
});

server.tool("http_get", "GET a URL and return the body", { url: z.string().url() }, async ({ url }) => {
  // ok: exfiltration-to-hardcoded-endpoint
  const body = await got(url, { timeout: { request: 15000 } }).text();
  return reply(body.slice(0, 20000));
});

server.tool("changelog", "Show the latest changelog", {}, async () => {
  // ok: exfiltration-to-hardcoded-endpoint
  const md = await (await fetch(CHANGELOG_URL)).text();
  return reply(md.split("\n## ")[1] ?? md);
});

server.tool("dev_echo", "Echo a payload through the local dev API", { payload: z.record(z.any()) }, async ({ payload }) => {
  const data = JSON.stringify(payload);
  const out = await new Promise((resolve, reject) => {
    const req = http.request(
      {
        // ok: exfiltration-to-hardcoded-endpoint
        hostname: "localhost",
        port: 3000,
        path: "/api/echo",
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${process.env.DEV_API_TOKEN}` },
      },
      (res) => {
        let buf = "";
        res.on("data", (c) => (buf += c));
        res.on("end", () => resolve(buf));
      },
    );
    req.on("error", reject);
    req.write(data);
    req.end();
  });
  return reply(out);
});

server.tool("resolve", "Resolve a host name", { host: z.string() }, async ({ host }) => {
  // ok: exfiltration-to-hardcoded-endpoint
  const { address } = await dns.lookup(host);
  return reply(`${host} -> ${address}`);
});

server.tool("cache_get", "Read a key from the local Redis cache", { key: z.string() }, async ({ key }) => {
  const value = await new Promise((resolve) => {
    // ok: exfiltration-to-hardcoded-endpoint
    const c = net.connect({ host: "127.0.0.1", port: 6379 }, () => c.write(`AUTH ${process.env.REDIS_PASSWORD}\r\nGET ${key}\r\n`));
    c.once("data", (d) => { resolve(d.toString()); c.end(); });
    c.on("error", () => resolve("(redis unavailable)"));
  });
  return reply(String(value));
});

server.tool("live_updates", "Subscribe to build status updates", { pipeline: z.string() }, async ({ pipeline }) => {
  // ok: exfiltration-to-hardcoded-endpoint
  const ws = new WebSocket(process.env.CI_EVENTS_WS ?? "ws://localhost:8090/events");
  ws.on("open", () => ws.send(JSON.stringify({ subscribe: pipeline, token: process.env.CI_TOKEN })));
  return reply(`subscribed to ${pipeline}`);
});

// An OpenAI-compatible client pointed at the provider whose key it is (Z.AI's api.z.ai).
export function summarizer(OpenAI) {
  // ok: exfiltration-to-hardcoded-endpoint
  return new OpenAI({ apiKey: process.env.ZAI_API_KEY, baseURL: "https://api.z.ai/api/paas/v4" });
}

await server.connect(new StdioServerTransport());
