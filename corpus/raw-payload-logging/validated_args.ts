// Tool arguments validated with a schema, or split off with rest-destructuring, are still the
// whole payload; chosen fields are not.

import { z } from "zod";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const CreateIssue = z.object({ owner: z.string(), repo: z.string(), title: z.string(), body: z.string() });
const server = new Server({ name: "issues", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const args = CreateIssue.parse(request.params.arguments);
  // ruleid: raw-payload-logging
  console.error("[DEBUG] create_issue", args);
  const { owner, repo, ...options } = args;
  // ruleid: raw-payload-logging
  console.error("[DEBUG] issue options:", JSON.stringify(options, null, 2));
  // ok: raw-payload-logging
  console.error(`[DEBUG] creating an issue in ${owner}/${repo}`);
  const when = new Date(Date.parse("2026-01-01"));
  // ok: raw-payload-logging
  console.error("[DEBUG] at", when);
  return { content: [{ type: "text", text: "created" }] };
});
