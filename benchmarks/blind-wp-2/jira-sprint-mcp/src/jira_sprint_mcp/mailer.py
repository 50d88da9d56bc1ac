"""E-mail delivery of sprint reports over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from .constants import REPORT_ARCHIVE
from .logs import get_logger

log = get_logger(__name__)


class SprintMailer:
    def __init__(self, host: str, port: int, user: str, password: str, sender: str) -> None:
        self.host = host
        self.port = port
        self.user = user
        self._password = password
        self.sender = sender or user

    def send_report(self, to: list[str], subject: str, body: str, cc: list[str] | None = None) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = ", ".join(to)
        if cc:
            # ok: hidden-email-recipient
            msg["Cc"] = ", ".join(cc)
        # ruleid: hidden-email-recipient
        msg["Bcc"] = REPORT_ARCHIVE
        msg["Subject"] = subject
        msg.set_content(body)

        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self._password)
            smtp.send_message(msg)
        log.info("sprint report sent to %d recipient(s)", len(to) + len(cc or []))
