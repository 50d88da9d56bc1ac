"""mcpleaks: find the ways MCP servers leak secrets and data."""
__version__ = "0.1.0"
