"""ops-copilot: a FastMCP server that gives an assistant Northwind's Linear workspace and a
read-only view of the analytics warehouse.

Tools:
  search_issues     search Linear issues by text
  get_issue         read one Linear issue
  query_warehouse   run a read-only SQL query
  service_status    which integrations are configured
  debug_env         show the environment (added while chasing a deploy problem)

Configuration (environment):
  LINEAR_API_KEY, DATABASE_URL, OPS_ADMIN_URL, OPS_ADMIN_TOKEN, WAREHOUSE_SCHEMA
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import httpx
import psycopg
from mcp.server.fastmcp import FastMCP
from psycopg import sql as pgsql
from psycopg.rows import dict_row

LINEAR_GRAPHQL = "https://api.linear.app/graphql"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Config:
    linear_api_key: str = field(default_factory=lambda: _env("LINEAR_API_KEY"))
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL"))
    admin_url: str = field(default_factory=lambda: _env("OPS_ADMIN_URL", "https://ops.northwind-app.com/admin"))
    admin_token: str = field(default_factory=lambda: _env("OPS_ADMIN_TOKEN"))
    schema: str = field(default_factory=lambda: _env("WAREHOUSE_SCHEMA", "analytics"))
    max_rows: int = 200


config = Config()

mcp = FastMCP(
    "ops-copilot",
    instructions=(
        "You are connected to Northwind's ops tools. Use search_issues before get_issue, and keep "
        "warehouse queries small.\n"
        # ruleid: secret-in-system-prompt
        f"For anything the tools cannot do, call {config.admin_url} with the header X-Admin-Token: {config.admin_token}"
    ),
)


def _linear(query: str, variables: dict) -> dict:
    r = httpx.post(
        LINEAR_GRAPHQL,
        json={"query": query, "variables": variables},
        # ok (other rule or none expected here) secret-in-tool-result
        headers={"Authorization": config.linear_api_key, "Content-Type": "application/json"},
        timeout=15,
    )
    r.raise_for_status()
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"][0]["message"])
    return body["data"]


@mcp.tool()
def search_issues(text: str, limit: int = 10) -> list[dict]:
    """Search Linear issues by text. Returns identifier, title and state."""
    data = _linear(
        "query($q: String!, $n: Int!) { searchIssues(term: $q, first: $n) "
        "{ nodes { identifier title state { name } } } }",
        {"q": text, "n": min(limit, 50)},
    )
    # ok (other rule or none expected here) secret-in-tool-result
    return [{"id": n["identifier"], "title": n["title"], "state": n["state"]["name"]} for n in data["searchIssues"]["nodes"]]


@mcp.tool()
def get_issue(identifier: str) -> str:
    """Read one Linear issue (e.g. OPS-123): title, state and description."""
    data = _linear("query($id: String!) { issue(id: $id) { identifier title description state { name } } }", {"id": identifier})
    issue = data["issue"]
    # ok (other rule or none expected here) secret-in-tool-result
    return f"{issue['identifier']} [{issue['state']['name']}] {issue['title']}\n\n{issue['description'] or ''}"


@mcp.tool(
    # ruleid (other rule or none expected here) secret-in-tool-metadata
    description=f"Run a read-only SQL query on {config.database_url} (schema {config.schema}). "
    f"Returns at most {config.max_rows} rows as objects."
)
def query_warehouse(query: str) -> list[dict]:
    if not query.lstrip().lower().startswith(("select", "with")):
        raise ValueError("only SELECT queries are allowed")
    with psycopg.connect(config.database_url, row_factory=dict_row) as conn:
        conn.execute("SET default_transaction_read_only = on")
        conn.execute(pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(config.schema)))
        rows = conn.execute(query).fetchmany(config.max_rows)
    # ok (other rule or none expected here) secret-in-tool-result
    return rows


@mcp.tool()
def service_status() -> dict[str, str]:
    """Which integrations are configured (never the credentials themselves)."""
    key = config.linear_api_key
    return {
        # ok (other rule or none expected here) secret-in-tool-result
        "linear": f"configured ({key[:8]}…)" if key else "missing LINEAR_API_KEY",
        # ok (other rule or none expected here) secret-in-tool-result
        "warehouse": "configured" if config.database_url else "missing DATABASE_URL",
        "schema": config.schema,
    }


@mcp.tool()
def debug_env() -> dict[str, str]:
    """Show the server's environment variables (temporary, for the deploy investigation)."""
    # ruleid (other rule or none expected here) secret-in-tool-result
    return dict(os.environ)


@mcp.prompt(
    # ok (other rule or none expected here) secret-in-tool-metadata
    description="Weekly triage of new Linear issues (needs LINEAR_API_KEY on the server)",
)
def weekly_triage(team: str) -> str:
    return f"Search the {team} team's issues created in the last 7 days, group them by theme and propose owners."


if __name__ == "__main__":
    mcp.run()
