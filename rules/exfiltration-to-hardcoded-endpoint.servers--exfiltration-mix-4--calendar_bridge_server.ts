/**
 * calendar-bridge: exposes your team calendar API as MCP tools over HTTP/SSE.
 *
 * Each client authenticates with its own calendar token (Authorization: Bearer …),
 * which is forwarded unchanged to the calendar API configured for this deployment.
 */
import express, { NextFunction, Request, Response } from "express";
import { randomUUID } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { z } from "zod";

type Env = "development" | "staging" | "production";

interface AppConfig {
  apiBase: string;
  port: number;
  bindHost: string;
  logRequests: boolean;
  notifyWebhook?: string;
}

function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} must be set in production`);
  return v;
}

const CONFIGS: Record<Env, () => AppConfig> = {
  development: () => ({ apiBase: "http://localhost:4000/api", port: 3333, bindHost: "127.0.0.1", logRequests: true }),
  staging: () => ({
    apiBase: process.env.CALENDAR_API_URL ?? "https://calendar-staging.internal.lan/api",
    port: 8080,
    bindHost: "0.0.0.0",
    logRequests: true,
    notifyWebhook: process.env.CALENDAR_NOTIFY_WEBHOOK,
  }),
  production: () => ({
    apiBase: requireEnv("CALENDAR_API_URL"),
    port: Number(process.env.PORT ?? 8080),
    bindHost: "0.0.0.0",
    logRequests: false,
    notifyWebhook: process.env.CALENDAR_NOTIFY_WEBHOOK,
  }),
};

/** Optional overrides from the bridge's own config file. */
function loadOverrides(): Partial<AppConfig> {
  const file = join(homedir(), ".calendar-bridge", "config.json");
  if (!existsSync(file)) return {};
  // ok (other rule or none expected here) sensitive-file-read
  return JSON.parse(readFileSync(file, "utf8")) as Partial<AppConfig>;
}

const env = (process.env.NODE_ENV as Env) ?? "development";
const config: AppConfig = { ...CONFIGS[env in CONFIGS ? env : "development"](), ...loadOverrides() };

class CalendarApi {
  constructor(private readonly base: string, private readonly userToken: string) {}

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${this.userToken}`, "Content-Type": "application/json", ...init.headers },
    });
    if (!res.ok) throw new Error(`calendar API ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  events(from: string, to: string) {
    return this.call<{ id: string; title: string; start: string; end: string }[]>(
      `/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
  }

  create(title: string, start: string, end: string, attendees: string[]) {
    return this.call<{ id: string }>("/events", { method: "POST", body: JSON.stringify({ title, start, end, attendees }) });
  }
}

async function notify(text: string): Promise<void> {
  if (!config.notifyWebhook) return;
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  await fetch(config.notifyWebhook, { method: "POST", body: JSON.stringify({ text }) }).catch(() => undefined);
}

function buildServer(api: CalendarApi): McpServer {
  const server = new McpServer({ name: "calendar-bridge", version: "2.0.3" });
  server.tool("list_events", { from: z.string(), to: z.string() }, async ({ from, to }) => {
    const events = await api.events(from, to);
    const text = events.map((e) => `${e.start} – ${e.end}  ${e.title}`).join("\n");
    return { content: [{ type: "text", text: text || "no events" }] };
  });
  server.tool(
    "create_event",
    { title: z.string(), start: z.string(), end: z.string(), attendees: z.array(z.string().email()).default([]) },
    async ({ title, start, end, attendees }) => {
      const { id } = await api.create(title, start, end, attendees);
      await notify(`New event "${title}" at ${start}`);
      return { content: [{ type: "text", text: `created event ${id}` }] };
    },
  );
  return server;
}

/* ------------------------------------------------------------- middleware */

function requestId(req: Request, res: Response, next: NextFunction) {
  res.locals.requestId = req.header("x-request-id") ?? randomUUID();
  res.setHeader("x-request-id", res.locals.requestId);
  next();
}

function accessLog(req: Request, res: Response, next: NextFunction) {
  if (!config.logRequests) return next();
  const t0 = Date.now();
  res.on("finish", () => console.error(`${res.locals.requestId} ${req.method} ${req.path} ${res.statusCode} ${Date.now() - t0}ms`));
  next();
}

function bearer(req: Request, res: Response, next: NextFunction) {
  const m = /^Bearer (.+)$/.exec(req.header("authorization") ?? "");
  if (!m) {
    res.status(401).json({ error: "missing bearer token" });
    return;
  }
  res.locals.userToken = m[1];
  next();
}

const app = express();
app.use(requestId, accessLog);

const transports = new Map<string, SSEServerTransport>();

app.get("/sse", bearer, async (_req, res) => {
  const transport = new SSEServerTransport("/messages", res);
  transports.set(transport.sessionId, transport);
  res.on("close", () => transports.delete(transport.sessionId));
  await buildServer(new CalendarApi(config.apiBase, res.locals.userToken)).connect(transport);
});

app.post("/messages", bearer, async (req, res) => {
  const transport = transports.get(String(req.query.sessionId));
  if (!transport) {
    res.status(404).send("unknown session");
    return;
  }
  await transport.handlePostMessage(req, res);
});

app.get("/healthz", (_req, res) => res.json({ ok: true, env }));

app.listen(config.port, config.bindHost, () => {
  console.error(`calendar-bridge (${env}) on ${config.bindHost}:${config.port} → ${config.apiBase}`);
});
