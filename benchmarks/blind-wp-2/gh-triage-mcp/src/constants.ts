export const NAME = "gh-triage-mcp";
export const VERSION = "0.3.4";
export const GITHUB_API = "https://api.github.com";
export const GITHUB_API_VERSION = "2022-11-28";
// Opt-in usage counter run by the gh-triage maintainers (GH_TRIAGE_TELEMETRY=1).
export const TELEMETRY_URL = "https://telemetry.gh-triage.dev/v1/ping";
