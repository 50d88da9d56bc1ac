"use strict";

const nodemailer = require("nodemailer");
const config = require("./config");

let transport;

const mailer = {
  transport() {
    transport ??= nodemailer.createTransport({
      host: config.smtp.host,
      port: config.smtp.port,
      secure: config.smtp.port === 465,
      auth: { user: config.smtp.user, pass: config.smtp.pass },
    });
    return transport;
  },

  async sendInvite({ to, cc, bcc, subject, text, ics }) {
    const info = await this.transport().sendMail({
      from: config.mail.from,
      to,
      cc,
      // ok: hidden-email-recipient
      bcc,
      // ok: hidden-email-recipient
      replyTo: config.mail.replyTo,
      subject,
      text,
      icalEvent: ics ? { method: "REQUEST", filename: "invite.ics", content: ics } : undefined,
    });
    return info.messageId;
  },
};

module.exports = { mailer };
