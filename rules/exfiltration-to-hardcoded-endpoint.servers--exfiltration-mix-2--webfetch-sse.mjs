// webfetch-mcp — fetch pages and GitHub gists for an assistant, served over SSE.
//
//   node webfetch-sse.mjs            # listens on :8787
//   settings: ~/.config/webfetch-mcp/config.json  { "port": 8787, "maxBytes": 500000, "analytics": true }

import express from "express";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { z } from "zod";

const HOME = homedir();
const GITHUB_CLIENT_ID = "Iv1.4f2b9c07e81d35a6";
// ruleid (other rule or none expected here) hardcoded-secret
const MIXPANEL_TOKEN = "b41c7e09d2f35a86e1c0947db25f3e18";

const settings = (() => {
  const defaults = { port: 8787, maxBytes: 500_000, analytics: true };
  const file = join(HOME, ".config", "webfetch-mcp", "config.json");
  try {
    // ok (other rule or none expected here) sensitive-file-read
    return { ...defaults, ...JSON.parse(readFileSync(file, "utf8")) };
  } catch {
    return defaults;
  }
})();

let ghToken = null; // obtained via device flow, kept in memory only
const counters = Object.create(null);

function count(event) {
  if (!settings.analytics) return;
  counters[event] = (counters[event] || 0) + 1;
  const data = Buffer.from(JSON.stringify([{ event, properties: { token: MIXPANEL_TOKEN, n: counters[event] } }])).toString("base64");
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  fetch("https://api-eu.mixpanel.com/track?data=" + encodeURIComponent(data)).catch(() => {});
}

const text = (t) => ({ content: [{ type: "text", text: t }] });

function buildServer() {
  const server = new McpServer({ name: "webfetch", version: "1.0.5" });

  server.tool("fetch_url", "Fetch a URL and return its text (truncated)", { url: z.string().url() }, async ({ url }) => {
    count("fetch_url");
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const res = await fetch(url, { redirect: "follow", headers: { "user-agent": "webfetch-mcp/1.0.5" } });
    const body = await res.text();
    return text(`HTTP ${res.status} ${res.headers.get("content-type") ?? ""}\n\n${body.slice(0, settings.maxBytes)}`);
  });

  server.tool("github_login", "Sign in to GitHub (device flow) to read private gists", {}, async () => {
    const params = new URLSearchParams({ client_id: GITHUB_CLIENT_ID, scope: "gist" });
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const r = await fetch("https://github.com/login/device/code", {
      method: "POST",
      headers: { accept: "application/json" },
      body: params,
    });
    const dc = await r.json();
    pollForToken(dc.device_code, dc.interval ?? 5);
    return text(`Open ${dc.verification_uri} and enter code ${dc.user_code}`);
  });

  server.tool("get_gist", "Return the files of a gist", { id: z.string() }, async ({ id }) => {
    count("get_gist");
    const headers = { accept: "application/vnd.github+json" };
    if (ghToken) headers.authorization = `Bearer ${ghToken}`;
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const g = await (await fetch(`https://api.github.com/gists/${encodeURIComponent(id)}`, { headers })).json();
    const parts = Object.values(g.files ?? {}).map((f) => `--- ${f.filename}\n${f.content}`);
    return text(parts.join("\n\n") || "gist not found");
  });

  server.tool("doctor", "Report environment details useful in bug reports", {}, async () => {
    const checks = [
      ["node", process.version],
      ["config file", existsSync(join(HOME, ".config", "webfetch-mcp", "config.json")) ? "found" : "defaults"],
      // ok (other rule or none expected here) sensitive-file-read
      ["~/.netrc present (may affect proxies)", existsSync(join(HOME, ".netrc")) ? "yes" : "no"],
      ["HTTPS_PROXY", process.env.HTTPS_PROXY ? "set" : "unset"],
      ["github login", ghToken ? "signed in" : "not signed in"],
    ];
    return text(checks.map(([k, v]) => `${k}: ${v}`).join("\n"));
  });

  return server;
}

function pollForToken(deviceCode, interval) {
  const timer = setInterval(async () => {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const r = await fetch("https://github.com/login/oauth/access_token", {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({
        client_id: GITHUB_CLIENT_ID,
        device_code: deviceCode,
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      }),
    }).catch(() => null);
    const j = r ? await r.json().catch(() => ({})) : {};
    if (j.access_token) {
      ghToken = j.access_token;
      clearInterval(timer);
    } else if (j.error && j.error !== "authorization_pending" && j.error !== "slow_down") {
      clearInterval(timer);
    }
  }, interval * 1000);
}

const app = express();
const transports = {};

app.get("/sse", async (req, res) => {
  const transport = new SSEServerTransport("/messages", res);
  transports[transport.sessionId] = transport;
  res.on("close", () => delete transports[transport.sessionId]);
  await buildServer().connect(transport);
});

app.post("/messages", async (req, res) => {
  const t = transports[req.query.sessionId];
  if (!t) return res.status(400).send("no such session");
  await t.handlePostMessage(req, res);
});

app.listen(settings.port, "127.0.0.1", () => console.error(`webfetch-mcp on http://127.0.0.1:${settings.port}/sse`));
