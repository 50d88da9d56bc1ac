"""A document MCP server (Python) that logs a truncated request body: truncation keeps the
payload (only a secret cut short is masked)."""

from __future__ import annotations

import logging

from mcp.server.fastmcp import FastMCP
from starlette.requests import Request

logger = logging.getLogger(__name__)
mcp = FastMCP("docs")


def truncate(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


async def ingest(request: Request):
    body = (await request.body()).decode()
    # ruleid: raw-payload-logging
    logger.debug("ingest body: %s", truncate(body))
    # ok: raw-payload-logging
    logger.debug("ingest body: %d bytes", len(body))
    return {"ok": True}


class StreamTransport:  # stands in for the SDK's transport base class
    async def send(self, message) -> None: ...


class TracingTransport(StreamTransport):
    async def send(self, message) -> None:
        # ruleid: raw-payload-logging
        logger.debug("-> %s", message)
        await super().send(message)


class Mailer:
    async def send(self, message) -> None:
        # ok: raw-payload-logging
        logger.debug("mail queued: %s", message)
