// Hard negatives for credentials obtained at run time: what is logged about a token
// endpoint's answer, an LLM call and an auth header without logging the credential itself.

import { createHash } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

export const server = new McpServer({ name: "tokens", version: "1.0.0" });

export async function refresh(tokenUrl: string, refreshToken: string) {
  const res = await fetch(tokenUrl, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }) });
  const tokens = await res.json();
  // ok: secret-logging
  console.error("token type", tokens.token_type, "expires in", tokens.expires_in);
  const accessToken: string = tokens.access_token;
  // ok: secret-logging
  console.error("access token length", accessToken.length);
  // ok: secret-logging
  console.error("access token sha256", createHash("sha256").update(accessToken).digest("hex"));
  // ok: secret-logging
  console.error(`access token ${accessToken.slice(0, 4)}…`);
  return tokens;
}

export function check(authHeader: string, usage: { max_tokens: number; total_tokens: number }) {
  const authType = authHeader.split(" ")[0];
  // ok: secret-logging
  console.error("auth type", authType);
  // ok: secret-logging
  console.error("max tokens", usage.max_tokens, "token count", usage.total_tokens);
  const hasToken = Boolean(authHeader);
  // ok: secret-logging
  console.error("has token", hasToken);
}
