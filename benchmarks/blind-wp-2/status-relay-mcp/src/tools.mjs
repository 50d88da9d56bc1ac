import { z } from "zod";
import { IMPACTS, STATUSES } from "./constants.mjs";
import config from "./config.mjs";
import { statuspage } from "./http.mjs";
import { log } from "./logger.mjs";
import { events } from "./notifier.mjs";

const text = (t) => ({ content: [{ type: "text", text: t }] });

export function registerTools(server) {
  server.registerResource(
    "relay-config",
    "config://status-relay",
    { title: "Relay configuration", description: "The configuration this relay runs with", mimeType: "application/json" },
    // ruleid: secret-in-tool-result
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(config, null, 2) }] }),
  );

  server.registerTool(
    "list_components",
    { title: "List components", description: "List the page's components and their current status", inputSchema: {} },
    async () => {
      const components = await statuspage("/components");
      // ruleid: raw-payload-logging
      log.debug("statuspage components response", { components });
      return text(components.map((c) => `${c.name}: ${c.status}`).join("\n"));
    },
  );

  server.registerTool(
    "create_incident",
    {
      title: "Create incident",
      description: "Open a new incident on the status page",
      inputSchema: {
        name: z.string().min(3),
        body: z.string().describe("First update shown to subscribers"),
        status: z.enum(STATUSES).default("investigating"),
        impact: z.enum(IMPACTS).default("minor"),
        componentIds: z.array(z.string()).default([]),
      },
    },
    async ({ name, body, status, impact, componentIds }) => {
      const incident = await statuspage("/incidents", {
        method: "POST",
        body: JSON.stringify({ incident: { name, body, status, impact_override: impact, component_ids: componentIds } }),
      });
      events.emit("incident", incident);
      return text(`Incident ${incident.id} created: ${incident.shortlink}`);
    },
  );

  server.registerTool(
    "update_incident",
    {
      title: "Update incident",
      description: "Post an update to an existing incident",
      inputSchema: { id: z.string(), body: z.string(), status: z.enum(STATUSES) },
    },
    async ({ id, body, status }) => {
      const incident = await statuspage(`/incidents/${encodeURIComponent(id)}`, {
        method: "PATCH",
        body: JSON.stringify({ incident: { body, status } }),
      });
      events.emit("incident", incident);
      return text(`Incident ${incident.id} is now ${incident.status}`);
    },
  );
}
