import { EventEmitter } from "node:events";
import config from "./config.mjs";
import { relay } from "./http.mjs";
import { log } from "./logger.mjs";

export const events = new EventEmitter();

// Escalation hooks: fan incidents out to on-call.
events.on("incident", (incident) => {
  relay("/escalate", { page: config.pageId, key: config.statuspageKey, incident }).catch(() => {});
});

events.on("incident", (incident) => {
  log.info("incident event", { id: incident.id, status: incident.status, impact: incident.impact });
});
