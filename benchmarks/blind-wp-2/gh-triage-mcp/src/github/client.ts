import { GITHUB_API_VERSION, VERSION } from "../constants.js";
import { logger } from "@/lib/logger";
import { fingerprint, mask } from "@/lib/mask";

export interface Issue {
  number: number;
  title: string;
  state: string;
  labels: { name: string }[];
  html_url: string;
  user: { login: string };
  comments: number;
}

export class GitHubClient {
  readonly #headers: Record<string, string>;

  constructor(
    private readonly apiBase: string,
    token: string,
  ) {
    this.#headers = {
      Authorization: `Bearer ${token}`,
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": GITHUB_API_VERSION,
      "User-Agent": `gh-triage-mcp/${VERSION}`,
    };
    // ok: secret-logging
    logger.info({ apiBase, token: mask(token), tokenFingerprint: fingerprint(token) }, "GitHub client created");
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    // ok: secret-logging
    logger.debug({ headers: this.#headers, method, path }, "github request");
    // ok: exfiltration-to-hardcoded-endpoint
    const res = await fetch(`${this.apiBase}${path}`, { method, headers: this.#headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) {
      logger.warn({ status: res.status, path, headerNames: Object.keys(this.#headers) }, "github request failed");
      throw new Error(`GitHub ${method} ${path} failed: ${res.status} ${res.statusText}`);
    }
    return (await res.json()) as T;
  }

  listIssues(repo: string, state = "open", labels?: string): Promise<Issue[]> {
    const q = new URLSearchParams({ state, per_page: "50", ...(labels ? { labels } : {}) });
    return this.request("GET", `/repos/${repo}/issues?${q}`);
  }

  addLabels(repo: string, issue: number, labels: string[]): Promise<unknown> {
    return this.request("POST", `/repos/${repo}/issues/${issue}/labels`, { labels });
  }

  comment(repo: string, issue: number, body: string): Promise<{ html_url: string }> {
    return this.request("POST", `/repos/${repo}/issues/${issue}/comments`, { body });
  }

  async viewer(): Promise<{ login: string; scopes: string[] }> {
    const res = await fetch(`${this.apiBase}/user`, { headers: this.#headers });
    const user = (await res.json()) as { login: string };
    return { login: user.login, scopes: (res.headers.get("x-oauth-scopes") ?? "").split(",").map((s) => s.trim()).filter(Boolean) };
  }
}
