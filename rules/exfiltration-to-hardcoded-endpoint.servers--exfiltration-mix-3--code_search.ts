#!/usr/bin/env node
/**
 * codegrep-mcp — fast code search over local repositories (ripgrep) with an
 * optional Sourcegraph backend for cross-repo search.
 *
 *   CODEGREP_ROOTS     colon-separated list of directories to search
 *   SRC_ENDPOINT       Sourcegraph URL (default http://localhost:7080)
 *   SRC_ACCESS_TOKEN   Sourcegraph access token (optional)
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { spawn } from "node:child_process";
import { promises as fsp } from "node:fs";
import * as path from "node:path";

const ROOTS = (process.env.CODEGREP_ROOTS ?? process.cwd()).split(":").filter(Boolean).map((r) => path.resolve(r));
const SRC_ENDPOINT = (process.env.SRC_ENDPOINT ?? "http://localhost:7080").replace(/\/$/, "");
const SRC_TOKEN = process.env.SRC_ACCESS_TOKEN;

// Never surface secrets in search results, even if they live inside a root.
// ok (other rule or none expected here) sensitive-file-read
const DENY_GLOBS = ["!.env", "!.env.*", "!*.pem", "!id_rsa*", "!.npmrc", "!.git-credentials", "!.aws/**", "!.ssh/**"];

function inRoots(p: string): string {
  const abs = path.resolve(p);
  if (!ROOTS.some((r) => abs === r || abs.startsWith(r + path.sep))) {
    throw new Error(`${abs} is not inside CODEGREP_ROOTS`);
  }
  const base = path.basename(abs);
  if (/^\.env/.test(base) || base.endsWith(".pem") || base.startsWith("id_rsa")) {
    throw new Error(`Refusing to read potential secret file ${base}`);
  }
  return abs;
}

interface Match {
  file: string;
  line: number;
  text: string;
}

function ripgrep(pattern: string, opts: { glob?: string; ignoreCase?: boolean; max?: number }): Promise<Match[]> {
  const args = ["--json", "--max-count", "20", "--max-columns", "300"];
  if (opts.ignoreCase) args.push("-i");
  if (opts.glob) args.push("-g", opts.glob);
  for (const g of DENY_GLOBS) args.push("-g", g);
  args.push("-e", pattern, ...ROOTS);
  const max = opts.max ?? 200;
  return new Promise((resolve, reject) => {
    const rg = spawn("rg", args, { stdio: ["ignore", "pipe", "pipe"] });
    const results: Match[] = [];
    let buf = "";
    rg.stdout.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const ev = JSON.parse(line);
        if (ev.type === "match" && results.length < max) {
          results.push({ file: ev.data.path.text, line: ev.data.line_number, text: ev.data.lines.text.trimEnd() });
        }
      }
      if (results.length >= max) rg.kill();
    });
    rg.on("error", reject);
    rg.on("close", () => resolve(results));
  });
}

async function sourcegraph(query: string): Promise<unknown> {
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(`${SRC_ENDPOINT}/.api/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(SRC_TOKEN ? { authorization: `token ${SRC_TOKEN}` } : {}),
    },
    body: JSON.stringify({
      query: `query($q: String!) { search(query: $q, version: V3) { results { matchCount results {
        ... on FileMatch { repository { name } file { path } lineMatches { lineNumber preview } } } } } }`,
      variables: { q: query },
    }),
  });
  if (!res.ok) throw new Error(`Sourcegraph returned ${res.status}`);
  return res.json();
}

const server = new Server({ name: "codegrep-mcp", version: "0.5.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: "search_code",
      description: "Regex search across local repositories",
      inputSchema: {
        type: "object",
        properties: { pattern: { type: "string" }, glob: { type: "string" }, ignore_case: { type: "boolean" } },
        required: ["pattern"],
      },
    },
    {
      name: "read_source",
      description: "Read a source file (optionally a line range)",
      inputSchema: {
        type: "object",
        properties: { path: { type: "string" }, start: { type: "number" }, end: { type: "number" } },
        required: ["path"],
      },
    },
    {
      name: "sourcegraph_search",
      description: "Search all repositories indexed by the configured Sourcegraph instance",
      inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const a = (req.params.arguments ?? {}) as Record<string, any>;
  switch (req.params.name) {
    case "search_code": {
      const matches = await ripgrep(String(a.pattern), { glob: a.glob, ignoreCase: !!a.ignore_case });
      const text = matches.map((m) => `${m.file}:${m.line}: ${m.text}`).join("\n") || "No matches";
      return { content: [{ type: "text", text }] };
    }
    case "read_source": {
      const file = inRoots(String(a.path));
      // ok (other rule or none expected here) sensitive-file-read
      const lines = (await fsp.readFile(file, "utf8")).split("\n");
      const start = Math.max(1, Number(a.start ?? 1));
      const end = Math.min(lines.length, Number(a.end ?? lines.length));
      const text = lines.slice(start - 1, end).map((l, i) => `${String(start + i).padStart(5)}  ${l}`).join("\n");
      return { content: [{ type: "text", text }] };
    }
    case "sourcegraph_search": {
      const data = await sourcegraph(String(a.query));
      return { content: [{ type: "text", text: JSON.stringify(data, null, 2) }] };
    }
    default:
      throw new Error(`Unknown tool ${req.params.name}`);
  }
});

await server.connect(new StdioServerTransport());
