import { logger } from "../logger.js";

export class GitHubError extends Error {
  constructor(readonly status: number, path: string) {
    super(`GitHub returned HTTP ${status} for ${path}`);
    this.name = "GitHubError";
  }
}

export class GitHubClient {
  readonly #token: string;
  readonly #base: string;

  constructor(token: string, base: string) {
    this.#token = token;
    this.#base = base.replace(/\/$/, "");
  }

  get authHeader(): string {
    return `Bearer ${this.#token}`;
  }

  #headers(): Record<string, string> {
    return {
      Authorization: this.authHeader,
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      "User-Agent": "github-triage-mcp",
    };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers = this.#headers();
    // ruleid: secret-logging
    logger.debug(`${method} ${path}`, { headers });
    // ok: exfiltration-to-hardcoded-endpoint
    const res = await fetch(`${this.#base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) {
      throw new GitHubError(res.status, path);
    }
    return (await res.json()) as T;
  }
}
