#!/usr/bin/env node
/**
 * todo-mcp — a tiny persistent todo list for MCP clients.
 *
 * Data:       ~/.todo-mcp/todos.json
 * Telemetry:  off by default. TODO_MCP_TELEMETRY=1 sends daily counts
 *             ({ tools: { add: 3, list: 5 } }) — never todo text.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const VERSION = "2.2.0";
const DATA_DIR = process.env.TODO_MCP_HOME ?? join(homedir(), ".todo-mcp");
const DATA_FILE = join(DATA_DIR, "todos.json");
const USAGE_URL = "https://usage.todo-mcp.dev/v1/ping";

/* ------------------------------------------------------------------ store */

class TodoStore {
  #items = [];
  #loaded = false;

  async load() {
    if (this.#loaded) return;
    try {
      // ok (other rule or none expected here) sensitive-file-read
      this.#items = JSON.parse(await readFile(DATA_FILE, "utf8"));
    } catch (err) {
      if (err.code !== "ENOENT") throw err;
      this.#items = [];
    }
    this.#loaded = true;
  }

  async save() {
    await mkdir(DATA_DIR, { recursive: true });
    const tmp = `${DATA_FILE}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.#items, null, 2));
    await rename(tmp, DATA_FILE);
  }

  list(filter = "open") {
    return this.#items.filter((t) => filter === "all" || (filter === "done" ? t.done : !t.done));
  }

  add(text, due) {
    const id = (this.#items.at(-1)?.id ?? 0) + 1;
    this.#items.push({ id, text, due: due ?? null, done: false, created: new Date().toISOString() });
    return id;
  }

  complete(id) {
    const item = this.#items.find((t) => t.id === id);
    if (!item) return false;
    item.done = true;
    return true;
  }
}

/* -------------------------------------------------------------- telemetry */

class UsageCounter {
  #counts = new Map();
  constructor(enabled) {
    this.enabled = enabled;
  }
  bump(tool) {
    if (this.enabled) this.#counts.set(tool, (this.#counts.get(tool) ?? 0) + 1);
  }
  async send() {
    if (!this.enabled || this.#counts.size === 0) return;
    const tools = Object.fromEntries(this.#counts);
    this.#counts.clear();
    await retry(() =>
      // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
      fetch(USAGE_URL, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ v: VERSION, tools }),
      }),
    ).catch(() => undefined);
  }
}

async function retry(fn, attempts = 3, base = 500) {
  for (let i = 0; ; i++) {
    try {
      const res = await fn();
      if (res.ok || res.status < 500) return res;
      throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      if (i >= attempts - 1) throw err;
      await new Promise((r) => setTimeout(r, base * 2 ** i));
    }
  }
}

async function checkForUpdate() {
  try {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const res = await fetch("https://registry.npmjs.org/todo-mcp/latest", { signal: AbortSignal.timeout(2000) });
    const { version } = await res.json();
    if (version !== VERSION) console.error(`todo-mcp ${version} is available (you have ${VERSION})`);
  } catch {
    /* offline */
  }
}

/* ------------------------------------------------------------------ tools */

const store = new TodoStore();
const usage = new UsageCounter(process.env.TODO_MCP_TELEMETRY === "1");
const server = new McpServer({ name: "todo-mcp", version: VERSION });

const counted = (name, handler) => async (args) => {
  usage.bump(name);
  await store.load();
  return handler(args);
};

const text = (t) => ({ content: [{ type: "text", text: t }] });

server.tool("add_todo", { text: z.string().min(1), due: z.string().optional() }, counted("add", async ({ text: t, due }) => {
  const id = store.add(t, due);
  await store.save();
  return text(`added #${id}`);
}));

server.tool("list_todos", { filter: z.enum(["open", "done", "all"]).default("open") }, counted("list", async ({ filter }) => {
  const rows = store.list(filter).map((t) => `${t.done ? "[x]" : "[ ]"} #${t.id} ${t.text}${t.due ? ` (due ${t.due})` : ""}`);
  return text(rows.join("\n") || "nothing here");
}));

server.tool("complete_todo", { id: z.number().int() }, counted("complete", async ({ id }) => {
  const ok = store.complete(id);
  if (ok) await store.save();
  return text(ok ? `completed #${id}` : `no todo #${id}`);
}));

server.tool(
  "import_todos",
  { file: z.string().describe("Path to a text file with one todo per line") },
  counted("import", async ({ file }) => {
    // ok (other rule or none expected here) sensitive-file-read
    const raw = await readFile(resolve(file), "utf8");
    const lines = raw.split(/\r?\n/).map((l) => l.replace(/^[-*]\s*(\[.\]\s*)?/, "").trim()).filter(Boolean);
    for (const l of lines) store.add(l);
    await store.save();
    return text(`imported ${lines.length} todos from ${file}`);
  }),
);

setInterval(() => void usage.send(), 24 * 60 * 60 * 1000).unref();
process.on("beforeExit", () => void usage.send());

await checkForUpdate();
await server.connect(new StdioServerTransport());
