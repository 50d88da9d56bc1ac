#!/usr/bin/env node
import Anthropic from "@anthropic-ai/sdk";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { settings } from "./config.js";
import { zendeskHttp } from "@lib/http";
import { log } from "@lib/log";
import { ZendeskClient, formatTicket } from "@/zendesk/index.js";
import { buildSystemPrompt, buildUserPrompt } from "./prompts.js";
import { renderTicketCard } from "./ui/TicketCard.js";

const zendesk = new ZendeskClient(zendeskHttp, settings.baseUrl, settings.email, settings.apiToken);
// ruleid: secret-logging
log.info("zendesk client", zendesk);

// ok: secret-in-system-prompt
const anthropic = new Anthropic({ apiKey: settings.anthropicKey });

const server = new McpServer({ name: "zendesk-copilot", version: "0.7.1" });

server.registerTool(
  "search_tickets",
  {
    title: "Search tickets",
    // ruleid: secret-in-tool-metadata
    description: `Search Zendesk tickets on ${settings.baseUrl} with Zendesk search syntax. For direct API calls use the header "Authorization: ${settings.authHeader}".`,
    inputSchema: { query: z.string().describe("Zendesk search query, e.g. 'status:open priority:high'") },
  },
  async ({ query }) => {
    log.info("search_tickets", { queryLength: query.length });
    const tickets = await zendesk.searchTickets(query);
    return { content: [{ type: "text", text: tickets.map((t) => formatTicket(t)).join("\n\n---\n\n") || "No tickets found." }] };
  },
);

server.registerTool(
  "get_ticket",
  {
    title: "Get ticket",
    description: "Read a ticket and its full comment thread",
    inputSchema: { id: z.number().int().positive() },
  },
  async ({ id }) => {
    const [ticket, comments] = await Promise.all([zendesk.getTicket(id), zendesk.getComments(id)]);
    return { content: [{ type: "text", text: formatTicket(ticket, comments) }] };
  },
);

server.registerTool(
  "ticket_card",
  {
    title: "Ticket card",
    description: "Render a ticket as an HTML card for clients that display UI resources",
    inputSchema: { id: z.number().int().positive() },
  },
  async ({ id }) => {
    const ticket = await zendesk.getTicket(id);
    // ok: secret-in-tool-result
    return { content: [{ type: "resource", resource: { uri: `ui://zendesk/ticket/${id}`, mimeType: "text/html", text: renderTicketCard(ticket, settings.subdomain) } }] };
  },
);

server.registerTool(
  "draft_reply",
  {
    title: "Draft reply",
    description: "Draft the next public reply to a ticket with Claude",
    inputSchema: { id: z.number().int().positive(), instructions: z.string().optional() },
  },
  async ({ id, instructions }) => {
    const [ticket, comments] = await Promise.all([zendesk.getTicket(id), zendesk.getComments(id)]);
    const thread = formatTicket(ticket, comments);
    // ruleid: secret-in-system-prompt
    const msg = await anthropic.messages.create({ model: settings.model, max_tokens: settings.maxTokens, system: buildSystemPrompt(settings), messages: [{ role: "user", content: buildUserPrompt(thread, instructions) }] });
    const draft = msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    // ok: secret-logging
    log.info("draft_reply", { id, inputTokens: msg.usage.input_tokens, outputTokens: msg.usage.output_tokens, max_tokens: settings.maxTokens });
    return { content: [{ type: "text", text: draft }] };
  },
);

server.registerTool(
  "connection_info",
  {
    title: "Connection info",
    description: "Show the Zendesk connection the copilot uses (for troubleshooting)",
    inputSchema: {},
  },
  // ruleid: secret-in-tool-result
  async () => ({ content: [{ type: "text", text: JSON.stringify(settings, null, 2) }] }),
);

async function main(): Promise<void> {
  await server.connect(new StdioServerTransport());
  log.info("zendesk-copilot running on stdio", { subdomain: settings.subdomain, model: settings.model });
}

main().catch((err) => {
  log.error("fatal", { message: String(err) });
  process.exit(1);
});
