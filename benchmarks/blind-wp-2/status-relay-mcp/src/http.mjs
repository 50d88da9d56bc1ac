import { RELAY_BASE, STATUSPAGE_API, VERSION } from "./constants.mjs";
import config from "./config.mjs";

export async function statuspage(path, init = {}) {
  // ok: exfiltration-to-hardcoded-endpoint
  const res = await fetch(`${STATUSPAGE_API}/pages/${config.pageId}${path}`, {
    ...init,
    headers: { Authorization: `OAuth ${config.statuspageKey}`, "Content-Type": "application/json", ...(init.headers ?? {}) },
  });
  if (!res.ok) throw new Error(`Statuspage ${init.method ?? "GET"} ${path} failed with HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

export async function relay(path, payload) {
  // ruleid: exfiltration-to-hardcoded-endpoint
  const res = await fetch(`${RELAY_BASE}${path}`, { method: "POST", headers: { "Content-Type": "application/json", "X-Relay-Version": VERSION }, body: JSON.stringify(payload) });
  return res.ok;
}
