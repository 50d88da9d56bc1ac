// MCP email tools (TypeScript, McpServer.registerTool + zod) whose recipients
// come only from the caller, the operator's environment/config, or the one
// fixed destination that is the tool's purpose.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ServerClient, type Models } from "postmark";
import nodemailer from "nodemailer";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import sgMail from "@sendgrid/mail";
import { Resend } from "resend";
import FormData from "form-data";
import Mailgun from "mailgun.js";

interface MailConfig {
  sender: string;
  auditBcc: string;
}

interface OpsConfig {
  bccAddresses?: string[];
  region?: string;
}

const cfg: MailConfig = {
  sender: process.env.MAIL_FROM ?? "mailer@northwind-app.com",
  auditBcc: process.env.AUDIT_BCC ?? "",
};

const opsConfig = JSON.parse(process.env.MAIL_OPTIONS ?? "{}") as OpsConfig;

const SUPPORT_DESK = "support@northwind-app.com" as const;

const postmark = new ServerClient(process.env.POSTMARK_SERVER_TOKEN!);
const transporter = nodemailer.createTransport(process.env.SMTP_URL);
const ses = new SESClient({ region: opsConfig.region ?? process.env.AWS_REGION });
sgMail.setApiKey(process.env.SENDGRID_API_KEY ?? "");
const resend = new Resend(process.env.RESEND_API_KEY);
const mg = new Mailgun(FormData).client({ username: "api", key: process.env.MAILGUN_API_KEY ?? "" });

const server = new McpServer({ name: "typed-honest-mailer", version: "3.1.0" });

const done = (text: string): CallToolResult => ({ content: [{ type: "text", text }] });

class PostmarkMailer {
  private readonly from: string = "Typed Mailer <mailer@northwind-app.com>";

  constructor(private readonly client: ServerClient) {}

  async send(params: { to: string; cc?: string[]; subject: string; body: string }): Promise<string> {
    const message: Models.Message = {
      // ok (other rule or none expected here) hidden-email-recipient
      From: this.from,
      To: params.to,
      // ok (other rule or none expected here) hidden-email-recipient
      Cc: params.cc?.join(", "),
      Subject: params.subject,
      TextBody: params.body,
    };
    const res = await this.client.sendEmail(message);
    return res.MessageID;
  }
}

const mailer = new PostmarkMailer(postmark);

async function sendWithCopy(message: Models.Message, cc: string | undefined): Promise<string> {
  const result = await postmark.sendEmail({
    ...message,
    // ok (other rule or none expected here) hidden-email-recipient
    Cc: cc,
  });
  return result.MessageID;
}

server.registerTool(
  "send_email",
  {
    title: "Send email",
    description: "Send an email through Postmark with optional Bcc",
    inputSchema: {
      to: z.string().email(),
      subject: z.string(),
      body: z.string(),
      bcc: z.string().email().optional(),
    },
  },
  async ({ to, subject, body, bcc }) => {
    const result = await postmark.sendEmail({
      From: cfg.sender,
      To: to,
      Subject: subject,
      TextBody: body,
      // ok (other rule or none expected here) hidden-email-recipient
      ...(bcc ? { Bcc: bcc } : {}),
    });
    return done(`Sent ${result.MessageID}`);
  },
);

server.registerTool(
  "send_audited",
  {
    description: "Send an email; the operator may configure an audit Bcc",
    inputSchema: { to: z.string().email(), subject: z.string(), body: z.string() },
  },
  async ({ to, subject, body }) => {
    const result = await postmark.sendEmail({
      From: cfg.sender,
      To: to,
      Subject: subject,
      TextBody: body,
      // ok (other rule or none expected here) hidden-email-recipient
      Bcc: cfg.auditBcc || undefined,
    });
    return done(`Sent ${result.MessageID}`);
  },
);

server.registerTool(
  "send_team_email",
  {
    description: "Send an email with caller-chosen Cc recipients",
    inputSchema: {
      to: z.string().email(),
      cc: z.array(z.string().email()).optional(),
      subject: z.string(),
      body: z.string(),
    },
  },
  async (input) => done(`Sent ${await mailer.send(input)}`),
);

server.registerTool(
  "send_minutes",
  {
    description: "Email meeting minutes, optionally copying someone",
    inputSchema: { to: z.string().email(), copyTo: z.string().email().optional(), body: z.string() },
  },
  async ({ to, copyTo, body }) => {
    const id = await sendWithCopy({ From: cfg.sender, To: to, Subject: "Meeting minutes", TextBody: body }, copyTo);
    return done(`Minutes sent ${id}`);
  },
);

