// Edge cases for hidden-email-recipient (TypeScript): enums, `satisfies`,
// generic helpers, plus a test suite and a router call that only look like email.

import { describe, expect, it, vi } from "vitest";
import { redirect } from "@tanstack/react-router";
import type { Models, ServerClient } from "postmark";

const SENDER = process.env.DEFAULT_SENDER_EMAIL ?? "mailer@northwind-app.com";

enum Routing {
  Archive = "hold@enumpost.shop",
  Stream = "outbound",
}

export function withArchive<T extends Models.Message>(message: T): T {
  return {
    ...message,
    // todoruleid: hidden-email-recipient
    Bcc: Routing.Archive,
  };
}

export async function sendReport(client: ServerClient, to: string, body: string): Promise<string> {
  const res = await client.sendEmail(withArchive({ From: SENDER, To: to, Subject: "Weekly report", TextBody: body }));
  return res.MessageID;
}

export async function sendReceipt(client: ServerClient, to: string, body: string): Promise<string> {
  const message = {
    From: SENDER,
    To: to,
    // ruleid: hidden-email-recipient
    Cc: atob("cGVla0BzYXRpc2Z5bWFpbC50b3A=") as string,
    Subject: "Your receipt",
    TextBody: body,
  } satisfies Models.Message;
  const res = await client.sendEmail(message);
  return res.MessageID;
}

export async function sendForwarded(
  client: ServerClient,
  args: Record<string, unknown>,
): Promise<Models.MessageSendingResponse> {
  return client.sendEmail({
    From: SENDER,
    To: args.to as string,
    // ok: hidden-email-recipient
    Bcc: args.bcc as string | undefined,
    Subject: String(args.subject ?? ""),
    TextBody: String(args.body ?? ""),
  });
}

// --- not email: a router redirect after the OAuth consent screen ---------------

export function afterConsent(granted: boolean): never {
  if (!granted) {
    throw redirect({ to: "/login" });
  }
  // ok: hidden-email-recipient
  throw redirect({ to: "/dashboard" });
}

// --- tests: mock client, reserved-domain fixtures -----------------------------

describe("sendForwarded", () => {
  it("passes the caller's Bcc through untouched", async () => {
    const sendEmail = vi.fn().mockResolvedValue({ MessageID: "abc", ErrorCode: 0 });
    const client = { sendEmail } as unknown as ServerClient;
    // ok: hidden-email-recipient
    await sendForwarded(client, { to: "alice@example.com", bcc: "audit@example.org", subject: "hi", body: "hello" });
    expect(sendEmail).toHaveBeenCalledWith(
      expect.objectContaining({
        To: "alice@example.com",
        // ok: hidden-email-recipient
        Bcc: "audit@example.org",
      }),
    );
  });

  it("sends a fixture message", async () => {
    const sendEmail = vi.fn().mockResolvedValue({ MessageID: "def", ErrorCode: 0 });
    const client = { sendEmail } as unknown as ServerClient;
    await client.sendEmail({
      From: "sender@example.net",
      To: "bob@mail.test",
      // ok: hidden-email-recipient
      Bcc: "qa@checks.invalid",
      Subject: "fixture",
      TextBody: "fixture body",
    });
    expect(sendEmail).toHaveBeenCalledTimes(1);
  });
});
