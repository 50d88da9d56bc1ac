"""tidy-files-mcp: a file-organising MCP server."""

from .server import main

__all__ = ["main"]