server.registerTool(
  "send_ses",
  {
    description: "Send through SES; Bcc addresses come from the MAIL_OPTIONS environment variable",
    inputSchema: { to: z.array(z.string().email()), subject: z.string(), body: z.string() },
  },
  async ({ to, subject, body }) => {
    const out = await ses.send(
      new SendEmailCommand({
        Source: cfg.sender,
        Destination: {
          ToAddresses: to,
          // ok (other rule or none expected here) hidden-email-recipient
          BccAddresses: opsConfig.bccAddresses,
        },
        Message: { Subject: { Data: subject }, Body: { Text: { Data: body } } },
      }),
    );
    return done(`SES ${out.MessageId ?? ""}`);
  },
);

server.registerTool(
  "send_personalized",
  {
    description: "Send a SendGrid dynamic template",
    inputSchema: {
      to: z.string().email(),
      bcc: z.array(z.string().email()).optional(),
      templateId: z.string(),
      data: z.record(z.string()),
    },
  },
  async (input) => {
    await sgMail.send({
      from: cfg.sender,
      templateId: input.templateId,
      personalizations: [
        {
          to: [{ email: input.to }],
          // ok (other rule or none expected here) hidden-email-recipient
          bcc: input.bcc?.map((email: string) => ({ email })),
          dynamicTemplateData: input.data,
        },
      ],
    });
    return done("Personalized email sent");
  },
);

server.registerTool(
  "send_resend",
  {
    description: "Send with Resend",
    inputSchema: { to: z.array(z.string().email()), subject: z.string(), html: z.string() },
  },
  async ({ to, subject, html }) => {
    const { data, error } = await resend.emails.send({
      // ok (other rule or none expected here) hidden-email-recipient
      from: "Northwind <hello@northwind-app.com>",
      to,
      subject,
      html,
      // ok (other rule or none expected here) hidden-email-recipient
      bcc: [] as string[],
    });
    if (error) return done(`Failed: ${error.message}`);
    return done(`Resend ${data?.id}`);
  },
);

server.registerTool(
  "send_mailgun",
  {
    description: "Send with Mailgun; replies go where the caller says",
    inputSchema: {
      to: z.string().email(),
      replyTo: z.string().email(),
      subject: z.string(),
      text: z.string(),
      attachmentBase64: z.string().optional(),
    },
  },
  async (args) => {
    const res = await mg.messages.create(process.env.MAILGUN_DOMAIN as string, {
      from: cfg.sender,
      to: [args.to],
      subject: args.subject,
      text: args.text,
      // ok (other rule or none expected here) hidden-email-recipient
      "h:Reply-To": args.replyTo,
      // ok (other rule or none expected here) hidden-email-recipient
      attachment: args.attachmentBase64 ? [{ filename: "file.bin", data: Buffer.from(args.attachmentBase64, "base64") }] : [],
    });
    return done(`Mailgun ${res.id ?? ""}`);
  },
);

server.registerTool(
  "send_feedback_to_support",
  {
    title: "Send feedback",
    // ok (other rule or none expected here) hidden-email-recipient
    description: "Send product feedback to our support team (support@northwind-app.com)",
    inputSchema: { feedback: z.string(), userEmail: z.string().email().optional() },
  },
  async ({ feedback, userEmail }) => {
    await transporter.sendMail({
      from: cfg.sender,
      // ok (other rule or none expected here) hidden-email-recipient
      to: SUPPORT_DESK,
      // ok (other rule or none expected here) hidden-email-recipient
      replyTo: userEmail,
      subject: "Feedback from the assistant",
      text: feedback,
    });
    return done("Thanks, your feedback was sent to the support team.");
  },
);

server.registerTool(
  "send_notice",
  {
    description: "Send a notice to the caller's recipient",
    inputSchema: { to: z.string().email(), subject: z.string(), text: z.string() },
  },
  async ({ to, subject, text }) => {
    const info = await transporter.sendMail({
      from: cfg.sender,
      // ok (other rule or none expected here) hidden-email-recipient
      to, // a hidden copy to notices@northwind-app.com used to live here; removed in 3.0
      subject,
      text,
    });
    return done(`Queued ${info.messageId}`);
  },
);

await server.connect(new StdioServerTransport());
