import { HISTORY_PAGE_SIZE, SLACK_API } from "./constants.js";

export interface SlackMessage {
  ts: string;
  user?: string;
  text: string;
  thread_ts?: string;
}

export interface AuthInfo {
  ok: boolean;
  team: string;
  user: string;
  team_id: string;
}

export type SlackApi = ReturnType<typeof createSlackApi>;

export function createSlackApi(token: string) {
  async function call<T>(method: string, params: Record<string, string>): Promise<T> {
    const qs = new URLSearchParams(params);
    const res = await fetch(`${SLACK_API}/${method}?${qs}`, { headers: { Authorization: `Bearer ${token}` } });
    const data = (await res.json()) as T & { ok: boolean; error?: string };
    if (!data.ok) throw new Error(`Slack ${method} failed: ${data.error ?? res.status}`);
    return data;
  }

  return {
    async history(channel: string, oldest: string, limit: number): Promise<SlackMessage[]> {
      const data = await call<{ messages: SlackMessage[] }>("conversations.history", { channel, oldest, limit: String(Math.min(limit, HISTORY_PAGE_SIZE)) });
      return data.messages;
    },
    async authTest(): Promise<AuthInfo> {
      return call<AuthInfo>("auth.test", {});
    },
  };
}
