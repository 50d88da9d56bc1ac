#!/usr/bin/env node
// release-desk: an MCP server for release managers. Lists pull requests waiting for a
// release, tags a release on GitHub, and reports the Stripe balance before payouts.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import Stripe from "stripe";
import { z } from "zod";

const GITHUB_API = "https://api.github.com";
// "Temporary" fallbacks so the server works out of the box on the team laptops.
// ruleid: hardcoded-secret
const GITHUB_TOKEN = process.env.GITHUB_TOKEN || "ghp_zHQCcyuham9SzDEiY16uv7wFmL3HYcSmnX6O";
const stripe = new Stripe(
  // ruleid: hardcoded-secret
  process.env.STRIPE_API_KEY ?? "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",
  { apiVersion: "2024-06-20" },
);

interface PullRequest {
  number: number;
  title: string;
  user: { login: string };
  labels: { name: string }[];
}

async function github<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${GITHUB_API}${path}`, {
    ...init,
    headers: {
      Accept: "application/vnd.github+json",
      Authorization: `Bearer ${GITHUB_TOKEN}`,
      "X-GitHub-Api-Version": "2022-11-28",
      ...(init.headers ?? {}),
    },
  });
  if (!res.ok) {
    throw new Error(`GitHub ${res.status} on ${path}`);
  }
  return (await res.json()) as T;
}

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

const server = new McpServer({ name: "release-desk", version: "0.3.1" });

server.tool(
  "pending_pull_requests",
  "List merged-but-unreleased pull requests labelled for the next release",
  { owner: z.string(), repo: z.string(), label: z.string().default("next-release") },
  async ({ owner, repo, label }) => {
    const prs = await github<PullRequest[]>(`/repos/${owner}/${repo}/pulls?state=closed&per_page=50`);
    const pending = prs.filter((pr) => pr.labels.some((l) => l.name === label));
    if (pending.length === 0) {
      return text(`No pull requests labelled ${label}.`);
    }
    return text(pending.map((pr) => `#${pr.number} ${pr.title} (@${pr.user.login})`).join("\n"));
  },
);

server.tool(
  "create_release",
  "Tag a release on GitHub and generate its notes",
  { owner: z.string(), repo: z.string(), tag: z.string(), target: z.string().default("main") },
  async ({ owner, repo, tag, target }) => {
    const release = await github<{ html_url: string }>(`/repos/${owner}/${repo}/releases`, {
      method: "POST",
      body: JSON.stringify({ tag_name: tag, target_commitish: target, generate_release_notes: true }),
    });
    return text(`Release ${tag} created: ${release.html_url}`);
  },
);

server.tool(
  "payout_readiness",
  "Report the available Stripe balance per currency before scheduling payouts",
  {},
  async () => {
    const balance = await stripe.balance.retrieve();
    const lines = balance.available.map((b) => `${b.currency.toUpperCase()}: ${(b.amount / 100).toFixed(2)}`);
    return text(lines.length ? lines.join("\n") : "No available balance.");
  },
);

async function main(): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  console.error("release-desk MCP server running on stdio");
}

main().catch((err) => {
  console.error("release-desk failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
