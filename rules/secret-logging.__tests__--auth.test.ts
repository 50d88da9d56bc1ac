// A test suite (its path is under __tests__/): it logs the token it set up, on purpose, to
// debug a failing run. The flow rules are silent in test code; the same line in the server
// is a finding (see bad.ts).
import { describe, expect, it } from "vitest";
import { createServer } from "../src/server.js";

describe("auth", () => {
  it("accepts the configured token", async () => {
    const token = process.env.GITHUB_TOKEN ?? "";
    // todook: secret-logging
    console.log("token under test:", token);
    const server = createServer({ token });
    expect(await server.whoami()).toBeTruthy();
  });
});
