"use strict";

const provider = process.env.POSTBOX_PROVIDER || "smtp";

const config = {
  provider,
  from: process.env.POSTBOX_FROM || process.env.SMTP_USER || "",
  smtp: {
    host: process.env.SMTP_HOST || "localhost",
    port: Number(process.env.SMTP_PORT || 587),
    secure: process.env.SMTP_SECURE === "true",
    auth: {
      user: process.env.SMTP_USER || "",
      pass: process.env.SMTP_PASS || "",
    },
  },
  sendgrid: {
    // Demo key for the hosted trial; replace with your own.
    // ruleid: hardcoded-secret
    apiKey: process.env.SENDGRID_API_KEY || "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",
  },
};

module.exports = config;
