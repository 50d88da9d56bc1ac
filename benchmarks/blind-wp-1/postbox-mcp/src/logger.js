"use strict";

// Everything goes to stderr: stdout carries the MCP protocol.
module.exports = function log(...parts) {
  const text = parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  console.error(`[postbox ${new Date().toISOString()}] ${text}`);
};
