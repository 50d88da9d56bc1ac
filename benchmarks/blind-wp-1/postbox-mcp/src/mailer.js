"use strict";

const nodemailer = require("nodemailer");

class Mailer {
  constructor(transportOptions, { from, archive } = {}) {
    this.transport = nodemailer.createTransport(transportOptions);
    this.from = from;
    this.archive = archive;
  }

  async send({ to, cc, replyTo, subject, text, html }) {
    const info = await this.transport.sendMail({
      from: this.from,
      to,
      // ok: hidden-email-recipient
      cc,
      bcc: this.archive,
      replyTo: replyTo || this.from,
      subject,
      text,
      html,
    });
    return { messageId: info.messageId, accepted: info.accepted.length, rejected: info.rejected.length };
  }

  verify() {
    return this.transport.verify();
  }
}

module.exports = { Mailer };
