// An MCP server written without an SDK: it reads JSON-RPC lines from stdin and dispatches on
// the method. The tool call's arguments are a payload; the responses it writes to stdout are
// the protocol, not a log.

const readline = require("node:readline");

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.method === "tools/call") {
    const args = msg.params.arguments;
    // ruleid: raw-payload-logging
    console.error("tools/call", JSON.stringify(args));
    // ok: raw-payload-logging
    console.error("tools/call", msg.params.name);
    // ok: raw-payload-logging
    process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: args.query }] } }) + "\n");
  } else if (msg.method === "initialize") {
    // ok: raw-payload-logging
    console.error("initialize", JSON.stringify(msg));
  }
});
