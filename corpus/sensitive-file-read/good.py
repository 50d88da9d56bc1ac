"""MCP servers (Python) that read files without touching anyone's credentials: their own
bundled data and README, the project's .env for configuration, the app's own settings and
cache under the home directory, a path the caller passed in, public SSH keys and
known_hosts, existence and permission checks on a private key (no read), a log file they
write under home, and docs that only mention credential paths in strings.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import mcp.types as types
import yaml
from dotenv import load_dotenv
from mcp.server.fastmcp import FastMCP
from mcp.server.lowlevel import Server
from pydantic import Field

HERE = Path(__file__).resolve().parent

# Configuration from the project's own .env, next to the code.
# ok: sensitive-file-read
load_dotenv(HERE / ".env")
# ok: sensitive-file-read
_DOTENV_LINES = (HERE / ".env").read_text().splitlines() if (HERE / ".env").exists() else []

# ok: sensitive-file-read
with open("config.yaml", encoding="utf-8") as fh:
    CONFIG = yaml.safe_load(fh) or {}

APP_DIR = Path.home() / ".notes-mcp"
LOG_FILE = APP_DIR / "server.log"

mcp = FastMCP("notes-helper")


def _log(msg: str) -> None:
    APP_DIR.mkdir(exist_ok=True)
    # Writing a log under home is not reading a secret.
    # ok: sensitive-file-read
    with open(LOG_FILE, "a", encoding="utf-8") as log:
        log.write(f"{datetime.now(timezone.utc).isoformat()} {msg}\n")


def _settings() -> dict[str, Any]:
    # The app's own non-credential settings under home.
    path = os.path.expanduser("~/.notes-mcp/settings.json")
    if not os.path.exists(path):
        return {"theme": "light", "page_size": 20}
    # ok: sensitive-file-read
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@mcp.tool()
def about() -> str:
    """Show this server's README."""
    # ok: sensitive-file-read
    return (HERE / "README.md").read_text(encoding="utf-8")


@mcp.tool()
def search_notes(query: str) -> list[str]:
    """Search the bundled notes."""
    # ok: sensitive-file-read
    data = json.loads(Path(__file__).parent.joinpath("data.json").read_text())
    size = _settings().get("page_size", 20)
    _log(f"search_notes q_len={len(query)}")
    return [n["title"] for n in data["notes"] if query.lower() in n["body"].lower()][:size]


@mcp.tool()
def read_note(path: str) -> str:
    """Read a note file at the given path."""
    # The path is the caller's argument (another rule's business).
    # ok: sensitive-file-read
    with open(path, encoding="utf-8") as f:
        return f.read()


@mcp.tool()
def ssh_setup_status() -> dict[str, Any]:
    """Check whether SSH is set up for git pushes."""
    key = os.path.expanduser("~/.ssh/id_rsa")
    # Existence and permission bits only; nothing is read.
    # ok: sensitive-file-read
    has_key = os.path.exists(key)
    # ok: sensitive-file-read
    mode = stat.S_IMODE(os.stat(key).st_mode) if has_key else None
    # The public half is meant to be shared.
    # ok: sensitive-file-read
    pub = Path(key + ".pub").read_text().strip() if has_key else ""
    return {"has_key": has_key, "permissions_ok": mode == 0o600, "public_key": pub}


@mcp.tool()
def is_known_host(host: str) -> bool:
    """Whether a host is already in known_hosts."""
    # ok: sensitive-file-read
    known = Path.home().joinpath(".ssh", "known_hosts").read_text(errors="ignore")
    return any(line.split(" ", 1)[0].split(",").count(host) for line in known.splitlines())


@mcp.tool()
def setup_help(
    # ok: sensitive-file-read
    provider: str = Field(description="Cloud provider whose credentials live in ~/.aws/credentials or ~/.config/gcloud"),
) -> str:
    # ok: sensitive-file-read
    """Explain how to point this server at ~/.aws/credentials or ~/.kube/config (it never reads them)."""
    # ok: sensitive-file-read
    return f"Set {provider.upper()}_PROFILE; the SDK reads ~/.aws/credentials itself, this server does not."


@mcp.tool()
def cache_stats() -> dict[str, int]:
    """Entries and size of the local cache."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "notes-mcp" / "index.json"
    if not cache.exists():
        return {"entries": 0, "bytes": 0}
    # ok: sensitive-file-read
    index = json.loads(cache.read_bytes())
    return {"entries": len(index), "bytes": cache.stat().st_size}


# Low-level server: opens only files the caller names or files shipped with the server.
server = Server("template-renderer")


@server.call_tool()
async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    if name == "render":
        # ok: sensitive-file-read
        template = (HERE / "templates" / f"{arguments['template']}.md").read_text()
        return [types.TextContent(type="text", text=template.format(**arguments.get("vars", {})))]
    if name == "load_data":
        # ok: sensitive-file-read
        with open(arguments["file"], encoding="utf-8") as f:
            return [types.TextContent(type="text", text=f.read()[:20_000])]
    raise ValueError(f"unknown tool {name}")


if __name__ == "__main__":
    mcp.run()
