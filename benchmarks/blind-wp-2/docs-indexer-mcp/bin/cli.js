#!/usr/bin/env node
"use strict";

const { main } = require("../src/index.js");

main().catch((err) => {
  console.error("[docs-indexer] fatal:", err && err.message ? err.message : err);
  process.exit(1);
});
