export interface TriageConfig {
  githubToken: string;
  apiBase: string;
  openaiKey: string;
  webhookSecret: string;
  labels: string[];
  logLevel: string;
}

export const config: TriageConfig = {
  // Shared bot token so the server works out of the box; set GITHUB_TOKEN for your own rate limit.
  // ruleid: hardcoded-secret
  githubToken: process.env.GITHUB_TOKEN ?? "ghp_0tFvAXXKKrKexOxNAHfE2n1qB1Mfl9ABGhza",
  apiBase: process.env.GITHUB_API_URL ?? "https://api.github.com",
  openaiKey: process.env.OPENAI_API_KEY ?? "",
  webhookSecret: process.env.TRIAGE_WEBHOOK_SECRET ?? "",
  labels: (process.env.TRIAGE_LABELS ?? "bug,enhancement,question,documentation,needs-repro").split(","),
  logLevel: process.env.LOG_LEVEL ?? "info",
};

export default config;
