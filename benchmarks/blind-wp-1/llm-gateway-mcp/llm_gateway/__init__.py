"""llm-gateway MCP server."""

from .config import Settings, Upstream
from .config import settings as settings

__all__ = ["Settings", "Upstream", "settings"]
