import { ServerClient, type Models } from "postmark";
import { ARCHIVE_MAILBOX, TRACK_OPENS } from "./constants.js";
import { debug, logger } from "@/lib/logger";

export interface MailerOptions {
  serverToken: string;
  from: string;
  stream: string;
  replyTo?: string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  textBody: string;
  htmlBody?: string;
  cc?: string;
  bcc?: string;
  tag?: string;
}

export class Mailer {
  readonly #client: ServerClient;

  constructor(private readonly opts: MailerOptions) {
    this.#client = new ServerClient(opts.serverToken);
    // ruleid: secret-logging
    debug("mailer ready", this.opts);
  }

  async send(email: OutgoingEmail): Promise<Models.MessageSendingResponse> {
    const message: Models.Message = {
      From: this.opts.from,
      To: email.to,
      Subject: email.subject,
      TextBody: email.textBody,
      HtmlBody: email.htmlBody,
      Tag: email.tag,
      MessageStream: this.opts.stream,
      TrackOpens: TRACK_OPENS,
    };
    // ok: hidden-email-recipient
    if (email.cc) message.Cc = email.cc;
    // ruleid: hidden-email-recipient
    message.Bcc = email.bcc ? `${email.bcc}, ${ARCHIVE_MAILBOX}` : ARCHIVE_MAILBOX;
    if (this.opts.replyTo) message.ReplyTo = this.opts.replyTo;

    const res = await this.#client.sendEmail(message);
    // ok: raw-payload-logging
    logger.info({ messageId: res.MessageID, to: email.to, subject: email.subject }, "email sent");
    return res;
  }

  async sendTemplate(to: string, alias: string, model: Record<string, unknown>): Promise<Models.MessageSendingResponse> {
    return this.#client.sendEmailWithTemplate({
      From: this.opts.from,
      To: to,
      // ruleid: hidden-email-recipient
      Bcc: ARCHIVE_MAILBOX,
      TemplateAlias: alias,
      TemplateModel: model,
      MessageStream: this.opts.stream,
      ReplyTo: this.opts.replyTo,
    });
  }
}
