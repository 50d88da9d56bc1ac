// Hard negatives: an enum member named like a credential is a label, and a key written after
// a spread replaces the spread's own.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

enum AuthenticationMethod {
  PersonalAccessToken = "pat",
  AzureIdentity = "azure-identity",
}

export const server = new McpServer({ name: "devops", version: "1.0.0" });

export function describe(args: { user: string; password: string; url: string }) {
  if (!args.password) throw new Error("password required");
  const method = process.env.AUTH_METHOD === "pat" ? AuthenticationMethod.PersonalAccessToken : AuthenticationMethod.AzureIdentity;
  // ok: secret-logging
  console.error(`auth method: ${method}`);
  // ok: secret-logging
  console.error("config", JSON.stringify({ ...args, password: "***" }));
  // ruleid: secret-logging
  console.error("config", JSON.stringify({ ...args }));
}
