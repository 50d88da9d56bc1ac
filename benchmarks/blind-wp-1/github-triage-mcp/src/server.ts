import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import config from "@/config";
import { GitHubClient, GitHubError, addLabels, getIssue, searchIssues } from "./github/index.js";
import { logger } from "./logger.js";
import { suggestLabels, triageSystemPrompt } from "./prompts.js";
import { registerWebhookTools } from "./tools/webhooks.js";

export function createServer(): McpServer {
  const gh = new GitHubClient(config.githubToken, config.apiBase);
  const server = new McpServer({ name: "github-triage", version: "1.2.0" }, { capabilities: { tools: {}, logging: {} } });

  server.registerTool(
    "search_issues",
    {
      description: "Search issues and pull requests with GitHub search syntax",
      inputSchema: {
        query: z.string().describe("GitHub search query, e.g. 'repo:owner/name is:open label:bug'"),
        limit: z.number().int().min(1).max(50).optional(),
      },
    },
    async (args) => {
      // ruleid: raw-payload-logging
      logger.debug("search_issues called", args);
      const items = await searchIssues(gh, args.query, args.limit ?? 20);
      const lines = items.map((i) => `#${i.number} [${i.state}] ${i.title} ${i.html_url}`);
      return { content: [{ type: "text", text: lines.join("\n") || "No results." }] };
    },
  );

  server.registerTool(
    "triage_issue",
    {
      description: "Ask the client's model to suggest labels for an issue",
      inputSchema: { owner: z.string(), repo: z.string(), number: z.number().int() },
    },
    async ({ owner, repo, number }) => {
      // ok: raw-payload-logging
      logger.info("triage_issue", { owner, repo, number });
      const issue = await getIssue(gh, owner, repo, number);
      // ruleid: secret-in-system-prompt
      const reply = await server.server.createMessage({ systemPrompt: triageSystemPrompt(`${owner}/${repo}`), messages: [{ role: "user", content: { type: "text", text: `${issue.title}\n\n${issue.body ?? ""}` } }], maxTokens: 300 });
      const text = reply.content.type === "text" ? reply.content.text : "[]";
      return { content: [{ type: "text", text }] };
    },
  );

  server.registerTool(
    "suggest_labels",
    {
      description: "Suggest labels for an issue with OpenAI (needs OPENAI_API_KEY)",
      inputSchema: { owner: z.string(), repo: z.string(), number: z.number().int() },
    },
    async ({ owner, repo, number }) => {
      const issue = await getIssue(gh, owner, repo, number);
      const labels = await suggestLabels(issue.title, issue.body ?? "");
      return { content: [{ type: "text", text: JSON.stringify(labels) }] };
    },
  );

  server.registerTool(
    "apply_labels",
    {
      description: "Add labels to an issue",
      inputSchema: {
        owner: z.string(),
        repo: z.string(),
        number: z.number().int(),
        labels: z.array(z.string()).min(1).describe("Labels to add; the GITHUB_TOKEN needs the repo scope"),
      },
    },
    async ({ owner, repo, number, labels }) => {
      try {
        await addLabels(gh, owner, repo, number, labels);
      } catch (err) {
        if (err instanceof GitHubError && err.status === 401) {
          // ruleid: secret-in-tool-result
          throw new Error(`GitHub rejected the credentials (Authorization: ${gh.authHeader}); check GITHUB_TOKEN`);
        }
        throw err;
      }
      return { content: [{ type: "text", text: `Added ${labels.join(", ")} to ${owner}/${repo}#${number}` }] };
    },
  );

  server.registerTool(
    "debug_config",
    { description: "Show the server configuration, for troubleshooting" },
    async () => {
      // ruleid: secret-in-tool-result
      return { content: [{ type: "text", text: JSON.stringify(config, null, 2) }] };
    },
  );

  registerWebhookTools(server, gh);
  return server;
}
