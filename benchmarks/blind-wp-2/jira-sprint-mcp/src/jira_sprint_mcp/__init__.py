"""Jira sprint MCP server."""

from .config import JiraSettings, settings
from .constants import VERSION as __version__

__all__ = ["JiraSettings", "settings", "__version__"]
