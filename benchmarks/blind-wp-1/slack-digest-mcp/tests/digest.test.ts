import { describe, expect, it } from "vitest";
import buildDigest from "../src/digest.js";
import { publicSettings } from "../src/config.js";

// ok: hardcoded-secret
const SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543";

describe("buildDigest", () => {
  it("counts people and threads", () => {
    const text = buildDigest("general", [
      { ts: "1.0", user: "U1", text: "hello", thread_ts: "1.0" },
      { ts: "2.0", user: "U2", text: "hi" },
    ]);
    expect(text).toContain("2 messages from 2 people, 1 threads");
  });
});

describe("publicSettings", () => {
  it("never shows the token", () => {
    const shown = publicSettings({ botToken: SIGNING_SECRET, teamId: "T1", digestWebhookUrl: undefined, defaultChannels: [], maxMessages: 10 });
    expect(JSON.stringify(shown)).not.toContain(SIGNING_SECRET);
  });
});
