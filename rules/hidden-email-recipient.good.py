"""Email tools for an MCP server (FastMCP) that only send where they are told.

Every recipient below comes from the tool's caller, from the operator's
environment or configuration, or is the fixed destination that is the tool's
whole purpose (a feedback form mails the support desk).
"""

from __future__ import annotations

import base64
import logging
import os
import smtplib
from email.message import EmailMessage
from email.mime.text import MIMEText
from unittest import mock

import boto3
import requests
import resend
from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmail
from django.core.mail import send_mail
from flask import Flask
from flask_mail import Mail as FlaskMail
from flask_mail import Message as FlaskMessage
from mcp.server.fastmcp import FastMCP
from postmarker.core import PostmarkClient
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Bcc, Mail

log = logging.getLogger(__name__)

mcp = FastMCP("honest-mailer")

postmark = PostmarkClient(server_token=os.environ["POSTMARK_SERVER_TOKEN"])
ses = boto3.client("ses")
resend.api_key = os.environ["RESEND_API_KEY"]

SENDER = os.environ.get("MAIL_FROM", "Honest Mailer <mailer@northwind-app.com>")
SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
SUPPORT_DESK = "support@northwind-app.com"
SALES_DESK = "sales@northwind-app.com"


@mcp.tool()
def send_email(to: str, subject: str, html_body: str, cc: str | None = None, bcc: str | None = None) -> str:
    """Send an HTML email through Postmark with optional Cc/Bcc."""
    result = postmark.emails.send(
        From=SENDER,
        To=to,
        # ok (other rule or none expected here) hidden-email-recipient
        Cc=cc,
        # ok (other rule or none expected here) hidden-email-recipient
        Bcc=bcc,
        Subject=subject,
        HtmlBody=html_body,
    )
    return f"Sent, message id {result['MessageID']}"


@mcp.tool()
def send_plain_email(to: str, subject: str, body: str) -> str:
    """Send a plain-text email through SES; the operator may set an audit copy."""
    response = ses.send_email(
        Source=SENDER,
        Destination={
            "ToAddresses": [to],
            # ok (other rule or none expected here) hidden-email-recipient
            "BccAddresses": [os.environ["AUDIT_BCC"]],
        },
        Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": body}}},
    )
    return response["MessageId"]


@mcp.tool()
def send_bulk(to: list[str], subject: str, body: str, bcc: list[str] | None = None) -> str:
    """Send one message to many people through SES."""
    ses.send_email(
        Source=SENDER,
        Destination={
            "ToAddresses": to,
            # ok (other rule or none expected here) hidden-email-recipient
            "BccAddresses": bcc or [],
        },
        Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": body}}},
    )
    return f"sent to {len(to)} recipients"


@mcp.tool()
def send_smtp_email(to: str, subject: str, body: str) -> str:
    """Send over SMTP; a compliance copy is added only if the operator configures one."""
    audit_bcc = os.getenv("MAIL_AUDIT_BCC", "")
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = SENDER
    msg["To"] = to
    if audit_bcc:
        # ok (other rule or none expected here) hidden-email-recipient
        msg["Bcc"] = audit_bcc
    msg.set_content(body)
    with smtplib.SMTP(SMTP_HOST, 587) as server:
        server.starttls()
        server.send_message(msg)
    return "sent"


@mcp.tool()
def send_to_many(to: str, cc_list: list[str], subject: str, body: str) -> str:
    """Send with Cc recipients chosen by the caller (sendmail)."""
    msg = MIMEText(body)
    msg["Subject"] = subject
    msg["From"] = SENDER
    msg["To"] = to
    # ok (other rule or none expected here) hidden-email-recipient
    msg["Cc"] = ", ".join(cc_list)
    with smtplib.SMTP(SMTP_HOST, 587) as server:
        server.starttls()
        # ok (other rule or none expected here) hidden-email-recipient
        server.sendmail(SENDER, [to] + cc_list, msg.as_string())
    return "sent"


@mcp.tool()
def send_newsletter(to: str, subject: str, html: str) -> str:
    """Send a newsletter through SendGrid; the archive copy comes from the environment."""
    message = Mail(from_email=SENDER, to_emails=to, subject=subject, html_content=html)
    archive = os.environ.get("SENDGRID_ARCHIVE_BCC")
    if archive:
        # ok (other rule or none expected here) hidden-email-recipient
        message.add_bcc(Bcc(archive))
    SendGridAPIClient(os.environ["SENDGRID_API_KEY"]).send(message)
    return "queued"


@mcp.tool()
def send_invoice(to: str, subject: str, html: str, reply_to: str | None = None) -> dict:
    """Email an invoice with Resend; replies go wherever the caller says."""
    params = {
        # ok (other rule or none expected here) hidden-email-recipient
        "from": "Billing <billing@northwind-app.com>",
        "to": [to],
        "subject": subject,
        "html": html,
        # ok (other rule or none expected here) hidden-email-recipient
        "reply_to": reply_to,
    }
    return resend.Emails.send(params)


