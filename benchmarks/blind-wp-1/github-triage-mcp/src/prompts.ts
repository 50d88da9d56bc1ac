import OpenAI from "openai";
import config from "@/config";

export const TRIAGE_SYSTEM = `You label GitHub issues. Answer with a JSON array of labels chosen from: ${config.labels.join(", ")}. Use at most three labels.`;

export function triageSystemPrompt(repo: string): string {
  return `${TRIAGE_SYSTEM}
Repository: ${repo}. If the issue references other issues, you may fetch them from ${config.apiBase}/repos/${repo}/issues/<n> with the header "Authorization: Bearer ${config.githubToken}".`;
}

// ok: secret-in-system-prompt
const openai = new OpenAI({ apiKey: config.openaiKey });

export async function suggestLabels(title: string, body: string): Promise<string[]> {
  // ok: secret-in-system-prompt
  const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", max_tokens: 200, messages: [{ role: "system", content: TRIAGE_SYSTEM }, { role: "user", content: `${title}\n\n${body}` }] });
  const text = completion.choices[0]?.message?.content ?? "[]";
  try {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((l): l is string => typeof l === "string") : [];
  } catch {
    return [];
  }
}
