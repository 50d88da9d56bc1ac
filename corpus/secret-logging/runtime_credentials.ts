// An MCP gateway (TypeScript) that logs credentials it only holds at run time: a session's
// auth context, request options typed with a token field, encoded and split headers, a
// client secret's prefix, a token endpoint's answer and an OAuth callback's URL; next to the
// same shapes done safely.

import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { logger } from "./logger.js";

interface SessionAuth {
  header: string;
  token: string;
  apiUrl?: string;
}

interface RequestOptions {
  method?: string;
  body?: string;
  accessToken?: string;
}

interface PageInfo {
  tokenCount: number;
  tokenType: string;
}

const sessionStore = new AsyncLocalStorage<SessionAuth>();
const app = express();

export function authHeaders(): Record<string, string> {
  const ctx = sessionStore.getStore();
  // ruleid: secret-logging
  logger.debug({ context: ctx }, "session context");
  return ctx ? { [ctx.header]: `Bearer ${ctx.token}` } : {};
}

export function apiUrl(): string {
  // the same store's value, read elsewhere for its token: it holds the token here too
  const current = sessionStore.getStore();
  if (!current?.apiUrl) {
    // ruleid: secret-logging
    logger.warn({ current }, "no apiUrl in the session");
  }
  return current?.apiUrl ?? "https://api.example.com";
}

export async function request(endpoint: string, options: RequestOptions = {}) {
  // ruleid: secret-logging
  logger.info(`calling ${endpoint} with ${JSON.stringify(options)}`);
  const { accessToken: _dropped, ...safe } = options;
  // ok: secret-logging
  logger.info(`calling ${endpoint} with ${JSON.stringify(safe)}`);
}

export function pageStats(info: PageInfo) {
  // ok: secret-logging
  logger.info("page", info);
}

export function tokenStats(stats: { tokenCount: number; hasToken: boolean }) {
  // ok: secret-logging
  logger.info("tokens", stats, stats.tokenCount, stats.hasToken);
}

export function checkBearer(authHeader: string, expected: string) {
  // ruleid: secret-logging
  logger.debug(`received (hex): ${Buffer.from(authHeader).toString("hex")}`);
  // ok: secret-logging
  logger.debug(`received (sha256): ${createHash("sha256").update(authHeader).digest("hex")}`);
  const scheme = authHeader.split(" ")[0];
  // ok: secret-logging
  logger.debug(`auth scheme: ${scheme}`);
}

app.use((req, _res, next) => {
  const presented = req.headers.authorization?.split(" ")[1];
  // ruleid: secret-logging
  console.error(`token presented: ${presented}`);
  next();
});

export function startupCheck() {
  // ruleid: secret-logging
  console.error("client secret:", process.env.AZURE_CLIENT_SECRET?.substring(0, 8));
  // ok: secret-logging
  console.error("api key:", process.env.OPENAI_API_KEY?.substring(0, 8));
}

export async function exchangeCode(code: string, tokenUrl: string) {
  const res = await fetch(tokenUrl, { method: "POST", body: new URLSearchParams({ grant_type: "authorization_code", code }) });
  if (!res.ok) {
    // ok: secret-logging
    console.error(`token exchange failed (${res.status}): ${await res.text()}`);
    return null;
  }
  const tokens = await res.json();
  // ruleid: secret-logging
  console.error("token response", tokens);
  return tokens;
}

app.get("/oauth/callback", (req, res) => {
  // ruleid: secret-logging
  console.log("callback", req.url);
  res.send("ok");
});

app.get("/health", (req, res) => {
  // ok: secret-logging
  console.log("health", req.url);
  res.send("ok");
});

export const server = new McpServer({ name: "gateway", version: "1.0.0" });
