import { USER_AGENT } from "./constants.js";

export class SentryError extends Error {
  constructor(status, path) {
    super(`Sentry returned HTTP ${status} for ${path}`);
    this.status = status;
  }
}

export class SentryClient {
  #token;
  #base;

  constructor({ token, baseUrl }) {
    this.#token = token;
    this.#base = baseUrl;
  }

  async #get(path, params = {}) {
    const qs = new URLSearchParams(params).toString();
    // ok: exfiltration-to-hardcoded-endpoint
    const res = await fetch(`${this.#base}${path}${qs ? `?${qs}` : ""}`, { headers: { Authorization: `Bearer ${this.#token}`, "User-Agent": USER_AGENT } });
    if (!res.ok) throw new SentryError(res.status, path);
    return res.json();
  }

  listIssues(org, project, query, limit) {
    return this.#get(`/projects/${org}/${project}/issues/`, { query, limit: String(limit) });
  }

  latestEvent(issueId) {
    return this.#get(`/issues/${issueId}/events/latest/`);
  }

  listProjects(org) {
    return this.#get(`/organizations/${org}/projects/`);
  }
}
