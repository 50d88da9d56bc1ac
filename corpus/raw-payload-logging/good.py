"""The same kinds of MCP servers, logging what an operator needs and no payload:
tool names, argument names, counts, ids, durations, status codes, error messages,
single scalar arguments, and payloads only after they pass through a redaction helper.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import warnings
from typing import Any

import httpx
import mcp.types as types
import requests
import structlog
from fastapi import FastAPI, Request
from loguru import logger
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.lowlevel import Server

logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
log = logging.getLogger("issues-mcp")
slog = structlog.get_logger()

ISSUES_API = os.environ.get("ISSUES_API_URL", "https://issues.northwind-app.com/api")
SENSITIVE_KEYS = {"body", "token", "password", "email", "description"}


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """Keep the keys, hide the values of anything that may be sensitive."""
    return {k: ("[REDACTED]" if k in SENSITIVE_KEYS else v) for k, v in payload.items()}


server = Server("issues-tracker")


@server.call_tool()
async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    started = time.perf_counter()
    # ok: raw-payload-logging
    log.info("call_tool %s", name)
    # ok: raw-payload-logging
    log.debug("argument names: %s", list(arguments.keys()))
    # ok: raw-payload-logging
    log.debug("arguments (redacted): %s", redact(arguments))
    # ok: raw-payload-logging
    slog.info("tool_call", tool=name, arg_count=len(arguments))
    try:
        async with httpx.AsyncClient(base_url=ISSUES_API, timeout=10) as client:
            # ok: raw-payload-logging
            resp = await client.post("/issues", content=json.dumps(arguments), headers={"Content-Type": "application/json"})
        # ok: raw-payload-logging
        log.info("issues api status %s", resp.status_code)
        issue = resp.json()
        # ok: raw-payload-logging
        log.info("created issue id=%s number=%s", issue["id"], issue["number"])
        result = [types.TextContent(type="text", text=f"Created issue #{issue['number']}")]
        # ok: raw-payload-logging
        log.debug("returning %d content blocks", len(result))
        return result
    except httpx.HTTPError as e:
        # ok: raw-payload-logging
        log.error("tool %s failed: %s", name, str(e))
        raise
    finally:
        # ok: raw-payload-logging
        log.info("call_tool %s took %.1f ms", name, (time.perf_counter() - started) * 1000)


mcp = FastMCP("issues-fast")


@mcp.tool()
async def search_issues(query: str, ctx: Context, **filters: Any) -> dict[str, Any]:
    """Search issues with optional keyword filters."""
    # ok: raw-payload-logging
    logger.info("search_issues query={!r}", query)
    # ok: raw-payload-logging
    logger.debug("filters given: {}", sorted(filters.keys()))
    # ok: raw-payload-logging
    await ctx.debug(f"request id {ctx.request_id}")
    resp = requests.get(f"{ISSUES_API}/search", params={"q": query, **filters}, timeout=10)
    data = resp.json()
    # ok: raw-payload-logging
    await ctx.info(f"Found {data['total']} issues")
    # ok: raw-payload-logging
    log.debug("response keys: %s", list(data.keys()))
    return {"total": data["total"], "issues": data["items"][:20]}


@mcp.tool()
async def get_weather(city: str, ctx: Context) -> str:
    """Current weather for a city."""
    # ok: raw-payload-logging
    await ctx.info(f"Looking up weather for {city}")
    resp = requests.get("https://wttr.in/" + city, params={"format": "j1"}, timeout=10)
    # ok: raw-payload-logging
    log.info("wttr.in answered %d in %.0f ms", resp.status_code, resp.elapsed.total_seconds() * 1000)
    current = resp.json()["current_condition"][0]
    return f"{city}: {current['temp_C']} C, {current['weatherDesc'][0]['value']}"


@mcp.tool()
def update_issue(number: int, limit: int | None = None, **changes: Any) -> str:
    """Update fields of an issue."""
    if limit is not None:
        # ok: raw-payload-logging
        warnings.warn("the 'limit' argument is deprecated and ignored", DeprecationWarning, stacklevel=2)
    digest = hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()[:12]
    # ok: raw-payload-logging
    log.debug("update_issue #%d fields=%s digest=%s", number, ",".join(changes), digest)
    requests.patch(f"{ISSUES_API}/issues/{number}", json=changes, timeout=10).raise_for_status()
    return f"Updated issue #{number}"


app = FastAPI()


@app.middleware("http")
async def access_log(request: Request, call_next):
    started = time.perf_counter()
    response = await call_next(request)
    # ok: raw-payload-logging
    log.info("%s %s -> %d (%.1f ms)", request.method, request.url.path, response.status_code, (time.perf_counter() - started) * 1000)
    return response


@app.post("/webhooks/issues")
async def issues_webhook(request: Request) -> dict[str, str]:
    payload = await request.json()
    # ok: raw-payload-logging
    log.info("webhook event type=%s delivery=%s", payload.get("action"), request.headers.get("X-Delivery-Id"))
    return {"status": "accepted"}


# A dict named like an HTTP session is still a dict: its .get("key") reads a field, it does
# not fetch an upstream response.
_SESSIONS: dict[str, dict[str, str]] = {}


def forget_user(user_email: str) -> None:
    old_session = _SESSIONS.pop(user_email, None)
    if old_session:
        old_mcp_session_id = old_session.get("mcp_session_id")
        # ok: raw-payload-logging
        log.debug("removed stale MCP session mapping: %s", old_mcp_session_id)


# A tool result the server computed itself from local data (names of the services a project
# uses) is its own output, not what the caller or an upstream service sent.
def analyze_project(path: str) -> dict[str, Any]:
    names = sorted(p for p in os.listdir(path) if p.endswith(".tf"))
    return {"services": names, "path": path}


@mcp.tool()
def analyze_terraform(project_path: str) -> dict[str, Any]:
    """List the services a Terraform project uses."""
    analysis = analyze_project(project_path)
    # ok: raw-payload-logging
    log.info(f"analysis result: {analysis}")
    return analysis


# A logger whose level the module fixes above DEBUG never writes its debug calls.
quiet = logging.getLogger("issues-mcp.quiet")
quiet.setLevel(logging.INFO)


@server.call_tool()
async def call_quiet_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    # ok: raw-payload-logging
    quiet.debug(f"calling {name} with {arguments}")
    return [types.TextContent(type="text", text=name)]


@app.get("/sse")
async def sse_endpoint(request: Request) -> dict[str, str]:
    # The query string holds transport parameters (the MCP session id) and is in every access
    # log already.
    # ok: raw-payload-logging
    log.info("SSE connection, query %s", request.query_params)
    return {"status": "ok"}


# A helper that logs only a field of what it is given (the tool name), or only some of its
# parameters, is not a way out for the rest.
def note_call(request: Any, started: float) -> None:
    log.info("tool %s took %.1f ms", request.params.name, (time.perf_counter() - started) * 1000)


@server.call_tool()
async def call_noted_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    # ok: raw-payload-logging
    note_call(arguments, time.perf_counter())
    return [types.TextContent(type="text", text=name)]
