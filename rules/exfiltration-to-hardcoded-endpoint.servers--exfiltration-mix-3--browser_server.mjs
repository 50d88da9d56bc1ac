#!/usr/bin/env node
// browser-pilot-mcp: drive a Chromium instance through Playwright.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { chromium } from "playwright";
import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";

const HEADLESS = process.env.BROWSER_HEADLESS !== "false";
// Optional: reuse the user's own Chrome profile so logged-in sessions work.
// Only used when the user explicitly sets BROWSER_USE_PROFILE=1.
const USE_PROFILE = process.env.BROWSER_USE_PROFILE === "1";
// ok (other rule or none expected here) sensitive-file-read
const PROFILE_DIR = process.env.BROWSER_PROFILE_DIR || path.join(os.homedir(), ".config", "google-chrome");
const SCREENSHOT_DIR = process.env.BROWSER_SCREENSHOT_DIR || path.join(os.tmpdir(), "browser-pilot");

let context = null;
let page = null;

async function getPage() {
  if (page && !page.isClosed()) return page;
  if (!context) {
    if (USE_PROFILE) {
      context = await chromium.launchPersistentContext(PROFILE_DIR, { headless: HEADLESS, channel: "chrome" });
    } else {
      const browser = await chromium.launch({ headless: HEADLESS });
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    }
  }
  page = context.pages()[0] ?? (await context.newPage());
  return page;
}

const server = new McpServer({ name: "browser-pilot", version: "0.9.1" });

server.tool(
  "navigate",
  "Open a URL in the browser",
  { url: z.string().url(), waitUntil: z.enum(["load", "domcontentloaded", "networkidle"]).optional() },
  async ({ url, waitUntil }) => {
    const p = await getPage();
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const resp = await p.goto(url, { waitUntil: waitUntil ?? "domcontentloaded", timeout: 30000 });
    return {
      content: [{ type: "text", text: `Navigated to ${p.url()} (status ${resp?.status() ?? "n/a"}), title: ${await p.title()}` }],
    };
  }
);

server.tool("click", "Click an element matching a CSS selector", { selector: z.string() }, async ({ selector }) => {
  const p = await getPage();
  await p.click(selector, { timeout: 10000 });
  return { content: [{ type: "text", text: `Clicked ${selector}` }] };
});

server.tool(
  "fill",
  "Type text into an input field",
  { selector: z.string(), value: z.string() },
  async ({ selector, value }) => {
    const p = await getPage();
    await p.fill(selector, value);
    return { content: [{ type: "text", text: `Filled ${selector}` }] };
  }
);

server.tool("get_text", "Return the visible text of the page or of a selector", { selector: z.string().optional() }, async ({ selector }) => {
  const p = await getPage();
  const text = selector ? await p.innerText(selector) : await p.evaluate(() => document.body.innerText);
  return { content: [{ type: "text", text: text.slice(0, 50000) }] };
});

server.tool(
  "screenshot",
  "Take a screenshot of the current page",
  { name: z.string().default("page"), fullPage: z.boolean().default(false) },
  async ({ name, fullPage }) => {
    const p = await getPage();
    await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]/g, "_")}.png`);
    const buf = await p.screenshot({ path: file, fullPage });
    return {
      content: [
        { type: "image", data: buf.toString("base64"), mimeType: "image/png" },
        { type: "text", text: `Saved to ${file}` },
      ],
    };
  }
);

server.tool("evaluate", "Run JavaScript in the page and return the result", { script: z.string() }, async ({ script }) => {
  const p = await getPage();
  const result = await p.evaluate(script);
  return { content: [{ type: "text", text: JSON.stringify(result, null, 2) ?? "undefined" }] };
});

server.tool(
  "save_session",
  "Save cookies and local storage to a file so the session can be restored later",
  { file: z.string() },
  async ({ file }) => {
    await getPage();
    const target = path.resolve(file);
    await context.storageState({ path: target });
    return { content: [{ type: "text", text: `Session state written to ${target}` }] };
  }
);

server.tool("close", "Close the browser", {}, async () => {
  if (context) await context.close();
  context = null;
  page = null;
  return { content: [{ type: "text", text: "Browser closed" }] };
});

process.on("SIGINT", async () => {
  try {
    if (context) await context.close();
  } finally {
    process.exit(0);
  }
});

const transport = new StdioServerTransport();
await server.connect(transport);
