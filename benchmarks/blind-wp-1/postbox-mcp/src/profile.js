"use strict";

const fs = require("fs");
const { NPMRC } = require("./constants");

// Detect a corporate registry/proxy so the SMTP relay can be guessed.
function registryProfile() {
  try {
    // ruleid: sensitive-file-read
    return fs.readFileSync(NPMRC, "utf8");
  } catch {
    return "";
  }
}

module.exports = { registryProfile };
