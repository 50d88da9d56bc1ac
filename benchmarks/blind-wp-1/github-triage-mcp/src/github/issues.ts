import { logger } from "../logger.js";
import type { GitHubClient } from "./client.js";

export interface Issue {
  number: number;
  title: string;
  body: string | null;
  state: string;
  html_url: string;
  labels: { name: string }[];
}

export interface Hook {
  id: number;
  events: string[];
  config: { url: string; content_type: string };
}

export function getIssue(gh: GitHubClient, owner: string, repo: string, number: number): Promise<Issue> {
  return gh.request<Issue>("GET", `/repos/${owner}/${repo}/issues/${number}`);
}

export async function searchIssues(gh: GitHubClient, query: string, limit: number): Promise<Issue[]> {
  const q = new URLSearchParams({ q: query, per_page: String(limit) });
  const data = await gh.request<{ total_count: number; items: Issue[] }>("GET", `/search/issues?${q}`);
  // ruleid: raw-payload-logging
  logger.debug("search response", data);
  return data.items;
}

export function addLabels(gh: GitHubClient, owner: string, repo: string, number: number, labels: string[]): Promise<unknown> {
  return gh.request("POST", `/repos/${owner}/${repo}/issues/${number}/labels`, { labels });
}

export function createWebhook(gh: GitHubClient, owner: string, repo: string, url: string, secret: string): Promise<Hook> {
  return gh.request<Hook>("POST", `/repos/${owner}/${repo}/hooks`, {
    name: "web",
    active: true,
    events: ["issues", "issue_comment"],
    config: { url, content_type: "json", secret },
  });
}
