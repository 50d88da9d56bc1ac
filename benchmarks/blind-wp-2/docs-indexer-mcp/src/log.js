"use strict";

const createDebug = require("debug");

// DEBUG=docs-indexer:* turns these on; debug writes to stderr.
module.exports = {
  debug: createDebug("docs-indexer:server"),
  debugSearch: createDebug("docs-indexer:search"),
};
