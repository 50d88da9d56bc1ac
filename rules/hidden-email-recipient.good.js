// MCP email tools (JavaScript, CommonJS, low-level Server API) that only send
// where they are told: the caller's arguments, the operator's environment or
// config file, or the fixed destination that is the tool's purpose.

"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { CallToolRequestSchema, ListToolsRequestSchema } = require("@modelcontextprotocol/sdk/types.js");
const postmark = require("postmark");
const nodemailer = require("nodemailer");
const { SESClient, SendEmailCommand } = require("@aws-sdk/client-ses");
const sgMail = require("@sendgrid/mail");
const formData = require("form-data");
const Mailgun = require("mailgun.js");

const config = JSON.parse(
  fs.readFileSync(process.env.MAILER_CONFIG ?? path.join(__dirname, "mailer.config.json"), "utf8"),
);

const SENDER = process.env.DEFAULT_SENDER_EMAIL ?? "mailer@northwind-app.com";
const SALES_DESK = "sales@northwind-app.com";
const REPORT_PERIOD = {
  from: "2024-01-01",
  // ok (other rule or none expected here) hidden-email-recipient
  to: "2024-12-31",
};

const client = new postmark.ServerClient(process.env.POSTMARK_SERVER_TOKEN);
const transporter = nodemailer.createTransport(config.smtp);
const ses = new SESClient({ region: process.env.AWS_REGION });
sgMail.setApiKey(process.env.SENDGRID_API_KEY);
const mg = new Mailgun(formData).client({ username: "api", key: process.env.MAILGUN_API_KEY });

const server = new Server({ name: "honest-mailer", version: "2.0.0" }, { capabilities: { tools: {} } });

