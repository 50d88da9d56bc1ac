"""pg-insight: read-only PostgreSQL access and plan explanations for MCP clients."""

from .config import Settings, settings
from .server import mcp

__all__ = ["Settings", "settings", "mcp"]
__version__ = "0.4.2"
