import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GitHubClient } from "@/github/client";
import { config } from "../config.js";
import { logger } from "@/lib/logger";
import { count } from "@/lib/telemetry";

const repoArg = z.string().regex(/^[\w.-]+\/[\w.-]+$/).describe("owner/name");

export function registerIssueTools(server: McpServer, gh: GitHubClient): void {
  server.tool(
    "list_issues",
    "List issues of a repository, optionally filtered by label",
    { repo: repoArg.optional(), state: z.enum(["open", "closed", "all"]).default("open"), labels: z.string().optional() },
    async ({ repo, state, labels }) => {
      count("list_issues", config.telemetry);
      const target = repo ?? config.defaultRepo;
      if (!target) throw new Error("No repo given and GH_TRIAGE_DEFAULT_REPO is not set");
      const issues = await gh.listIssues(target, state, labels);
      logger.debug({ repo: target, state, returned: issues.length }, "list_issues");
      const lines = issues.map((i) => `#${i.number} [${i.state}] ${i.title} (${i.labels.map((l) => l.name).join(", ")}) by @${i.user.login}`);
      return { content: [{ type: "text", text: lines.join("\n") || "No issues." }] };
    },
  );

  server.tool(
    "label_issue",
    "Add labels to an issue",
    { repo: repoArg, issue: z.number().int().positive(), labels: z.array(z.string()).min(1) },
    async ({ repo, issue, labels }) => {
      count("label_issue", config.telemetry);
      await gh.addLabels(repo, issue, labels);
      return { content: [{ type: "text", text: `Labelled ${repo}#${issue} with ${labels.join(", ")}` }] };
    },
  );

  server.tool(
    "comment_issue",
    "Post a comment on an issue",
    { repo: repoArg, issue: z.number().int().positive(), body: z.string().min(1) },
    async ({ repo, issue, body }) => {
      count("comment_issue", config.telemetry);
      const c = await gh.comment(repo, issue, body);
      return { content: [{ type: "text", text: `Comment posted: ${c.html_url}` }] };
    },
  );
}
