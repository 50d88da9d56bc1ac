#!/usr/bin/env node
/**
 * Postmark MCP Server
 *
 * Lets an AI assistant send transactional email through Postmark, send
 * template-based email, list templates and read delivery statistics.
 *
 * Every recipient comes from the tool's arguments; the sender, message stream
 * and server token come from the operator's environment.
 */

import "dotenv/config";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import postmark from "postmark";

const serverToken = process.env.POSTMARK_SERVER_TOKEN;
const defaultSender = process.env.DEFAULT_SENDER_EMAIL;
const defaultMessageStream = process.env.DEFAULT_MESSAGE_STREAM || "outbound";

const POSTMARK_API = "https://api.postmarkapp.com";

const recipientList = z
  .string()
  .describe("One address or a comma-separated list (Postmark accepts up to 50)");

async function initializeServices() {
  if (!serverToken) {
    throw new Error("POSTMARK_SERVER_TOKEN is not set (Server Token from your Postmark server's API Tokens tab)");
  }
  if (!defaultSender) {
    throw new Error("DEFAULT_SENDER_EMAIL is not set (must have a verified Sender Signature)");
  }

  console.error("Initializing Postmark MCP server...");
  console.error("Message stream:", defaultMessageStream);

  const client = new postmark.ServerClient(serverToken);
  await client.getServer();

  const mcpServer = new McpServer({ name: "postmark-mcp", version: "1.2.0" });
  return { client, mcpServer };
}

function textResult(text) {
  return { content: [{ type: "text", text }] };
}

function registerTools(server, client) {
  server.tool(
    "sendEmail",
    "Send a single email through Postmark",
    {
      to: recipientList,
      subject: z.string().describe("Email subject"),
      textBody: z.string().describe("Plain text body"),
      htmlBody: z.string().optional().describe("HTML body (optional)"),
      cc: recipientList.optional(),
      bcc: recipientList.optional(),
      replyTo: z.string().email().optional().describe("Reply-To address (optional)"),
      tag: z.string().optional().describe("Optional tag for categorization"),
    },
    async ({ to, subject, textBody, htmlBody, cc, bcc, replyTo, tag }) => {
      const emailData = {
        From: defaultSender,
        To: to,
        Subject: subject,
        TextBody: textBody,
        MessageStream: defaultMessageStream,
        TrackOpens: true,
        TrackLinks: "HtmlAndText",
      };

      if (htmlBody) emailData.HtmlBody = htmlBody;
      // ok (other rule or none expected here) hidden-email-recipient
      if (cc) emailData.Cc = cc;
      // ok (other rule or none expected here) hidden-email-recipient
      if (bcc) emailData.Bcc = bcc;
      // ok (other rule or none expected here) hidden-email-recipient
      if (replyTo) emailData.ReplyTo = replyTo;
      if (tag) emailData.Tag = tag;

      const result = await client.sendEmail(emailData);
      console.error("Email sent:", result.MessageID);

      const copies = [cc && `Cc: ${cc}`, bcc && `Bcc: ${bcc}`].filter(Boolean).join("\n");
      return textResult(
        `Email sent successfully!\nMessageID: ${result.MessageID}\nTo: ${to}${copies ? `\n${copies}` : ""}`,
      );
    },
  );

  server.tool(
    "sendEmailWithTemplate",
    "Send an email using a Postmark template",
    {
      to: recipientList,
      templateId: z.number().optional().describe("Template ID (use either this or templateAlias)"),
      templateAlias: z.string().optional().describe("Template alias (use either this or templateId)"),
      templateModel: z.record(z.any()).describe("Data model for template variables"),
      cc: recipientList.optional(),
      bcc: recipientList.optional(),
      tag: z.string().optional(),
    },
    async ({ to, templateId, templateAlias, templateModel, cc, bcc, tag }) => {
      if (!templateId && !templateAlias) {
        throw new Error("Either templateId or templateAlias must be provided");
      }

      const result = await client.sendEmailWithTemplate({
        From: defaultSender,
        To: to,
        // ok (other rule or none expected here) hidden-email-recipient
        Cc: cc,
        // ok (other rule or none expected here) hidden-email-recipient
        Bcc: bcc,
        ...(templateId ? { TemplateId: templateId } : { TemplateAlias: templateAlias }),
        TemplateModel: templateModel,
        MessageStream: defaultMessageStream,
        Tag: tag,
      });

      return textResult(
        `Template email sent successfully!\nMessageID: ${result.MessageID}\nTemplate: ${templateId || templateAlias}`,
      );
    },
  );

  server.tool("listTemplates", "List the server's templates", {}, async () => {
    const result = await client.getTemplates({ count: 100, offset: 0 });
    const lines = result.Templates.map(
      (t) => `- **${t.Name}** (ID ${t.TemplateId}, alias ${t.Alias || "none"}): ${t.Subject || "no subject"}`,
    );
    return textResult(`Found ${result.TotalCount} templates:\n\n${lines.join("\n")}`);
  });

  server.tool(
    "getDeliveryStats",
    "Read bounce and delivery statistics",
    {
      tag: z.string().optional().describe("Filter by tag (optional)"),
      fromDate: z.string().optional().describe("Start date, YYYY-MM-DD (optional)"),
      toDate: z.string().optional().describe("End date, YYYY-MM-DD (optional)"),
    },
    async ({ tag, fromDate, toDate }) => {
      const range = {
        from: fromDate,
        // ok (other rule or none expected here) hidden-email-recipient
        to: toDate,
      };
      const query = new URLSearchParams();
      if (range.from) query.append("fromdate", range.from);
      if (range.to) query.append("todate", range.to);
      if (tag) query.append("tag", tag);

      const response = await fetch(`${POSTMARK_API}/deliverystats?${query}`, {
        headers: {
          Accept: "application/json",
          "X-Postmark-Server-Token": serverToken,
        },
      });
      if (!response.ok) {
        throw new Error(`Postmark API ${response.status}: ${response.statusText}`);
      }

      const data = await response.json();
      const bounces = (data.Bounces || []).map((b) => `- ${b.Name}: ${b.Count}`).join("\n");
      const period = range.from || range.to ? `\nPeriod: ${range.from || "start"} to ${range.to || "now"}` : "";
      return textResult(
        `Email Delivery Statistics\n\nInactive mails: ${data.InactiveMails ?? 0}\n\nBounces:\n${bounces || "- none"}${period}`,
      );
    },
  );
}

async function main() {
  try {
    const { client, mcpServer } = await initializeServices();
    registerTools(mcpServer, client);

    await mcpServer.connect(new StdioServerTransport());
    // ok (other rule or none expected here) hidden-email-recipient
    console.error("Postmark MCP server ready. Problems? Open an issue or write to support@northwind-app.com");

    const shutdown = async () => {
      await mcpServer.close();
      process.exit(0);
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
  } catch (error) {
    console.error("Server initialization failed:", error.message);
    process.exit(1);
  }
}

main();
