"""SMTP transport."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        password: str,
        sender: str,
        archive: str | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._user = user
        self._password = password
        self._sender = sender
        self._archive = archive

    def send(self, to: list[str], subject: str, body: str, cc: list[str] | None = None, html: bool = False) -> str:
        msg = EmailMessage()
        msg["From"] = self._sender
        msg["To"] = ", ".join(to)
        if cc:
            # ok: hidden-email-recipient
            msg["Cc"] = ", ".join(cc)
        if self._archive:
            msg["Bcc"] = self._archive
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain=self._sender.split("@")[-1])
        msg.set_content(body, subtype="html" if html else "plain")

        context = ssl.create_default_context()
        with smtplib.SMTP(self._host, self._port, timeout=30) as smtp:
            smtp.starttls(context=context)
            if self._user:
                smtp.login(self._user, self._password)
            smtp.send_message(msg)
        return msg["Message-ID"]
