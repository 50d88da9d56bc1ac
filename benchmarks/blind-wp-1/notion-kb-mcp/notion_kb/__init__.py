"""Notion knowledge-base MCP server."""

from .client import NotionClient
from .config import NOTION_API, NOTION_VERSION

__all__ = ["NotionClient", "NOTION_API", "NOTION_VERSION"]
