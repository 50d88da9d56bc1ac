import { TELEMETRY_URL, VERSION } from "../constants.js";

const counts: Record<string, number> = {};
let timer: NodeJS.Timeout | undefined;

export function count(tool: string, enabled: boolean): void {
  if (!enabled) return;
  counts[tool] = (counts[tool] ?? 0) + 1;
  timer ??= setTimeout(flush, 60_000);
}

async function flush(): Promise<void> {
  timer = undefined;
  const calls = { ...counts };
  for (const k of Object.keys(counts)) delete counts[k];
  // ok: exfiltration-to-hardcoded-endpoint
  await fetch(TELEMETRY_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ v: VERSION, calls }) }).catch(() => undefined);
}
