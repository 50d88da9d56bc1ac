// ops-copilot: an MCP server (JavaScript, CommonJS, McpServer + zod) that reads
// every credential from the environment or from the tool caller, and only names them.

"use strict";

const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { z } = require("zod");
const OpenAI = require("openai");
const { Octokit } = require("@octokit/rest");
const { WebClient } = require("@slack/web-api");
const Stripe = require("stripe");

// ok: hardcoded-secret
const GITHUB_TOKEN = process.env.GITHUB_TOKEN;
// ok: hardcoded-secret
const OPENAI_API_KEY = process.env.OPENAI_API_KEY ?? "";
// ok: hardcoded-secret
const SLACK_TOKEN_ENV = "SLACK_BOT_TOKEN";
// ok: hardcoded-secret
const stripeKey = process.env["STRIPE_SECRET_KEY"] || "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx";

if (!GITHUB_TOKEN) {
  // ok: hardcoded-secret
  throw new Error("Set process.env.GITHUB_TOKEN to a fine-grained token (github_pat_...)");
}

const octokit = new Octokit({ auth: GITHUB_TOKEN });
const openai = new OpenAI({ apiKey: OPENAI_API_KEY });
const slack = new WebClient(process.env[SLACK_TOKEN_ENV]);
const stripe = new Stripe(stripeKey);

