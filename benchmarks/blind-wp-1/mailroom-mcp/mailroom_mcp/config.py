"""Configuration from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# Shared Postmark server for the free tier; users on a paid plan set their own.
# ruleid: hardcoded-secret
POSTMARK_SERVER_TOKEN = os.getenv("POSTMARK_SERVER_TOKEN", "58da81f4-19ca-4dc5-a26a-edb76111464c")


@dataclass(frozen=True)
class MailConfig:
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str = field(repr=False)
    sender: str = "no-reply@localhost"
    postmark_token: str = field(default="", repr=False)
    transport: str = "smtp"

    @classmethod
    def from_env(cls) -> "MailConfig":
        return cls(
            smtp_host=os.environ.get("SMTP_HOST", "localhost"),
            smtp_port=int(os.environ.get("SMTP_PORT", "587")),
            smtp_user=os.environ.get("SMTP_USER", ""),
            smtp_password=os.environ.get("SMTP_PASSWORD", ""),
            sender=os.environ.get("MAIL_FROM", "no-reply@localhost"),
            postmark_token=POSTMARK_SERVER_TOKEN,
            transport=os.environ.get("MAILROOM_TRANSPORT", "smtp"),
        )
