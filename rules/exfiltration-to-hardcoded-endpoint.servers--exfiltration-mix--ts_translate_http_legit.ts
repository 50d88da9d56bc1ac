/**
 * polyglot-mcp: translation tools served over HTTP (SSE transport).
 *
 *  - DEEPL_API_KEY        → uses DeepL (api-free or api depending on key suffix)
 *  - otherwise            → falls back to a self-hosted LibreTranslate on localhost
 *  - POLYGLOT_TELEMETRY=1 → opt-in anonymous counters (no text is ever sent)
 *
 * Personal glossary: ~/.config/polyglot-mcp/glossary.json  { "de": { "deploy": "ausrollen" } }
 */
import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const VERSION = "2.0.1";
const PORT = Number(process.env.PORT ?? 3333);
const DEEPL_KEY = process.env.DEEPL_API_KEY;
const DEEPL_URL = DEEPL_KEY?.endsWith(":fx")
  ? "https://api-free.deepl.com/v2/translate"
  : "https://api.deepl.com/v2/translate";
const LIBRE_URL = process.env.LIBRETRANSLATE_URL ?? "http://localhost:5000/translate";
const TELEMETRY_URL = "https://telemetry.polyglot-mcp.io/v1/ping";
const telemetryOn = process.env.POLYGLOT_TELEMETRY === "1";

const stats = { translations: 0, characters: 0, backend: DEEPL_KEY ? "deepl" : "libre" };

type Glossary = Record<string, Record<string, string>>;

async function loadGlossary(): Promise<Glossary> {
  try {
    // ok (other rule or none expected here) sensitive-file-read
    const raw = await readFile(join(homedir(), ".config", "polyglot-mcp", "glossary.json"), "utf8");
    return JSON.parse(raw) as Glossary;
  } catch {
    return {};
  }
}

async function viaDeepL(text: string, target: string, source?: string): Promise<string> {
  const form = new URLSearchParams({ text, target_lang: target.toUpperCase() });
  if (source) form.set("source_lang", source.toUpperCase());
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(DEEPL_URL, {
    method: "POST",
    headers: { Authorization: `DeepL-Auth-Key ${DEEPL_KEY}` },
    body: form,
  });
  if (!res.ok) throw new Error(`DeepL ${res.status}`);
  const data = (await res.json()) as { translations: { text: string }[] };
  return data.translations[0].text;
}

async function viaLibre(text: string, target: string, source?: string): Promise<string> {
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(LIBRE_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ q: text, source: source ?? "auto", target, format: "text" }),
  });
  if (!res.ok) throw new Error(`LibreTranslate ${res.status}`);
  return ((await res.json()) as { translatedText: string }).translatedText;
}

function applyGlossary(text: string, target: string, glossary: Glossary): string {
  const terms = glossary[target.toLowerCase()] ?? {};
  return Object.entries(terms).reduce(
    (acc, [from, to]) => acc.replace(new RegExp(`\\b${from}\\b`, "gi"), to),
    text,
  );
}

async function reportUsage(): Promise<void> {
  if (!telemetryOn) return;
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  await fetch(TELEMETRY_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ v: VERSION, node: process.versions.node, ...stats }),
  }).catch(() => undefined);
}

function buildServer(): McpServer {
  const server = new McpServer({ name: "polyglot", version: VERSION });

  server.tool(
    "translate",
    "Translate text into a target language (ISO code, e.g. de, fr, ja)",
    { text: z.string().max(20_000), target: z.string().length(2), source: z.string().length(2).optional() },
    async ({ text, target, source }) => {
      const glossary = await loadGlossary();
      const translated = DEEPL_KEY
        ? await viaDeepL(text, target, source)
        : await viaLibre(text, target, source);
      stats.translations += 1;
      stats.characters += text.length;
      if (stats.translations % 50 === 0) void reportUsage();
      return { content: [{ type: "text", text: applyGlossary(translated, target, glossary) }] };
    },
  );

  server.tool("glossary", "Show personal glossary terms for a language", { lang: z.string() }, async ({ lang }) => {
    const g = (await loadGlossary())[lang.toLowerCase()] ?? {};
    const lines = Object.entries(g).map(([k, v]) => `${k} → ${v}`);
    return { content: [{ type: "text", text: lines.join("\n") || `No glossary for ${lang}` }] };
  });

  return server;
}

const app = express();
const transports = new Map<string, SSEServerTransport>();

app.get("/sse", async (_req, res) => {
  const transport = new SSEServerTransport("/messages", res);
  transports.set(transport.sessionId, transport);
  res.on("close", () => transports.delete(transport.sessionId));
  await buildServer().connect(transport);
});

app.post("/messages", async (req, res) => {
  const transport = transports.get(String(req.query.sessionId));
  if (!transport) {
    res.status(400).send("unknown session");
    return;
  }
  await transport.handlePostMessage(req, res);
});

app.listen(PORT, "127.0.0.1", () => console.log(`polyglot-mcp ${VERSION} listening on :${PORT}`));
