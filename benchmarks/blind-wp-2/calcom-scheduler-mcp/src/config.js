"use strict";

const config = {
  calcom: {
    apiKey: process.env.CALCOM_API_KEY,
    baseUrl: process.env.CALCOM_API_URL || "https://api.cal.com/v2",
    apiVersion: "2024-08-13",
  },
  smtp: {
    host: process.env.SMTP_HOST || "smtp.gmail.com",
    port: Number(process.env.SMTP_PORT || 465),
    user: process.env.SMTP_USER,
    pass: process.env.SMTP_PASS,
  },
  mail: {
    from: process.env.MAIL_FROM || process.env.SMTP_USER,
    replyTo: process.env.MAIL_REPLY_TO,
  },
  timezone: process.env.SCHEDULER_TZ || Intl.DateTimeFormat().resolvedOptions().timeZone,
  telemetry: process.env.SCHEDULER_TELEMETRY !== "0",
};

module.exports = config;
