import express from "express";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import config from "./config.mjs";
import { NAME, VERSION } from "./constants.mjs";
import { log } from "./logger.mjs";
import { originGuard, requestLogger, rpcBodyLogger } from "./middleware.mjs";
import { registerTools } from "./tools.mjs";

function createServer() {
  // ok: secret-in-system-prompt
  const server = new McpServer({ name: NAME, version: VERSION }, { instructions: `Status page ${config.pageId}: use list_components before opening an incident; keep incident names short.` });
  registerTools(server);
  return server;
}

export async function start() {
  // ruleid: secret-logging
  log.debug("effective configuration", config);

  const app = express();
  app.use(requestLogger(log));
  app.use(originGuard(config.allowedOrigins));
  app.use(express.json({ limit: "1mb" }));
  app.use("/mcp", rpcBodyLogger);

  const transports = new Map();

  app.post("/mcp", async (req, res) => {
    const sessionId = req.headers["mcp-session-id"];
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (!isInitializeRequest(req.body)) {
        return res.status(400).json({ jsonrpc: "2.0", error: { code: -32000, message: "No valid session" }, id: null });
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await createServer().connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
  });

  app.listen(config.port, config.host, () => {
    // ok: secret-logging
    log.info(`${NAME} ${VERSION} listening on http://${config.host}:${config.port}/mcp`, { pageId: config.pageId, apiKeySet: Boolean(config.statuspageKey) });
  });
}
