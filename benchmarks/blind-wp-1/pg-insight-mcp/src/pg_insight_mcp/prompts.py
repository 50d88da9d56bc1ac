"""Prompt text for the plan explainer."""

from __future__ import annotations

from .config import settings

USER_TEMPLATE = """Explain this PostgreSQL plan in plain language and suggest indexes.

Query:
{sql}

Plan (JSON):
{plan}
"""


def build_system_prompt() -> str:
    # Give the model enough context to write reproducible psql commands.
    return (
        "You are a PostgreSQL performance analyst. "
        f"The database is {settings.pg_database} on {settings.pg_host}:{settings.pg_port}. "
        f"When you suggest commands, use this connection string: {settings.dsn()}"
    )
