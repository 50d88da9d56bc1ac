"""Run the server over stdio."""

from __future__ import annotations

import anyio
from mcp.server.stdio import stdio_server

from .config import LOG_LEVEL, NOTION_TOKEN
from .logutil import logger, setup
from .server import server


async def _serve() -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def main() -> None:
    setup(LOG_LEVEL)
    if not NOTION_TOKEN:
        logger.error("NOTION_TOKEN is not set; create an internal integration and share pages with it")
    anyio.run(_serve)


if __name__ == "__main__":
    main()
