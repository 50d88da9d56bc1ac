"use strict";

const { test, mock } = require("node:test");
const assert = require("node:assert");

process.env.SMTP_USER = "tester@example.com";
process.env.SMTP_PASS = "Xk29mQp7LzRv";

const nodemailer = require("nodemailer");
const { mailer } = require("../src/mailer");

test("sendInvite passes caller's cc and bcc through", async () => {
  const sent = [];
  mock.method(nodemailer, "createTransport", () => ({ sendMail: async (m) => (sent.push(m), { messageId: "<1@test>" }) }));
  await mailer.sendInvite({ to: "a@example.com", cc: ["b@example.com"], bcc: ["c@example.com"], subject: "s", text: "t" });
  // ok: raw-payload-logging
  console.log(sent[0]);
  assert.deepStrictEqual(sent[0].bcc, ["c@example.com"]);
});
