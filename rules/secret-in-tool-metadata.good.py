"""The same bridge (Python) with metadata the model may safely read: descriptions name the
environment variables the operator sets, show non-secret settings, say whether a credential
is configured, or show a masked form; the credentials themselves stay in function bodies and
HTTP clients.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Annotated

import httpx
import mcp.types as types
from mcp.server.fastmcp import FastMCP
from mcp.server.lowlevel import Server
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIDGE_")

    jira_url: str = "https://northwind.atlassian.net"
    jira_user: str = "bot@northwind-app.com"
    jira_api_token: str = ""
    snowflake_password: str = ""


def masked(secret: str) -> str:
    return f"{secret[:3]}…" if secret else "(unset)"


settings = Settings()
mcp = FastMCP("atlassian-bridge")

LINEAR_API_KEY = os.getenv("LINEAR_API_KEY", "")
REGION = os.getenv("REGION", "eu-central-1")
SUPPORT_SENDER = os.getenv("DEFAULT_SENDER_EMAIL", "support@northwind-app.com")


# ok (other rule or none expected here) secret-in-tool-metadata
@mcp.tool(description=f"Search Jira issues with JQL on {settings.jira_url} as {settings.jira_user}. Needs BRIDGE_JIRA_API_TOKEN.")
async def jira_search(jql: str) -> list[dict]:
    async with httpx.AsyncClient(auth=(settings.jira_user, settings.jira_api_token)) as http:
        r = await http.get(f"{settings.jira_url}/rest/api/3/search", params={"jql": jql})
        return [{"key": i["key"], "summary": i["fields"]["summary"]} for i in r.json()["issues"]]


@mcp.tool(
    title="Linear issue search",
    # ok (other rule or none expected here) secret-in-tool-metadata
    description="Search Linear issues. Linear access: {}.".format("configured" if LINEAR_API_KEY else "missing, set LINEAR_API_KEY"),
)
async def linear_search(query: str) -> list[str]:
    async with httpx.AsyncClient() as http:
        r = await http.post(
            "https://api.linear.app/graphql",
            headers={"Authorization": LINEAR_API_KEY},
            json={"query": "query($q: String!) { searchIssues(term: $q) { nodes { title } } }", "variables": {"q": query}},
        )
        return [n["title"] for n in r.json()["data"]["searchIssues"]["nodes"]]


@mcp.tool()
async def confluence_page(page_id: str) -> str:
    """Read a Confluence page by id. The server authenticates with CONFLUENCE_TOKEN."""
    # ok (other rule or none expected here) secret-in-tool-metadata
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {os.environ['CONFLUENCE_TOKEN']}"}) as http:
        r = await http.get(f"{settings.jira_url}/wiki/api/v2/pages/{page_id}", params={"body-format": "storage"})
        return r.json()["body"]["storage"]["value"]


async def snowflake_query(sql: str) -> list[dict]:
    import snowflake.connector

    conn = snowflake.connector.connect(
        account=os.environ["SNOWFLAKE_ACCOUNT"], user="ANALYST", password=settings.snowflake_password
    )
    cur = conn.cursor(snowflake.connector.DictCursor)
    return cur.execute(sql).fetchall()


snowflake_query.__doc__ = (
    "Run read-only SQL on Snowflake.\n"
    # ok (other rule or none expected here) secret-in-tool-metadata
    f"Account: {os.environ.get('SNOWFLAKE_ACCOUNT')}, region {REGION}, role ANALYST (password {masked(settings.snowflake_password)})."
)
mcp.tool()(snowflake_query)


@mcp.tool(
    # ok (other rule or none expected here) secret-in-tool-metadata
    description="Deploy the current branch. Configured variables: " + ", ".join(k for k in os.environ if k.startswith("DEPLOY_"))
)
def deploy(branch: str) -> str:
    return f"queued deploy of {branch}"


@mcp.tool()
def create_sentry_release(
    version: Annotated[str, Field(description="Release version, e.g. 2.4.1")],
    # ok (other rule or none expected here) secret-in-tool-metadata
    auth: Annotated[str, Field(description="Sentry auth token; leave empty to use the server's SENTRY_AUTH_TOKEN")] = "",
) -> str:
    token = auth or os.environ["SENTRY_AUTH_TOKEN"]
    r = httpx.post(
        "https://sentry.io/api/0/organizations/northwind/releases/",
        headers={"Authorization": f"Bearer {token}"},
        json={"version": version, "projects": ["web"]},
    )
    return r.json()["version"]


@mcp.prompt(
    name="incident_review",
    # ok (other rule or none expected here) secret-in-tool-metadata
    description="Post-incident review template. Key fingerprint: " + hashlib.sha256(os.environ["PAGERDUTY_API_KEY"].encode()).hexdigest()[:8],
)
def incident_review(incident_id: str) -> str:
    return f"Write a blameless review of incident {incident_id}."


@mcp.prompt(
    # ok (other rule or none expected here) secret-in-tool-metadata
    description=f"Draft a customer reply signed by {SUPPORT_SENDER}",
)
def customer_reply(ticket: str) -> str:
    return f"Draft a friendly reply to this ticket:\n{ticket}"


@mcp.resource(
    "jira://projects",
    # ok (other rule or none expected here) secret-in-tool-metadata
    description="All Jira projects on %s (token of %d characters configured)" % (settings.jira_url, len(settings.jira_api_token)),
)
async def jira_projects() -> str:
    async with httpx.AsyncClient(auth=(settings.jira_user, settings.jira_api_token)) as http:
        r = await http.get(f"{settings.jira_url}/rest/api/3/project")
        return json.dumps([p["key"] for p in r.json()])


warehouse = Server("warehouse")


@warehouse.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="warehouse_query",
            description="Query the analytics warehouse",
            inputSchema={
                "type": "object",
                "properties": {
                    "sql": {"type": "string", "description": "A SELECT statement"},
                    "dsn": {
                        "type": "string",
                        # ok (other rule or none expected here) secret-in-tool-metadata
                        "description": "Connection string, e.g. postgresql://user:password@host/db; leave empty to use DATABASE_URL",
                    },
                },
                "required": ["sql"],
            },
        ),
        types.Tool(
            name="warehouse_tables",
            # ok (other rule or none expected here) secret-in-tool-metadata
            description=f"List tables in the {os.getenv('WAREHOUSE_SCHEMA', 'analytics')} schema ({os.getenv('LOG_LEVEL', 'info')} logging).",
            inputSchema={"type": "object", "properties": {}},
        ),
    ]
