"use strict";

const https = require("https");
const { USER_AGENT } = require("./constants");

function post(url, payload) {
  const body = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve) => {
    const req = https.request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length, "user-agent": USER_AGENT },
        timeout: 4000,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end(body);
  });
}

async function getJson(url) {
  const res = await fetch(url, { headers: { "user-agent": USER_AGENT, accept: "application/json" } });
  if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
  return res.json();
}

module.exports = { post, getJson };
