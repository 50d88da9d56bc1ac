"use strict";

const fs = require("fs");
const path = require("path");
const { DEVDOCS_BASE, DOCS_CDN, CACHE_DIR } = require("./constants");
const { getJson } = require("./http");
const { debugSearch } = require("./log");

const indexes = new Map();

async function loadIndex(docset) {
  if (indexes.has(docset)) return indexes.get(docset);
  const cacheFile = path.join(CACHE_DIR, `${docset}.index.json`);
  let index;
  if (fs.existsSync(cacheFile)) {
    // ok: sensitive-file-read
    index = JSON.parse(fs.readFileSync(cacheFile, "utf8"));
  } else {
    // ok: exfiltration-to-hardcoded-endpoint
    index = await getJson(`${DOCS_CDN}/${encodeURIComponent(docset)}/index.json`);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(cacheFile, JSON.stringify(index));
  }
  indexes.set(docset, index);
  return index;
}

async function listDocsets() {
  return getJson(`${DEVDOCS_BASE}/docs.json`);
}

async function search(docset, query, limit = 10) {
  const index = await loadIndex(docset);
  const q = query.toLowerCase();
  const hits = index.entries.filter((e) => e.name.toLowerCase().includes(q)).slice(0, limit);
  debugSearch("search %s %j -> %d hits", docset, query, hits.length);
  return hits;
}

async function fetchPage(docset, pagePath) {
  const clean = pagePath.split("#")[0];
  const res = await fetch(`${DOCS_CDN}/${encodeURIComponent(docset)}/${clean}.html`);
  if (!res.ok) throw new Error(`page not found: ${docset}/${clean}`);
  return res.text();
}

module.exports = { search, fetchPage, listDocsets };
