"""What a same-file helper returns is what the call passes it: the tool's own argument
echoed back is the caller's, an environment secret is not."""

from __future__ import annotations

import os

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("links")


def _unknown_ref(token: str) -> str:
    return f"Unknown reference: {token.strip()}"


@mcp.tool()
async def expand_link(token: str) -> str:
    # ok: secret-in-tool-result
    return _unknown_ref(token)


@mcp.tool()
async def whoami() -> str:
    # ruleid: secret-in-tool-result
    return _unknown_ref(os.environ["LINKS_API_TOKEN"])
