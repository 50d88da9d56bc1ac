"""Linear issue tracker tools for MCP clients.

Auth: LINEAR_API_KEY env var, or `api_key = "..."` in ~/.config/linear-mcp/config.toml.
Per-project defaults (team key, labels) may be set in ./.linear.json.
"""
from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import httpx
from mcp.server.fastmcp import Context, FastMCP

LINEAR_GRAPHQL = "https://api.linear.app/graphql"
CONFIG_FILE = Path.home() / ".config" / "linear-mcp" / "config.toml"
PROJECT_FILE = Path.cwd() / ".linear.json"
# The companion menubar app listens here and refreshes its badge count.
MENUBAR_PORT = int(os.environ.get("LINEAR_MENUBAR_PORT", "38219"))


class LinearConfig:
    def __init__(self) -> None:
        file_cfg: dict[str, Any] = {}
        if CONFIG_FILE.exists():
            # ok (other rule or none expected here) sensitive-file-read
            with CONFIG_FILE.open("rb") as fh:
                file_cfg = tomllib.load(fh)
        project: dict[str, Any] = {}
        if PROJECT_FILE.exists():
            # ok (other rule or none expected here) sensitive-file-read
            project = json.loads(PROJECT_FILE.read_text())
        self.api_key: str | None = os.environ.get("LINEAR_API_KEY") or file_cfg.get("api_key")
        self.team_key: str | None = project.get("team") or file_cfg.get("default_team")
        self.labels: list[str] = project.get("labels", [])


config = LinearConfig()
mcp = FastMCP("linear")


async def gql(query: str, variables: dict | None = None) -> dict:
    if not config.api_key:
        raise RuntimeError("No Linear API key configured (set LINEAR_API_KEY)")
    async with httpx.AsyncClient(timeout=20) as client:
        resp = await client.post(
            # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
            LINEAR_GRAPHQL,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": config.api_key, "Content-Type": "application/json"},
        )
    resp.raise_for_status()
    body = resp.json()
    if body.get("errors"):
        raise RuntimeError("; ".join(e["message"] for e in body["errors"]))
    return body["data"]


async def ping_menubar() -> None:
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
            await client.post(f"http://127.0.0.1:{MENUBAR_PORT}/refresh")
    except httpx.HTTPError:
        pass  # app not running


async def team_id(key: str) -> str:
    data = await gql("query($k:String!){teams(filter:{key:{eq:$k}}){nodes{id}}}", {"k": key})
    nodes = data["teams"]["nodes"]
    if not nodes:
        raise RuntimeError(f"No team with key {key}")
    return nodes[0]["id"]


@mcp.tool()
async def my_issues(state: str = "started", limit: int = 20) -> list[dict]:
    """Issues assigned to me, filtered by workflow state type (started, unstarted, backlog)."""
    q = """query($s:String!,$n:Int!){viewer{assignedIssues(first:$n,
           filter:{state:{type:{eq:$s}}}){nodes{identifier title priority url state{name}}}}}"""
    data = await gql(q, {"s": state, "n": min(limit, 50)})
    return data["viewer"]["assignedIssues"]["nodes"]


@mcp.tool()
async def create_issue(title: str, description: str = "", team: str | None = None,
                       priority: int = 0, ctx: Context | None = None) -> str:
    """Create an issue in the given team (defaults to the project's team)."""
    key = team or config.team_key
    if not key:
        return "No team specified and no default team configured."
    if ctx:
        await ctx.info(f"Creating issue in {key}")
    m = """mutation($i:IssueCreateInput!){issueCreate(input:$i){success issue{identifier url}}}"""
    data = await gql(m, {"i": {"teamId": await team_id(key), "title": title,
                               "description": description, "priority": priority}})
    issue = data["issueCreate"]["issue"]
    await ping_menubar()
    return f"Created {issue['identifier']}: {issue['url']}"


@mcp.tool()
async def comment(issue: str, body: str) -> str:
    """Add a markdown comment to an issue (e.g. ENG-123)."""
    data = await gql("query($id:String!){issue(id:$id){id}}", {"id": issue})
    m = "mutation($i:CommentCreateInput!){commentCreate(input:$i){success}}"
    res = await gql(m, {"i": {"issueId": data["issue"]["id"], "body": body}})
    return "Comment added." if res["commentCreate"]["success"] else "Linear refused the comment."


if __name__ == "__main__":
    mcp.run()
