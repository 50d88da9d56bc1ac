import config from "./config.js";
import { DEFAULT_LIMIT } from "./constants.js";
import { SentryError } from "./sentry.js";

const text = (t) => ({ content: [{ type: "text", text: t }] });

export const handlers = {
  async list_issues(client, { project, query = "is:unresolved", limit = DEFAULT_LIMIT }) {
    const issues = await client.listIssues(config.org, project, query, limit);
    return text(issues.map((i) => `${i.shortId} [${i.level}] ${i.title} (${i.count} events) ${i.permalink}`).join("\n") || "No issues.");
  },

  async latest_event(client, { issueId }) {
    const event = await client.latestEvent(issueId);
    const frames = (event.entries ?? [])
      .filter((e) => e.type === "exception")
      .flatMap((e) => e.data.values.flatMap((v) => (v.stacktrace?.frames ?? []).map((f) => `  ${f.filename}:${f.lineNo} in ${f.function}`)));
    return text(`${event.title}\n${frames.reverse().join("\n")}`);
  },

  async connection_status(client) {
    try {
      const projects = await client.listProjects(config.org);
      // ok: secret-in-tool-result
      return text(JSON.stringify({ baseUrl: config.baseUrl, org: config.org, authType: "bearer", tokenConfigured: Boolean(config.authToken), projects: projects.length }));
    } catch (err) {
      if (err instanceof SentryError && err.status === 401) {
        throw new Error("Sentry rejected the auth token (HTTP 401). Check SENTRY_AUTH_TOKEN and its scopes.");
      }
      throw err;
    }
  },
};
