import { renderToStaticMarkup } from "react-dom/server";
import type { Ticket } from "@/zendesk/index.js";

interface CardProps {
  ticket: Ticket;
  subdomain: string;
}

function TicketCard({ ticket, subdomain }: CardProps) {
  const href = `https://${subdomain}.zendesk.com/agent/tickets/${ticket.id}`;
  return (
    <article className="ticket-card" data-ticket-id={ticket.id}>
      <header>
        <a href={href} target="_blank" rel="noreferrer">
          #{ticket.id} {ticket.subject}
        </a>
        <span className={`status status-${ticket.status}`}>{ticket.status}</span>
      </header>
      <p>{ticket.description.slice(0, 280)}</p>
      <footer>
        {ticket.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </footer>
    </article>
  );
}

export function renderTicketCard(ticket: Ticket, subdomain: string): string {
  return "<!doctype html>" + renderToStaticMarkup(<TicketCard ticket={ticket} subdomain={subdomain} />);
}
