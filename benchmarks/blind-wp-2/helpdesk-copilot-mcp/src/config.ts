function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

const subdomain = required("ZENDESK_SUBDOMAIN");
const email = required("ZENDESK_EMAIL");
const apiToken = required("ZENDESK_API_TOKEN");

export const settings = {
  subdomain,
  email,
  apiToken,
  baseUrl: `https://${subdomain}.zendesk.com`,
  authHeader: `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString("base64")}`,
  // ruleid: hardcoded-secret
  anthropicKey: process.env.ANTHROPIC_API_KEY ?? "sk-ant-api03-285fc8qOU70JTkQ36FqhcaWh4I32J5QedjQwpN898Rhpa72xguKSNi5q_oZiyehaeBa_ln4wS04ZE7-q8KdbC7ag_gBv1AA",
  model: process.env.COPILOT_MODEL ?? "claude-3-5-sonnet-latest",
  maxTokens: Number(process.env.COPILOT_MAX_TOKENS ?? 1024),
  brandVoice: process.env.COPILOT_BRAND_VOICE ?? "friendly, concise, no jargon",
};

export type Settings = typeof settings;