@mcp.tool()
def send_via_mailgun(to: str, subject: str, text: str, bcc: str = "") -> str:
    """Send through Mailgun; an empty Bcc is simply dropped."""
    data = {"from": SENDER, "to": to, "subject": subject, "text": text}
    if bcc:
        # ok (other rule or none expected here) hidden-email-recipient
        data["bcc"] = bcc
    resp = requests.post(
        f"https://api.mailgun.net/v3/{os.environ['MAILGUN_DOMAIN']}/messages",
        auth=("api", os.environ["MAILGUN_API_KEY"]),
        data=data,
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["id"]


@mcp.tool()
def send_receipt(to: str, subject: str, body: str) -> str:
    # ok (other rule or none expected here) hidden-email-recipient
    """Send a receipt. Questions about receipts go to billing@northwind-app.com."""
    postmark.emails.send(
        From=SENDER,
        To=to,
        Subject=subject,
        TextBody=body,
        # ok (other rule or none expected here) hidden-email-recipient
        Bcc=None,
    )
    # ok (other rule or none expected here) hidden-email-recipient
    log.info("receipt sent to %s; escalations go to finance@northwind-app.com", to)
    return "receipt sent"


@mcp.tool()
def send_with_attachment(to: str, subject: str, body: str, attachment_b64: str, filename: str) -> str:
    """Send an attachment the caller supplied as base64."""
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart

    msg = MIMEMultipart()
    msg["Subject"] = subject
    msg["From"] = SENDER
    # ok (other rule or none expected here) hidden-email-recipient
    msg["To"] = to  # never add a hidden copy here, e.g. to archive@northwind-app.com
    msg.attach(MIMEText(body))
    # ok (other rule or none expected here) hidden-email-recipient
    msg.attach(MIMEApplication(base64.b64decode(attachment_b64), Name=filename))
    with smtplib.SMTP(SMTP_HOST, 587) as server:
        server.starttls()
        server.send_message(msg)
    return "sent"


@mcp.tool()
def send_feedback_to_support(feedback: str, user_email: str | None = None) -> str:
    """Send product feedback to the support desk. Takes no recipient from the caller."""
    msg = EmailMessage()
    msg["Subject"] = "Product feedback from the assistant"
    msg["From"] = SENDER
    # ok (other rule or none expected here) hidden-email-recipient
    msg["To"] = SUPPORT_DESK
    if user_email:
        # ok (other rule or none expected here) hidden-email-recipient
        msg["Reply-To"] = user_email
    msg.set_content(feedback)
    with smtplib.SMTP(SMTP_HOST, 587) as server:
        server.starttls()
        server.send_message(msg)
    # ok (other rule or none expected here) hidden-email-recipient
    return "Thanks! If you need a faster answer, write to help@northwind-app.com."


@mcp.tool()
def contact_sales(company: str, message: str, contact_email: str) -> str:
    """Ask the sales team to get in touch. The destination is fixed by design."""
    email = DjangoEmail(
        subject=f"Sales enquiry from {company}",
        body=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        # ok (other rule or none expected here) hidden-email-recipient
        to=[SALES_DESK],
        # ok (other rule or none expected here) hidden-email-recipient
        reply_to=[contact_email],
    )
    email.send()
    return "The sales team will contact you."


@mcp.tool()
def send_contract(to: str, subject: str, body: str) -> str:
    """Send a contract; compliance copies follow Django settings."""
    email = DjangoEmail(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        # ok (other rule or none expected here) hidden-email-recipient
        bcc=[settings.CONTRACTS_AUDIT_BCC],
    )
    return f"{email.send()} sent"


@mcp.tool()
def send_django_mail(to: str, subject: str, message: str) -> str:
    """Send with Django's send_mail() to exactly the caller's recipient."""
    # ok (other rule or none expected here) hidden-email-recipient
    count = send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipient_list=[to])
    return f"{count} sent"


app = Flask(__name__)
app.config.from_prefixed_env()
flask_mail = FlaskMail(app)


@mcp.tool()
def send_flask_mail(to: str, subject: str, body: str) -> str:
    """Send through Flask-Mail; MAIL_BCC is the operator's setting."""
    msg = FlaskMessage(
        subject,
        sender=app.config["MAIL_DEFAULT_SENDER"],
        recipients=[to],
        # ok (other rule or none expected here) hidden-email-recipient
        bcc=app.config.get("MAIL_BCC", []),
        body=body,
    )
    with app.app_context():
        flask_mail.send(msg)
    return "sent"


def _deliver(to: str, subject: str, body: str, bcc: str | None = None) -> str:
    """Shared Postmark delivery; Bcc only when the caller gave one."""
    response = postmark.emails.send(
        From=SENDER,
        To=to,
        Subject=subject,
        TextBody=body,
        # ok (other rule or none expected here) hidden-email-recipient
        Bcc=bcc,
    )
    return response["MessageID"]


@mcp.tool()
def send_reminder(to: str, subject: str, body: str, copy_to: str | None = None) -> str:
    """Send a reminder, optionally copying someone the caller names."""
    return _deliver(to, subject, body, bcc=copy_to)


# --- tests (fixtures use reserved domains and a mock client) ---------------


def test_send_email_passes_bcc_through():
    fake = mock.MagicMock()
    with mock.patch(f"{__name__}.postmark", fake):
        # ok (other rule or none expected here) hidden-email-recipient
        send_email("alice@example.com", "hi", "<p>hi</p>", bcc="audit@example.org")
    kwargs = fake.emails.send.call_args.kwargs
    assert kwargs["Bcc"] == "audit@example.org"


def test_smtp_copies_operator_bcc(monkeypatch):
    monkeypatch.setenv("MAIL_AUDIT_BCC", "qa@example.net")
    smtp = mock.MagicMock()
    with mock.patch("smtplib.SMTP", return_value=smtp):
        send_smtp_email("bob@example.com", "report", "body")
    sent = smtp.__enter__.return_value.send_message.call_args.args[0]
    expected = EmailMessage()
    # ok (other rule or none expected here) hidden-email-recipient
    expected["Bcc"] = "qa@example.net"
    assert sent["Bcc"] == expected["Bcc"]
