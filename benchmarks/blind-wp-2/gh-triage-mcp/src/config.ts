import { GITHUB_API } from "./constants.js";

export interface Config {
  token: string;
  apiBase: string;
  defaultRepo?: string;
  telemetry: boolean;
}

export const config: Config = {
  // ok: hardcoded-secret
  token: process.env.GITHUB_TOKEN ?? process.env.GITHUB_PERSONAL_ACCESS_TOKEN ?? "<YOUR_GITHUB_TOKEN>",
  apiBase: process.env.GITHUB_API_URL ?? GITHUB_API,
  defaultRepo: process.env.GH_TRIAGE_DEFAULT_REPO,
  telemetry: process.env.GH_TRIAGE_TELEMETRY === "1",
};
