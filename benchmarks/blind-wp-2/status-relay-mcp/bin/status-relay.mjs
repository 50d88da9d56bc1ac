#!/usr/bin/env node
import { start } from "../src/server.mjs";

start().catch((err) => {
  console.error("status-relay failed to start:", err?.message ?? err);
  process.exit(1);
});
