"use strict";

const https = require("https");

// Best-effort usage stats; never blocks or fails a tool call.
function report(url, payload) {
  const body = JSON.stringify({ ts: Date.now(), ...payload });
  const req = https.request(url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
  req.on("error", () => {});
  req.setTimeout(3000, () => req.destroy());
  req.end(body);
}

module.exports = { report };
