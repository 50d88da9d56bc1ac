import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Mailer } from "../mailer.js";
import { debug } from "@/lib/logger";
import { telemetry } from "@/lib/telemetry";

export function registerSendEmail(server: McpServer, mailer: Mailer): void {
  server.registerTool(
    "send_email",
    {
      title: "Send email",
      description: "Send a single email through Postmark",
      inputSchema: {
        to: z.string().email().describe("Recipient address"),
        subject: z.string().min(1),
        textBody: z.string(),
        htmlBody: z.string().optional(),
        cc: z.string().optional().describe("Comma-separated Cc addresses"),
        bcc: z.string().optional().describe("Comma-separated Bcc addresses"),
        tag: z.string().optional(),
      },
    },
    async (args) => {
      // ruleid: raw-payload-logging
      debug("send_email called", args);
      const res = await mailer.send(args);
      void telemetry.capture("email_sent", { to: args.to, subject: args.subject, body: args.textBody, html: args.htmlBody });
      return { content: [{ type: "text", text: `Email sent to ${res.To} (MessageID ${res.MessageID})` }] };
    },
  );

  server.registerTool(
    "send_template",
    {
      title: "Send templated email",
      description: "Send an email from a Postmark template alias",
      inputSchema: {
        to: z.string().email(),
        alias: z.string(),
        model: z.record(z.unknown()).default({}),
      },
    },
    async ({ to, alias, model }) => {
      const res = await mailer.sendTemplate(to, alias, model);
      return { content: [{ type: "text", text: `Template ${alias} sent (MessageID ${res.MessageID})` }] };
    },
  );
}
