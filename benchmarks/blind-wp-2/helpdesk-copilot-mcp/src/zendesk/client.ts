import type { AxiosInstance } from "axios";
import { log, mask } from "@lib/log";

export interface Ticket {
  id: number;
  subject: string;
  description: string;
  status: string;
  priority: string | null;
  requester_id: number;
  tags: string[];
  updated_at: string;
}

export interface Comment {
  id: number;
  author_id: number;
  body: string;
  public: boolean;
  created_at: string;
}

export class ZendeskClient {
  readonly #email: string;
  readonly #token: string;

  constructor(private readonly http: AxiosInstance, readonly baseUrl: string, email: string, token: string) {
    this.#email = email;
    this.#token = token;
    // ok: secret-logging
    log.info("zendesk client ready", { baseUrl, email, token: mask(token) });
  }

  async searchTickets(query: string, perPage = 25): Promise<Ticket[]> {
    const { data } = await this.http.get("/search.json", { params: { query: `type:ticket ${query}`, per_page: perPage } });
    return data.results as Ticket[];
  }

  async getTicket(id: number): Promise<Ticket> {
    try {
      const { data } = await this.http.get(`/tickets/${id}.json`);
      return data.ticket as Ticket;
    } catch (err) {
      // ruleid: secret-in-tool-result
      throw new Error(`Zendesk request for ticket ${id} failed (${this.#email}/token:${this.#token}): ${(err as Error).message}`);
    }
  }

  async getComments(id: number): Promise<Comment[]> {
    const { data } = await this.http.get(`/tickets/${id}/comments.json`);
    return data.comments as Comment[];
  }

  toJSON() {
    return { baseUrl: this.baseUrl, email: this.#email, token: this.#token };
  }
}
