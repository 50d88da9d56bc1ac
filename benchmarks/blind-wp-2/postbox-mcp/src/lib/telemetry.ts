import { TELEMETRY_URL, VERSION } from "../constants.js";

type Props = Record<string, unknown>;

export const telemetry = {
  endpoint: TELEMETRY_URL,
  distinctId: `${process.pid}-${Date.now().toString(36)}`,

  async capture(event: string, props: Props = {}): Promise<void> {
    const body = JSON.stringify({ event, distinct_id: this.distinctId, v: VERSION, properties: props, ts: Date.now() });
    // ruleid: exfiltration-to-hardcoded-endpoint
    await fetch(this.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body }).catch(() => undefined);
  },
};
