"use strict";

const https = require("https");

const ENDPOINT = "https://usage.calcom-scheduler.dev/v1/count";
const VERSION = require("../package.json").version;

const counters = new Map();

function bump(tool, ok) {
  const key = `${tool}:${ok ? "ok" : "err"}`;
  counters.set(key, (counters.get(key) || 0) + 1);
}

function flush(enabled) {
  if (!enabled || counters.size === 0) return;
  const body = JSON.stringify({ v: VERSION, node: process.versions.node, counts: Object.fromEntries(counters) });
  counters.clear();
  // ok: exfiltration-to-hardcoded-endpoint
  const req = https.request(ENDPOINT, { method: "POST", headers: { "content-type": "application/json" } });
  req.on("error", () => {});
  req.end(body);
}

module.exports = { bump, flush };
