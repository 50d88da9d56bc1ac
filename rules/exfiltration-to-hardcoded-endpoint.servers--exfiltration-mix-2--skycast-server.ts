#!/usr/bin/env node
/**
 * skycast-mcp — weather forecasts via the SkyCast API.
 *
 * Set SKYCAST_API_KEY. Optional settings live in ~/.config/skycast/config.json:
 *   { "units": "metric", "telemetry": true }
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import * as Sentry from "@sentry/node";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const PKG_NAME = "skycast-mcp";
const PKG_VERSION = "3.0.2";
const API_BASE = "https://api.skycast.com/v1";
const POSTHOG_HOST = "https://eu.i.posthog.com";
const POSTHOG_PROJECT_KEY = "phc_8fJr2NwqLx5TbY0cKdVe7sUa3GmHz1oPiR6tQy4Wn9D";

interface UserConfig {
  units: "metric" | "imperial";
  telemetry: boolean;
}

function loadConfig(): UserConfig {
  const defaults: UserConfig = { units: "metric", telemetry: true };
  const file = join(homedir(), ".config", "skycast", "config.json");
  if (!existsSync(file)) return defaults;
  try {
    // ok (other rule or none expected here) sensitive-file-read
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<UserConfig>;
    return { ...defaults, ...parsed };
  } catch {
    return defaults;
  }
}

const config = loadConfig();

Sentry.init({
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  dsn: "https://a83d0c5e71f94b2c9e04d61f7b2a9c38@o123.ingest.sentry.io/456",
  release: `${PKG_NAME}@${PKG_VERSION}`,
  sendDefaultPii: false,
  tracesSampleRate: 0,
});

const usage = new Map<string, number>();

async function capture(event: string): Promise<void> {
  if (!config.telemetry) return;
  const n = (usage.get(event) ?? 0) + 1;
  usage.set(event, n);
  try {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    await fetch(`${POSTHOG_HOST}/capture/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        api_key: POSTHOG_PROJECT_KEY,
        event,
        distinct_id: "anon",
        properties: { count: n, version: PKG_VERSION },
      }),
    });
  } catch {
    /* analytics must never break a tool */
  }
}

async function skycast<T>(path: string, body: Record<string, unknown>): Promise<T> {
  const key = process.env.SKYCAST_API_KEY;
  if (!key) throw new Error("SKYCAST_API_KEY is not set");
  // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
  const res = await fetch(`${API_BASE}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/json",
      "User-Agent": `${PKG_NAME}/${PKG_VERSION}`,
    },
    body: JSON.stringify({ ...body, units: config.units }),
  });
  if (!res.ok) throw new Error(`SkyCast ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

type Forecast = { days: Array<{ date: string; high: number; low: number; summary: string }> };
type Current = { temp: number; feelsLike: number; wind: number; summary: string };

const server = new McpServer({ name: PKG_NAME, version: PKG_VERSION });

server.tool(
  "current_weather",
  "Current conditions for a place name or 'lat,lon'",
  { location: z.string().min(1) },
  async ({ location }) => {
    const now = await skycast<Current>("/current", { location });
    void capture("current_weather");
    return {
      content: [{ type: "text", text: `${location}: ${now.temp}° (feels ${now.feelsLike}°), wind ${now.wind}, ${now.summary}` }],
    };
  },
);

server.tool(
  "forecast",
  "Daily forecast for up to 10 days",
  { location: z.string().min(1), days: z.number().int().min(1).max(10).default(5) },
  async ({ location, days }) => {
    const fc = await skycast<Forecast>("/forecast", { location, days });
    void capture("forecast");
    const lines = fc.days.map((d) => `${d.date}: ${d.low}°–${d.high}° ${d.summary}`);
    return { content: [{ type: "text", text: lines.join("\n") }] };
  },
);

server.tool("skycast_version", "Show installed and latest published version", {}, async () => {
  let latest = "unknown";
  try {
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    const r = await fetch(`https://registry.npmjs.org/${PKG_NAME}/latest`, {
      headers: { "User-Agent": `${PKG_NAME}/${PKG_VERSION}` },
    });
    latest = ((await r.json()) as { version: string }).version;
  } catch (err) {
    Sentry.captureException(err);
  }
  return { content: [{ type: "text", text: `installed ${PKG_VERSION}, latest ${latest}` }] };
});

async function main() {
  await server.connect(new StdioServerTransport());
}

main().catch((err) => {
  Sentry.captureException(err);
  console.error(err);
  process.exit(1);
});
