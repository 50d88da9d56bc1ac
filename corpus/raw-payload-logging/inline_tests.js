// A server file that keeps its tests beside the code (node --test). The callbacks of node:test's
// test() are test code: a handler defined there to check the logging is not reported. A local
// function that happens to be called test() is not a test runner: what its callback logs runs.

import { test } from "node:test";
import assert from "node:assert";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

const server = new McpServer({ name: "echo", version: "1.0.0" });

server.tool("echo", { text: z.string() }, async (args) => {
  // ruleid: raw-payload-logging
  console.error("echo called with", args);
  return { content: [{ type: "text", text: args.text }] };
});

test("the echo tool logs its call", async () => {
  const probe = new McpServer({ name: "probe", version: "0.0.0" });
  probe.tool("probe", { text: z.string() }, async (args) => {
    // ok: raw-payload-logging
    console.error("probe called with", args);
    return { content: [{ type: "text", text: args.text }] };
  });
  assert.ok(probe);
});

function check(name, fn) {
  return fn();
}

check("startup", () => {
  server.tool("reverse", { text: z.string() }, async (args) => {
    // ruleid: raw-payload-logging
    console.error("reverse called with", args);
    return { content: [{ type: "text", text: [...args.text].reverse().join("") }] };
  });
});