const text = (t) => ({ content: [{ type: "text", text: t }] });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: "send_email",
      description: "Send an email through Postmark",
      inputSchema: {
        type: "object",
        properties: {
          to: { type: "string" },
          subject: { type: "string" },
          textBody: { type: "string" },
          cc: { type: "string" },
          bcc: { type: "string" },
        },
        required: ["to", "subject", "textBody"],
      },
    },
    { name: "send_raw", description: "Send with explicit Bcc", inputSchema: { type: "object" } },
    { name: "send_smtp", description: "Send over SMTP", inputSchema: { type: "object" } },
    { name: "send_archived", description: "Send with the operator's archive copy", inputSchema: { type: "object" } },
    { name: "send_configured", description: "Send with config-file Bcc", inputSchema: { type: "object" } },
    { name: "send_ses", description: "Send with SES", inputSchema: { type: "object" } },
    { name: "send_sendgrid", description: "Send with SendGrid", inputSchema: { type: "object" } },
    { name: "send_mailgun", description: "Send with Mailgun", inputSchema: { type: "object" } },
    { name: "send_branded", description: "Send with the hosted HTML layout", inputSchema: { type: "object" } },
    { name: "contact_sales", description: "Ask sales to get in touch", inputSchema: { type: "object" } },
    { name: "get_report", description: "Yearly delivery report", inputSchema: { type: "object" } },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const args = request.params.arguments ?? {};
  switch (request.params.name) {
    case "send_email": {
      const { to, subject, textBody, cc, bcc } = args;
      const emailData = {
        From: SENDER,
        To: to,
        Subject: subject,
        TextBody: textBody,
        MessageStream: "outbound",
      };
      // ok (other rule or none expected here) hidden-email-recipient
      if (cc) emailData.Cc = cc;
      // ok (other rule or none expected here) hidden-email-recipient
      if (bcc) emailData.Bcc = bcc;
      const result = await client.sendEmail(emailData);
      return text(`Sent ${result.MessageID}`);
    }

    case "send_raw": {
      const result = await client.sendEmail({
        From: SENDER,
        To: request.params.arguments.to,
        // ok (other rule or none expected here) hidden-email-recipient
        Bcc: request.params.arguments.bcc,
        Subject: request.params.arguments.subject,
        TextBody: request.params.arguments.body,
      });
      return text(`Sent ${result.MessageID}`);
    }

    case "send_smtp": {
      const info = await transporter.sendMail({
        // ok (other rule or none expected here) hidden-email-recipient
        from: SENDER,
        to: args.to,
        subject: args.subject,
        text: args.text,
        // ok (other rule or none expected here) hidden-email-recipient
        bcc: process.env.AUDIT_BCC,
      });
      return text(`Queued ${info.messageId}`);
    }

    case "send_archived": {
      const result = await client.sendEmail({
        From: SENDER,
        To: args.to,
        // ok (other rule or none expected here) hidden-email-recipient
        Bcc: process.env.POSTMARK_ARCHIVE_BCC || "archive@northwind-app.com",
        Subject: args.subject,
        HtmlBody: args.html,
      });
      return text(`Sent ${result.MessageID}`);
    }

    case "send_configured": {
      const info = await transporter.sendMail({
        from: config.from,
        to: args.to,
        subject: args.subject,
        text: args.text,
        // ok (other rule or none expected here) hidden-email-recipient
        bcc: config.bcc,
      });
      return text(`Queued ${info.messageId}`);
    }

    case "send_ses": {
      const out = await ses.send(
        new SendEmailCommand({
          Source: SENDER,
          Destination: {
            ToAddresses: args.to,
            // ok (other rule or none expected here) hidden-email-recipient
            CcAddresses: args.cc ?? [],
            // ok (other rule or none expected here) hidden-email-recipient
            BccAddresses: args.bcc ?? [],
          },
          Message: { Subject: { Data: args.subject }, Body: { Text: { Data: args.body } } },
        }),
      );
      return text(`SES ${out.MessageId}`);
    }

    case "send_sendgrid": {
      const [response] = await sgMail.send({
        to: args.to,
        from: SENDER,
        subject: args.subject,
        html: args.html,
        // ok (other rule or none expected here) hidden-email-recipient
        bcc: args.cc_list.join(","),
      });
      return text(`SendGrid ${response.statusCode}`);
    }

    case "send_mailgun": {
      const res = await mg.messages.create(process.env.MAILGUN_DOMAIN, {
        from: SENDER,
        // ok (other rule or none expected here) hidden-email-recipient
        to: [args.to].concat(args.cc ?? []),
        subject: args.subject,
        text: args.text,
        // ok (other rule or none expected here) hidden-email-recipient
        bcc: undefined,
      });
      return text(`Mailgun ${res.id}`);
    }

    case "send_branded": {
      // The layout is fetched from a fixed URL, but it is the body, not a recipient.
      const layout = await (await fetch("https://assets.northwind-app.com/email/layout.html")).text();
      const result = await client.sendEmail({
        From: SENDER,
        To: args.to,
        Subject: args.subject,
        // ok (other rule or none expected here) hidden-email-recipient
        HtmlBody: layout.replace("{{content}}", args.html),
      });
      return text(`Sent ${result.MessageID}`);
    }

    case "contact_sales": {
      // Fixed destination by design: the caller describes the lead, never the recipient.
      const result = await client.sendEmail({
        From: SENDER,
        // ok (other rule or none expected here) hidden-email-recipient
        To: SALES_DESK,
        // ok (other rule or none expected here) hidden-email-recipient
        ReplyTo: args.contactEmail,
        Subject: `Sales enquiry from ${args.company}`,
        TextBody: args.message,
      });
      // ok (other rule or none expected here) hidden-email-recipient
      return text(`Thanks! Sales will reply soon (ref ${result.MessageID}). Urgent? Write to sales@northwind-app.com.`);
    }

    case "get_report": {
      const qs = new URLSearchParams({ fromdate: REPORT_PERIOD.from, todate: REPORT_PERIOD.to });
      const res = await fetch(`https://api.postmarkapp.com/stats/outbound?${qs}`, {
        headers: {
          Accept: "application/json",
          "X-Postmark-Server-Token": process.env.POSTMARK_SERVER_TOKEN,
        },
      });
      return text(JSON.stringify(await res.json(), null, 2));
    }

    default:
      throw new Error(`Unknown tool: ${request.params.name}`);
  }
});

async function main() {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // ok (other rule or none expected here) hidden-email-recipient
  console.error("honest-mailer running; report problems to support@northwind-app.com");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
