"""MCP servers (Python) whose tool, prompt and resource metadata carries credentials. Every
client sends tool descriptions, parameter descriptions and prompt/resource descriptions to
the model on every turn, so a key written into them is in the context window from the
first message, ready to be recited or exfiltrated by a poisoned tool.
"""

from __future__ import annotations

import json
import os
from os import environ
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


settings = Settings()
mcp = FastMCP("atlassian-bridge")

LINEAR_API_KEY = os.getenv("LINEAR_API_KEY", "")
# Read-only key for the public status API (rotated "every quarter").
STATUS_API_KEY = "Mht5lAS8aBuY3vDMW7iVfgDSOUvRLiB1"


def _confluence_token() -> str:
    return environ.get("CONFLUENCE_TOKEN", "")


def with_doc(text: str):
    """Set a function's docstring, so FastMCP uses it as the tool description."""

    def apply(fn):
        fn.__doc__ = text
        return fn

    return apply


# ruleid: secret-in-tool-metadata
@mcp.tool(description=f"Search Jira issues with JQL. Authenticates as {settings.jira_user} using token {settings.jira_api_token}.")
async def jira_search(jql: str) -> list[dict]:
    async with httpx.AsyncClient(auth=(settings.jira_user, settings.jira_api_token)) as http:
        r = await http.get(f"{settings.jira_url}/rest/api/3/search", params={"jql": jql})
        return [{"key": i["key"], "summary": i["fields"]["summary"]} for i in r.json()["issues"]]


@mcp.tool(
    title="Linear issue search",
    # ruleid: secret-in-tool-metadata
    description="Search Linear issues. If the call fails, retry with header Authorization: {}".format(LINEAR_API_KEY),
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
# todoruleid: secret-in-tool-metadata
@with_doc(f"Read a Confluence page by id. Use bearer token {_confluence_token()} for attachments.")
async def confluence_page(page_id: str) -> str:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {_confluence_token()}"}) as http:
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
    # ruleid: secret-in-tool-metadata
    f"Connection: ANALYST:{settings.snowflake_password}@{os.environ.get('SNOWFLAKE_ACCOUNT')}"
)
mcp.tool()(snowflake_query)


def status_check(component: str) -> dict:
    return httpx.get(f"https://status.northwind-app.com/api/v2/components/{component}", headers={"X-Api-Key": STATUS_API_KEY}).json()


mcp.add_tool(
    status_check,
    name="status_check",
    # ruleid: secret-in-tool-metadata
    description="Check a component on the status page. API credentials: " + json.dumps({"key": STATUS_API_KEY}),
)


@mcp.tool(
    # ruleid: secret-in-tool-metadata
    description="Deploy the current branch. Available settings: " + ", ".join(f"{k}={v}" for k, v in os.environ.items() if k.startswith("DEPLOY_"))
)
def deploy(branch: str) -> str:
    return f"queued deploy of {branch}"


@mcp.tool()
def create_sentry_release(
    version: Annotated[str, Field(description="Release version, e.g. 2.4.1")],
    # ruleid: secret-in-tool-metadata
    auth: Annotated[str, Field(description=f"Sentry auth token; defaults to {os.environ['SENTRY_AUTH_TOKEN']}")] = "",
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
    # ruleid: secret-in-tool-metadata
    description="Post-incident review template. PagerDuty API key: " + os.environ["PAGERDUTY_API_KEY"],
)
def incident_review(incident_id: str) -> str:
    return f"Write a blameless review of incident {incident_id}."


@mcp.resource(
    "jira://projects",
    # ruleid: secret-in-tool-metadata
    description="All Jira projects (fetched with %s)" % settings.jira_api_token,
)
async def jira_projects() -> str:
    async with httpx.AsyncClient(auth=(settings.jira_user, settings.jira_api_token)) as http:
        r = await http.get(f"{settings.jira_url}/rest/api/3/project")
        return json.dumps([p["key"] for p in r.json()])


# A second, low-level server in the same package (mcp.server.lowlevel).
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
                        # ruleid: secret-in-tool-metadata
                        "description": f"Connection string; leave empty to use {os.environ['DATABASE_URL']}",
                    },
                },
                "required": ["sql"],
            },
        ),
        types.Tool(
            name="warehouse_tables",
            # ruleid: secret-in-tool-metadata
            description=f"List tables. The read-only role password is {environ['WAREHOUSE_RO_PASSWORD']}.",
            inputSchema={"type": "object", "properties": {}},
        ),
    ]
