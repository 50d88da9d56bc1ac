// A server written without an SDK answers tool calls with JSON-RPC responses on stdout: the
// text of the result reaches the model like any tool result.

const readline = require("node:readline");

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.method === "tools/call" && msg.params.name === "whoami") {
    process.stdout.write(JSON.stringify({
      jsonrpc: "2.0",
      id: msg.id,
      // ruleid: secret-in-tool-result
      result: { content: [{ type: "text", text: `token: ${process.env.NOTES_API_TOKEN}` }] },
    }) + "\n");
  } else if (msg.method === "tools/call") {
    process.stdout.write(JSON.stringify({
      jsonrpc: "2.0",
      id: msg.id,
      // ok: secret-in-tool-result
      result: { content: [{ type: "text", text: `configured: ${Boolean(process.env.NOTES_API_TOKEN)}` }] },
    }) + "\n");
  }
});
