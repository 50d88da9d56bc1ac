import { log } from "./logger.mjs";

export function requestLogger(logger) {
  return (req, res, next) => {
    const started = Date.now();
    res.on("finish", () => {
      // ruleid: raw-payload-logging
      logger.http("request", { method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - started, headers: req.headers });
    });
    next();
  };
}

export function rpcBodyLogger(req, _res, next) {
  if (req.body && typeof req.body === "object") {
    // ruleid: raw-payload-logging
    log.debug(`jsonrpc ${req.body.method ?? "(batch)"}`, { body: req.body });
  }
  next();
}

export function originGuard(allowed) {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.length && !allowed.includes(origin)) {
      // ok: raw-payload-logging
      log.warn("rejected origin", { origin, headerNames: Object.keys(req.headers) });
      return res.status(403).json({ error: "origin not allowed" });
    }
    next();
  };
}
