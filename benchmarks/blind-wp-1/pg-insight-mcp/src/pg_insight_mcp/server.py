"""FastMCP server exposing read-only SQL tools."""

from __future__ import annotations

import json

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError

from . import llm
from .config import settings
from .db import Database
from .log import log_debug
from .prompts import build_system_prompt

mcp = FastMCP("pg-insight")
db = Database(settings.dsn(), settings.statement_timeout_ms)

_WRITE_KEYWORDS = ("insert", "update", "delete", "drop", "alter", "truncate", "grant", "create")


def _check_read_only(sql: str) -> None:
    head = sql.strip().split(None, 1)[0].lower() if sql.strip() else ""
    if head in _WRITE_KEYWORDS:
        raise ToolError(f"Only read-only statements are allowed (got {head.upper()})")


# ok: secret-in-tool-metadata
@mcp.tool(description=f"Run a read-only SQL query on {settings.safe_dsn()} and return up to {settings.max_rows} rows as JSON.")
async def run_query(sql: str) -> str:
    _check_read_only(sql)
    rows = await db.fetch(sql, settings.max_rows)
    log_debug("run_query returned %d rows", len(rows))
    return json.dumps(rows, default=str, indent=2)


@mcp.tool()
async def explain_plan(sql: str) -> str:
    """Explain the execution plan of a query in plain language."""
    _check_read_only(sql)
    plan = await db.explain(sql)
    return await llm.explain_plan(sql, plan)


@mcp.tool()
async def ping() -> str:
    """Check that the database is reachable."""
    try:
        await db.ping()
    except (OSError, TimeoutError) as exc:
        # ruleid: secret-in-tool-result
        raise ToolError(f"Cannot reach {settings.dsn()}: {exc}") from exc
    return "ok"


@mcp.tool()
def connection_info() -> str:
    """Describe the database this server is connected to."""
    # ok: secret-in-tool-result
    return f"Connected to {settings.safe_dsn()} (max {settings.max_rows} rows, timeout {settings.statement_timeout_ms} ms)"


@mcp.prompt()
def tuning_session() -> str:
    """Start a query-tuning session with the database context filled in."""
    # ruleid: secret-in-tool-result
    return build_system_prompt() + "\n\nAsk me for the slowest queries first."


@mcp.tool()
def server_config() -> dict:
    """Show the server's effective configuration (useful when a query behaves unexpectedly)."""
    # ruleid: secret-in-tool-result
    return settings.model_dump()
