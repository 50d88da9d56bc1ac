"""MCP servers (Python: low-level Server, FastMCP, FastAPI, aiohttp) that write whole
payloads to their logs: tool arguments, HTTP requests and headers, upstream API
responses and tool results. Whatever the caller or the upstream sent ends up in
log files, log shippers and, through ctx.log, in the client's own log panel.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from typing import Any

import httpx
import mcp.types as types
import requests
import structlog
from aiohttp import web
from fastapi import FastAPI, Request
from loguru import logger
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.lowlevel import Server

logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s %(message)s")
log = logging.getLogger("issues-mcp")
LOGGER = logging.getLogger(__name__)
slog = structlog.get_logger()

ISSUES_API = os.environ.get("ISSUES_API_URL", "https://issues.northwind-app.com/api")

server = Server("issues-tracker")


@server.call_tool()
async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    # ruleid: raw-payload-logging
    log.info("call_tool %s %s", name, arguments)
    # ruleid: raw-payload-logging
    logging.debug("arguments as JSON: %s", json.dumps(arguments, indent=2))
    # ruleid: raw-payload-logging
    slog.info("tool_call", tool=name, arguments=arguments)
    try:
        if name != "create_issue":
            raise ValueError(f"Unknown tool: {name}")
        async with httpx.AsyncClient(base_url=ISSUES_API, timeout=10) as client:
            resp = await client.post("/issues", json=arguments)
            resp.raise_for_status()
        issue = resp.json()
        # ruleid: raw-payload-logging
        log.debug("issues api replied %r", issue)
        result = [types.TextContent(type="text", text=f"Created issue #{issue['number']}: {issue['html_url']}")]
        # ruleid: raw-payload-logging
        log.debug(f"returning {result}")
        return result
    except Exception:
        # ruleid: raw-payload-logging
        LOGGER.exception("tool %s failed with arguments %s", name, arguments)
        raise


class LabelsServer:
    """A second low-level server that keeps its logger on the instance."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("issues-mcp.labels")
        self.server = Server("issues-labels")

        @self.server.call_tool()
        async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
            # ruleid: raw-payload-logging
            self.logger.debug("labels tool %s: %s", name, arguments)
            labels = ", ".join(arguments.get("labels", []))
            return [types.TextContent(type="text", text=f"Applied labels: {labels}")]


mcp = FastMCP("issues-fast")


@mcp.tool()
async def search_issues(query: str, ctx: Context, **filters: Any) -> dict[str, Any]:
    """Search issues. Extra keyword filters (state, label, assignee) go to the API as-is."""
    # ruleid: raw-payload-logging
    logger.debug("search_issues filters: {}", filters)
    # ruleid: raw-payload-logging
    await ctx.debug(f"request context: {ctx.request_context}")
    resp = requests.get(f"{ISSUES_API}/search", params={"q": query, **filters}, timeout=10)
    data = resp.json()
    # ruleid: raw-payload-logging
    print("search response:", json.dumps(data), file=sys.stderr)
    result = {"total": data["total"], "issues": data["items"][:20]}
    # ruleid: raw-payload-logging
    await ctx.log("debug", json.dumps(result))
    return result


@mcp.tool()
def update_issue(number: int, **changes: Any) -> str:
    """Update fields of an issue."""
    if os.environ.get("ISSUES_MCP_LOG_PAYLOADS") == "1":
        # ruleid: raw-payload-logging
        log.debug("update_issue #%d changes=%s", number, changes)
    if "assignee" in changes:
        # ruleid: raw-payload-logging
        warnings.warn(f"'assignee' is deprecated, use 'assignees'; got {changes!r}", DeprecationWarning, stacklevel=2)
    resp = requests.patch(f"{ISSUES_API}/issues/{number}", json=changes, timeout=10)
    resp.raise_for_status()
    return f"Updated issue #{number}"


app = FastAPI()


@app.middleware("http")
async def log_requests(request: Request, call_next):
    # ruleid: raw-payload-logging
    log.debug("incoming headers: %s", dict(request.headers))
    return await call_next(request)


@app.post("/webhooks/issues")
async def issues_webhook(request: Request) -> dict[str, str]:
    payload = await request.json()
    log.info(
        "webhook %s received: %s",
        request.url.path,
        # ruleid: raw-payload-logging
        payload,
    )
    return {"status": "accepted"}


async def handle_mcp_post(request: web.Request) -> web.Response:
    body = await request.json()
    # ruleid: raw-payload-logging
    sys.stderr.write(f"aiohttp MCP body: {body!r}\n")
    # ruleid: raw-payload-logging
    logging.log(logging.DEBUG, "aiohttp headers %s", request.headers)
    if body.get("jsonrpc") != "2.0":
        # ruleid: raw-payload-logging
        logging.warning("not a JSON-RPC message: %s", repr(body))
        return web.json_response({"error": "invalid request"}, status=400)
    return web.json_response({"jsonrpc": "2.0", "id": body.get("id"), "result": {}})


aio_app = web.Application()
aio_app.router.add_post("/mcp", handle_mcp_post)

if __name__ == "__main__":
    mcp.run()


# The level is pinned to INFO: info calls are written.
pinned = logging.getLogger("issues-mcp.pinned")
pinned.setLevel(logging.INFO)


@server.call_tool()
async def call_pinned_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    # ruleid: raw-payload-logging
    pinned.info(f"calling {name} with {arguments}")
    return [types.TextContent(type="text", text=name)]


# The package's own logging helper: what it is given goes to stderr.
def trace(event: str, data: Any = None) -> None:
    print(f"[issues-mcp] {event}: {json.dumps(data)}", file=sys.stderr)


@server.call_tool()
async def call_traced_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    # ruleid: raw-payload-logging
    trace("tool call", arguments)
    return [types.TextContent(type="text", text=name)]


# A longer function that logs what it is given on its error path: the finding is on its own log
# call (where the fix belongs), naming the caller that passes the payload.
async def run_dispatched(params: dict[str, Any]) -> list[types.TextContent]:
    """Dispatch a tool call to its implementation."""
    try:
        name = params["name"]
        if name == "close_issue":
            number = int(params["arguments"]["number"])
            async with httpx.AsyncClient(base_url=ISSUES_API, timeout=10) as client:
                resp = await client.patch(f"/issues/{number}", json={"state": "closed"})
                resp.raise_for_status()
            return [types.TextContent(type="text", text=f"Closed #{number}")]
        if name == "reopen_issue":
            number = int(params["arguments"]["number"])
            return [types.TextContent(type="text", text=f"Reopened #{number}")]
        raise ValueError(f"unknown tool {name}")
    except Exception:
        # ruleid: raw-payload-logging
        log.debug(params)
        raise


@server.call_tool()
async def call_dispatched_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    return await run_dispatched({"name": name, "arguments": arguments})