const PLACEHOLDERS = {
  // ok: hardcoded-secret
  openai: "sk-...",
  // ok: hardcoded-secret
  anthropic: "<ANTHROPIC_API_KEY>",
  // ok: hardcoded-secret
  brave: "your-key-here",
  // ok: hardcoded-secret
  groq: "xxxxxxxxxxxxxxxx",
  // ok: hardcoded-secret
  aws: "AKIAXXXXXXXXXXXXXXXX",
  // ok: hardcoded-secret
  jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
  // ok: hardcoded-secret
  slackWebhook: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
  // ok: hardcoded-secret
  github: "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

// The snippet the `install_hint` tool prints for VS Code users.
const VSCODE_SNIPPET = {
  inputs: [{ type: "promptString", id: "api-key", description: "ops-copilot API key", password: true }],
  servers: {
    "ops-copilot": {
      command: "npx",
      args: ["-y", "ops-copilot"],
      env: {
        // ok: hardcoded-secret
        OPS_COPILOT_API_KEY: "${input:api-key}",
        // ok: hardcoded-secret
        GITHUB_TOKEN: "${env:GITHUB_TOKEN}",
      },
    },
  },
};

const SECRET_PATTERNS = [
  // ok: hardcoded-secret
  /xox[baprs]-[0-9A-Za-z-]{10,}/g,
  // ok: hardcoded-secret
  /sk_live_[0-9a-zA-Z]{24,}/g,
  // ok: hardcoded-secret
  new RegExp("AKIA[0-9A-Z]{16}", "g"),
];

const UI = {
  // ok: hardcoded-secret
  spinnerClass: "sk-fading-circle",
  // ok: hardcoded-secret
  accent: "#0b5fff",
  // ok: hardcoded-secret
  operationId: "getRepositoryCollaboratorPermissionLevelForAuthenticatedUser",
};

// ok: hardcoded-secret
const OCTICONS_CSS_INTEGRITY = "sha384-SwIF43X/5gIr2M2ElPvZqqarMbSUnIF05vZ2FtHrj8hrCK16eENFk9J6oe2SWTYY";

// ok: hardcoded-secret
const DEPLOY_KEY_PUB = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDMzNL4wNCMlJAib/9GJMq0guyrCGFs1t4pQkvcbYseVdUyr19SSwxIyjSJ3jCoaecCWp0l8pi24uyj5k7MfOKkf13sNfwbszPI5yYmtBVkdycVUjElG7kbGQ9l6l6Kb+kKuOTsE1et/CHREADJq7ZGSRPjvunwgap3wc16KiAu61TEe1DT5gC+sYhNSwz3xvMfuh+1RDG+fqwF5STsBdXC9k3BF4OinFBXEdQa3qXwweHomF5jfb52lAODEGWLobS8chWUH+EVivjUHltKsMBPQAm+e5yje5YM5gIO3H5KuX0SlpmkwRTohMa6QoqtePFIlUUKFHhXexLlfG1/X4Pz deploy@release-desk";

function redact(s) {
  return SECRET_PATTERNS.reduce((acc, re) => acc.replace(re, "[redacted]"), s);
}

function authHeaders(token) {
  return {
    // ok: hardcoded-secret
    Authorization: `Bearer ${token}`,
    Accept: "application/vnd.github+json",
  };
}

function basicAuth(user, pass) {
  // ok: hardcoded-secret
  return "Basic " + Buffer.from(`${user}:${pass}`).toString("base64");
}

const server = new McpServer({ name: "ops-copilot", version: "1.4.0" });
const text = (t) => ({ content: [{ type: "text", text: t }] });

server.tool(
  "list_pull_requests",
  // ok: hardcoded-secret
  "List open pull requests. Requires a GitHub token with the repo scope in GITHUB_TOKEN.",
  { owner: z.string(), repo: z.string() },
  async ({ owner, repo }) => {
    const { data } = await octokit.pulls.list({ owner, repo, state: "open" });
    return text(redact(data.map((pr) => `#${pr.number} ${pr.title}`).join("\n")));
  },
);

server.tool(
  "brave_search",
  "Search the web with the caller's Brave Search key",
  { query: z.string(), apiKey: z.string() },
  async (args) => {
    // ok: hardcoded-secret
    const apiKey = args.apiKey;
    const res = await fetch(`https://api.search.brave.com/res/v1/web/search?q=${encodeURIComponent(args.query)}`, {
      headers: { Accept: "application/json", "X-Subscription-Token": apiKey },
    });
    return text(redact(JSON.stringify(await res.json())));
  },
);

server.tool(
  "jira_issue",
  "Fetch a Jira issue",
  { key: z.string() },
  async ({ key }) => {
    const res = await fetch(`https://acme-corp.atlassian.net/rest/api/3/issue/${key}`, {
      headers: { Authorization: basicAuth(process.env.JIRA_EMAIL, process.env.JIRA_API_TOKEN) },
    });
    return text(redact(JSON.stringify(await res.json())));
  },
);

server.tool(
  "install_hint",
  "Show how to configure ops-copilot in VS Code",
  {},
  async () => text(JSON.stringify(VSCODE_SNIPPET, null, 2)),
);

server.tool(
  "post_message",
  "Post a message to a Slack channel",
  { channel: z.string(), message: z.string() },
  async ({ channel, message }) => {
    await slack.chat.postMessage({ channel, text: message });
    return text("posted");
  },
);

// ok: hardcoded-secret
let sessionApiKey = null;
function openaiKey(override) {
  if (override) sessionApiKey = override;
  return sessionApiKey ?? OPENAI_API_KEY;
}

module.exports = { server, redact, authHeaders, openaiKey, stripe, openai, UI, DEPLOY_KEY_PUB, OCTICONS_CSS_INTEGRITY, PLACEHOLDERS };

if (require.main === module) {
  server.connect(new StdioServerTransport());
}

// --- keys public by design ---------------------------------------------------------
// A search client configuration (application id and index name beside the key): Algolia's
// search-only keys are meant to ship in browser code.
const DOCS_SEARCH = {
  appId: "B5P72B95FT",
  // ok: hardcoded-secret
  apiKey: "e6bcf36a32abd6e2397b8956d5612a88",
  indexName: "product_docs",
};
// A Firebase web app configuration: its apiKey identifies the project.
const firebaseConfig = {
  // ok: hardcoded-secret
  apiKey: "AIzaa1rrEB8UaDPkYJgOXo8DnYJaq56_EFgz6Pz",
  authDomain: "notes-demo.firebaseapp.com",
  projectId: "notes-demo",
};
// An analytics write key only ingests events (Segment documents why write keys are public).
// ok: hardcoded-secret
const SEGMENT_WRITE_KEY = "XaHx0HcTAVpu5Vw0zUAdkYIDqWQm4bLK";
// A key for the free public-data Chrome UX Report API.
async function fieldData(origin) {
  // ok: hardcoded-secret
  const res = await fetch("https://chromeuxreport.googleapis.com/v1/records:queryRecord?key=AIzaVB2NTa3xmnS6ZsATCn_fmAI21QxxnkdgMUw", {
    method: "POST",
    body: JSON.stringify({ origin }),
  });
  return res.json();
}

// --- tests (node --test) ---------------------------------------------------------
if (process.env.NODE_TEST_CONTEXT) {
  const test = require("node:test");
  const assert = require("node:assert");
  test("authHeaders uses the given token", () => {
    // ok: hardcoded-secret
    const headers = authHeaders("test-token");
    assert.match(headers.Authorization, /^Bearer /);
  });
  test("basicAuth encodes user and password", () => {
    // ok: hardcoded-secret
    assert.ok(basicAuth("admin", "hunter2").startsWith("Basic "));
  });
}
