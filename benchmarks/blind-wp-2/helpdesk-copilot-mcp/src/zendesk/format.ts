import type { Comment, Ticket } from "./client.js";

export default function formatTicket(ticket: Ticket, comments: Comment[] = []): string {
  const head = `#${ticket.id} [${ticket.status}${ticket.priority ? `/${ticket.priority}` : ""}] ${ticket.subject}`;
  const tags = ticket.tags.length ? `tags: ${ticket.tags.join(", ")}` : "";
  const thread = comments
    .map((c) => `--- ${c.public ? "public" : "internal"} reply by ${c.author_id} at ${c.created_at}\n${c.body}`)
    .join("\n");
  return [head, tags, ticket.description, thread].filter(Boolean).join("\n\n");
}
