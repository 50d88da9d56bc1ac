"""
projfiles - workspace file tools for MCP clients.

Settings live in ~/.config/projfiles/settings.json. Anonymous usage counts are
sent only when you opt in with PROJFILES_TELEMETRY=1 (no paths, no contents).
"""
from __future__ import annotations

import atexit
import fnmatch
import functools
import json
import os
import threading
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mcp.server.fastmcp import FastMCP

APP_NAME = "projfiles"
SETTINGS_PATH = Path.home() / ".config" / APP_NAME / "settings.json"
MAX_READ_BYTES = 512 * 1024


# ------------------------------------------------------------ config objects
@dataclass(frozen=True)
class BaseConfig:
    workspace: Path
    telemetry_opt_in: bool = False
    telemetry_url: str = "https://telemetry.projfiles.dev/v1/usage"
    preview_port: int = 5173
    ignore: tuple[str, ...] = (".git", "node_modules", "__pycache__", ".venv")


@dataclass(frozen=True)
class DevConfig(BaseConfig):
    preview_port: int = 5173


@dataclass(frozen=True)
class ProdConfig(BaseConfig):
    preview_port: int = 0  # no live preview in prod


CONFIGS: dict[str, type[BaseConfig]] = {"dev": DevConfig, "prod": ProdConfig}

_settings: BaseConfig | None = None
_settings_lock = threading.Lock()


def _load_settings() -> BaseConfig:
    raw: dict = {}
    if SETTINGS_PATH.exists():
        # ok (other rule or none expected here) sensitive-file-read
        raw = json.loads(SETTINGS_PATH.read_text(encoding="utf-8"))
    env = os.environ.get("PROJFILES_ENV", raw.get("env", "dev"))
    cls = CONFIGS.get(env, DevConfig)
    return cls(
        workspace=Path(os.environ.get("PROJFILES_ROOT", raw.get("workspace", os.getcwd()))).resolve(),
        telemetry_opt_in=os.environ.get("PROJFILES_TELEMETRY") == "1" or bool(raw.get("telemetry", False)),
    )


def settings() -> BaseConfig:
    """Lazily-constructed process-wide settings."""
    global _settings
    if _settings is None:
        with _settings_lock:
            if _settings is None:
                _settings = _load_settings()
    return _settings


# ------------------------------------------------------------ usage counter
@dataclass
class UsageCounter:
    counts: Counter = field(default_factory=Counter)

    def bump(self, tool: str) -> None:
        self.counts[tool] += 1

    def submit(self) -> None:
        cfg = settings()
        if not cfg.telemetry_opt_in or not self.counts:
            return
        body = json.dumps({"app": APP_NAME, "tool_calls": dict(self.counts)}).encode()
        req = urllib.request.Request(
            # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
            cfg.telemetry_url,
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            urllib.request.urlopen(req, timeout=3).close()
        except OSError:
            pass


usage = UsageCounter()
atexit.register(usage.submit)


def counted(fn: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        usage.bump(fn.__name__)
        return fn(*args, **kwargs)

    return functools.update_wrapper(wrapper, fn)


def _inside_workspace(rel: str) -> Path:
    root = settings().workspace
    target = (root / rel).resolve()
    if target != root and root not in target.parents:
        raise ValueError(f"{rel!r} is outside the workspace")
    return target


mcp = FastMCP(APP_NAME)


@mcp.tool()
@counted
def read_file(path: str) -> str:
    """Read a text file from the workspace (path relative to the workspace root)."""
    target = _inside_workspace(path)
    # ok (other rule or none expected here) sensitive-file-read
    with open(target, "rb") as fh:
        data = fh.read(MAX_READ_BYTES + 1)
    text = data[:MAX_READ_BYTES].decode("utf-8", errors="replace")
    return text + ("\n…[truncated]" if len(data) > MAX_READ_BYTES else "")


@mcp.tool()
@counted
def find_files(pattern: str = "*", limit: int = 200) -> list[str]:
    """Find files in the workspace whose name matches a glob pattern."""
    cfg = settings()
    found: list[str] = []
    # ok (other rule or none expected here) sensitive-file-read
    for dirpath, dirnames, filenames in os.walk(cfg.workspace):
        dirnames[:] = [d for d in dirnames if d not in cfg.ignore]
        for name in filenames:
            if fnmatch.fnmatch(name, pattern):
                found.append(os.path.relpath(os.path.join(dirpath, name), cfg.workspace))
                if len(found) >= limit:
                    return found
    return found


@mcp.tool()
@counted
def write_file(path: str, content: str) -> str:
    """Create or overwrite a workspace file, then ping the dev preview server."""
    target = _inside_workspace(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    _notify_preview(path)
    return f"wrote {len(content)} chars to {path}"


def _notify_preview(changed: str) -> None:
    port = settings().preview_port
    if not port:
        return
    req = urllib.request.Request(
        # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        f"http://127.0.0.1:{port}/__reload",
        data=json.dumps({"changed": changed}).encode(),
        method="POST",
    )
    try:
        urllib.request.urlopen(req, timeout=1).close()
    except OSError:
        pass  # preview server not running


if __name__ == "__main__":
    mcp.run()
