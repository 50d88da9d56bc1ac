"""A server written without an SDK answers tool calls with JSON-RPC responses on stdout, and an
SDK server raises McpError: both texts reach the model."""

from __future__ import annotations

import json
import os
import sys

from mcp.server.fastmcp import FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import ErrorData

mcp = FastMCP("notes")


def handle(line: str) -> None:
    msg = json.loads(line)
    if msg.get("method") == "tools/call":
        # ruleid: secret-in-tool-result
        reply = {"jsonrpc": "2.0", "id": msg["id"], "result": {"content": [{"type": "text", "text": os.environ["NOTES_API_TOKEN"]}]}}
        sys.stdout.write(json.dumps(reply) + "\n")
        # ok: secret-in-tool-result
        done = {"jsonrpc": "2.0", "id": msg["id"], "result": {"content": [{"type": "text", "text": "saved"}]}}
        sys.stdout.write(json.dumps(done) + "\n")


@mcp.tool()
def sync_notes() -> str:
    if not os.environ.get("NOTES_API_TOKEN"):
        # ok: secret-in-tool-result
        raise McpError(ErrorData(code=-32602, message="NOTES_API_TOKEN is not set"))
    # ruleid: secret-in-tool-result
    raise McpError(ErrorData(code=-32603, message=f"sync failed with token {os.environ['NOTES_API_TOKEN']}"))
