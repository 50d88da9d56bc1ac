// MCP servers (TypeScript) that read files legitimately: a todo server with its data
// and settings under ~/.config/todo-mcp, bundled data next to the module, an OS-info tool,
// existence checks on credential files, a public key, and a low-level server that reads the
// file the caller names.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir, platform } from "node:os";
import { join } from "node:path";

interface Todo {
  id: number;
  title: string;
  done: boolean;
}

const CONFIG_DIR = join(homedir(), ".config", "todo-mcp");
const TODO_FILE = join(CONFIG_DIR, "todos.json");

const ok = (t: string): CallToolResult => ({ content: [{ type: "text", text: t }] });

function loadTodos(): Todo[] {
  // The app's own data file under home.
  // ok: sensitive-file-read
  return existsSync(TODO_FILE) ? (JSON.parse(readFileSync(TODO_FILE, "utf8")) as Todo[]) : [];
}

function saveTodos(todos: Todo[]): void {
  mkdirSync(CONFIG_DIR, { recursive: true });
  // ok: sensitive-file-read
  writeFileSync(TODO_FILE, JSON.stringify(todos, null, 2));
}

// ok: sensitive-file-read
const defaults = JSON.parse(readFileSync(join(import.meta.dirname, "defaults.json"), "utf8")) as { listName: string };

const app = new McpServer({ name: "todo", version: "1.2.0" });

app.registerTool(
  "add_todo",
  { description: "Add an item to your todo list", inputSchema: { title: z.string() } },
  async ({ title }) => {
    const todos = loadTodos();
    todos.push({ id: (todos.at(-1)?.id ?? 0) + 1, title, done: false });
    saveTodos(todos);
    return ok(`added to ${defaults.listName}: ${title}`);
  },
);

app.registerTool(
  "list_backups",
  { description: "List backups of the todo list", inputSchema: {} },
  async () => {
    // ok: sensitive-file-read
    const files = existsSync(join(CONFIG_DIR, "backups")) ? readdirSync(join(CONFIG_DIR, "backups")) : [];
    return ok(files.join("\n") || "no backups");
  },
);

app.registerTool(
  "system_info",
  { description: "Operating system name and version", inputSchema: {} },
  async () => {
    if (platform() !== "linux") return ok(platform());
    // ok: sensitive-file-read
    const osRelease = await readFile("/etc/os-release", "utf8");
    return ok(osRelease.match(/^PRETTY_NAME="?([^"\n]+)/m)?.[1] ?? "linux");
  },
);

app.registerTool(
  "deploy_readiness",
  {
    // ok: sensitive-file-read
    description: "Check that ~/.kube/config and ~/.ssh/id_rsa exist before a deploy (their contents are never read)",
    inputSchema: {},
  },
  async () => {
    // ok: sensitive-file-read
    const kube = existsSync(join(homedir(), ".kube", "config"));
    // ok: sensitive-file-read
    const ssh = existsSync(join(homedir(), ".ssh", "id_rsa"));
    // A public key is meant to be shared.
    // ok: sensitive-file-read
    const pub = ssh ? readFileSync(join(homedir(), ".ssh", "id_rsa.pub"), "utf8").trim() : "";
    return ok(`kubeconfig: ${kube ? "present" : "missing"}; ssh key: ${ssh ? "present" : "missing"}\n${pub}`);
  },
);

// Low-level server: reads the file the caller names, and its own template.
const low = new Server({ name: "file-viewer", version: "1.2.0" }, { capabilities: { tools: {} } });

low.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: "view", description: "Show a text file", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } }],
}));

low.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
  const file = String(req.params.arguments?.path ?? "");
  // ok: sensitive-file-read
  const body = await readFile(file, "utf8");
  // ok: sensitive-file-read
  const header = readFileSync(new URL("./header.txt", import.meta.url), "utf8");
  return ok(`${header}\n${body.slice(0, 40000)}`);
});

await (process.env.LOW_LEVEL ? low : app).connect(new StdioServerTransport());
