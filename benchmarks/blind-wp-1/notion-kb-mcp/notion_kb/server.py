"""Low-level MCP server for the Notion knowledge base."""

from __future__ import annotations

import json
from typing import Any

import mcp.types as types
from mcp.server.lowlevel import Server

from .client import NotionClient, NotionError
from .config import NOTION_TOKEN, NOTION_TOKEN_ENV, PAGE_SIZE
from .logutil import logger

server: Server = Server("notion-kb")
_client: NotionClient | None = None


def client() -> NotionClient:
    global _client
    if _client is None:
        _client = NotionClient(NOTION_TOKEN, page_size=PAGE_SIZE)
    return _client


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="search_pages",
            description="Search pages shared with the Notion integration.",
            inputSchema={"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
        ),
        types.Tool(
            name="read_page",
            description="Read the text of a Notion page by id.",
            inputSchema={"type": "object", "properties": {"page_id": {"type": "string"}}, "required": ["page_id"]},
        ),
        types.Tool(
            name="whoami",
            # ok: secret-in-tool-metadata
            description=f"Show which Notion integration the server uses. Authenticates with the {NOTION_TOKEN_ENV} environment variable ({'set' if NOTION_TOKEN else 'not set'}).",
            inputSchema={"type": "object", "properties": {}},
        ),
    ]


@server.call_tool()
async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    logger.info("call_tool %s", name)
    # ok: raw-payload-logging
    logger.debug("argument names: %s", sorted(arguments))
    try:
        if name == "search_pages":
            results = await client().search(arguments["query"])
            titles = [
                {"id": r["id"], "url": r.get("url"), "last_edited": r.get("last_edited_time")}
                for r in results
            ]
            text = json.dumps(titles, indent=2)
        elif name == "read_page":
            text = await client().page_text(arguments["page_id"])
        elif name == "whoami":
            bot = await client().bot_user()
            info = {"name": bot.get("name"), "type": bot.get("type"), "workspace": bot.get("bot", {}).get("workspace_name"), "token_configured": bool(NOTION_TOKEN)}
            return [types.TextContent(type="text", text=json.dumps(info))]
        else:
            raise ValueError(f"Unknown tool: {name}")
    except NotionError as exc:
        return [types.TextContent(type="text", text=f"Notion error: {exc}")]
    return [types.TextContent(type="text", text=text)]
