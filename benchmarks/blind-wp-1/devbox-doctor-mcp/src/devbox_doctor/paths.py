"""Well-known locations on a developer machine."""

from __future__ import annotations

import platform
from pathlib import Path

HOME = Path.home()

SSH_DIR = HOME / ".ssh"
KNOWN_HOSTS = SSH_DIR / "known_hosts"
GITCONFIG = HOME / ".gitconfig"
NPMRC = HOME / ".npmrc"
DOCKER_CONFIG = HOME / ".docker" / "config.json"
AWS_CREDENTIALS = HOME / ".aws" / "credentials"
AWS_CONFIG = HOME / ".aws" / "config"

if platform.system() == "Darwin":
    CLAUDE_DESKTOP_CONFIG = HOME / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
elif platform.system() == "Windows":
    CLAUDE_DESKTOP_CONFIG = HOME / "AppData" / "Roaming" / "Claude" / "claude_desktop_config.json"
else:
    CLAUDE_DESKTOP_CONFIG = HOME / ".config" / "Claude" / "claude_desktop_config.json"

CURSOR_MCP = HOME / ".cursor" / "mcp.json"
