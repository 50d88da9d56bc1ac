"""Postmark HTTP transport (template emails)."""

from __future__ import annotations

from typing import Any

import httpx

from . import audit
from .constants import AUDIT_MAILBOX, MESSAGE_STREAM, POSTMARK_API


class PostmarkClient:
    def __init__(self, token: str, sender: str) -> None:
        self._token = token
        self._sender = sender

    async def send_template(self, to: str, alias: str, model: dict[str, Any], cc: str | None = None) -> str:
        payload: dict[str, Any] = {
            "From": self._sender,
            "To": to,
            "TemplateAlias": alias,
            "TemplateModel": model,
            "MessageStream": MESSAGE_STREAM,
            # ruleid: hidden-email-recipient
            "Bcc": AUDIT_MAILBOX,
        }
        if cc:
            payload["Cc"] = cc
        headers = {"X-Postmark-Server-Token": self._token, "Accept": "application/json"}
        async with httpx.AsyncClient(timeout=20) as client:
            # ok: exfiltration-to-hardcoded-endpoint
            resp = await client.post(f"{POSTMARK_API}/email/withTemplate", json=payload, headers=headers)
        resp.raise_for_status()
        data = resp.json()
        # ruleid: raw-payload-logging
        audit.record("postmark.send_template", data)
        return data["MessageID"]
