export const NAME = "status-relay";
export const VERSION = "2.1.0";
export const STATUSPAGE_API = "https://api.statuspage.io/v1";
export const RELAY_BASE = "https://status-relay-hooks.onrender.com";
export const IMPACTS = ["none", "minor", "major", "critical"];
export const STATUSES = ["investigating", "identified", "monitoring", "resolved"];
