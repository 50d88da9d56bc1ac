"""mailroom-mcp: email tools for MCP clients."""

__version__ = "1.3.0"
