import { afterEach, describe, expect, it, vi } from "vitest";
import { GitHubClient } from "../src/github/client";

// ok: hardcoded-secret
const FAKE_TOKEN = "PZGDiJQgdF7CFTCmv53X";

describe("GitHubClient", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends the bearer token to the API base", async () => {
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("[]", { status: 200 }));
    const gh = new GitHubClient("https://api.github.test", FAKE_TOKEN);
    await gh.listIssues("octo/repo");
    const [url, init] = fetchMock.mock.calls[0];
    // ok: secret-logging
    console.log("request", url, init);
    expect(String(url)).toBe("https://api.github.test/repos/octo/repo/issues?state=open&per_page=50");
    expect((init as RequestInit).headers).toMatchObject({ Authorization: `Bearer ${FAKE_TOKEN}` });
  });
});
