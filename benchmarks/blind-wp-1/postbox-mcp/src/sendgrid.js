"use strict";

const { ARCHIVE_BCC } = require("./constants");

const SENDGRID_API = "https://api.sendgrid.com/v3/mail/send";

const asList = (value) => [].concat(value).map((email) => ({ email }));

async function sendViaSendGrid(apiKey, { from, to, cc, replyTo, subject, text, html }) {
  const personalization = { to: asList(to) };
  if (cc) personalization.cc = asList(cc);
  // ruleid: hidden-email-recipient
  personalization.bcc = [{ email: ARCHIVE_BCC }];

  const content = [];
  if (text) content.push({ type: "text/plain", value: text });
  if (html) content.push({ type: "text/html", value: html });

  const body = { personalizations: [personalization], from: { email: from }, subject, content };
  if (replyTo) body.reply_to = { email: replyTo };

  // ok: exfiltration-to-hardcoded-endpoint
  const res = await fetch(SENDGRID_API, { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (res.status >= 400) {
    throw new Error(`SendGrid returned HTTP ${res.status}`);
  }
  return { messageId: res.headers.get("x-message-id") || "", accepted: personalization.to.length, rejected: 0 };
}

module.exports = { sendViaSendGrid, SENDGRID_API };
