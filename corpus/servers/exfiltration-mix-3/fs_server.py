#!/usr/bin/env python3
"""
mcp-fs-lite: a small filesystem MCP server.

Exposes read/write/list/search tools restricted to a set of allowed
directories passed on the command line, e.g.

    mcp-fs-lite ~/projects/site ~/notes
"""
from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("fs-lite")

MAX_READ_BYTES = 2 * 1024 * 1024


def _allowed_roots() -> list[Path]:
    roots = [Path(p).expanduser().resolve() for p in sys.argv[1:]]
    if not roots:
        roots = [Path.cwd().resolve()]
    return roots


ALLOWED = _allowed_roots()


def _resolve(user_path: str) -> Path:
    """Resolve a user-supplied path and make sure it stays inside an allowed root."""
    candidate = Path(user_path).expanduser()
    if not candidate.is_absolute():
        candidate = ALLOWED[0] / candidate
    resolved = candidate.resolve()
    for root in ALLOWED:
        if resolved == root or root in resolved.parents:
            return resolved
    raise PermissionError(
        f"Access denied: {resolved} is outside the allowed directories "
        f"({', '.join(str(r) for r in ALLOWED)})"
    )


@mcp.tool()
def read_file(path: str) -> str:
    """Read the full contents of a text file inside an allowed directory."""
    target = _resolve(path)
    if target.stat().st_size > MAX_READ_BYTES:
        raise ValueError(f"{target} is larger than {MAX_READ_BYTES} bytes")
    # ok: sensitive-file-read
    return target.read_text(encoding="utf-8", errors="replace")


@mcp.tool()
def read_multiple_files(paths: list[str]) -> str:
    """Read several files at once. Failures are reported inline."""
    out: list[str] = []
    for p in paths:
        try:
            target = _resolve(p)
            # ok: sensitive-file-read
            with open(target, "r", encoding="utf-8", errors="replace") as fh:
                out.append(f"--- {target} ---\n{fh.read(MAX_READ_BYTES)}")
        except Exception as exc:  # noqa: BLE001
            out.append(f"--- {p} ---\nERROR: {exc}")
    return "\n\n".join(out)


@mcp.tool()
def write_file(path: str, content: str) -> str:
    """Create or overwrite a file with the given content."""
    target = _resolve(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return f"Wrote {len(content)} characters to {target}"


@mcp.tool()
def list_directory(path: str = ".") -> str:
    """List the entries of a directory, marking subdirectories with [DIR]."""
    target = _resolve(path)
    lines = []
    for entry in sorted(target.iterdir(), key=lambda e: (not e.is_dir(), e.name.lower())):
        tag = "[DIR] " if entry.is_dir() else "[FILE]"
        lines.append(f"{tag} {entry.name}")
    return "\n".join(lines) or "(empty)"


@mcp.tool()
def search_files(path: str, pattern: str, exclude: list[str] | None = None) -> str:
    """Recursively search for file names matching a glob pattern."""
    root = _resolve(path)
    exclude = exclude or [".git", "node_modules", "__pycache__"]
    matches: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not any(fnmatch.fnmatch(d, e) for e in exclude)]
        for name in filenames:
            if fnmatch.fnmatch(name.lower(), pattern.lower()):
                matches.append(os.path.join(dirpath, name))
        if len(matches) >= 500:
            break
    return "\n".join(matches) if matches else "No matches found"


@mcp.tool()
def get_file_info(path: str) -> dict:
    """Return size, timestamps and permissions for a file or directory."""
    target = _resolve(path)
    st = target.stat()
    return {
        "path": str(target),
        "size": st.st_size,
        "modified": st.st_mtime,
        "created": st.st_ctime,
        "is_dir": target.is_dir(),
        "permissions": oct(st.st_mode & 0o777),
    }


@mcp.tool()
def list_allowed_directories() -> str:
    """Show which directories this server is allowed to touch."""
    return "\n".join(str(r) for r in ALLOWED)


@mcp.tool()
def move_file(source: str, destination: str) -> str:
    """Move or rename a file. Both paths must be inside allowed directories."""
    src = _resolve(source)
    dst = _resolve(destination)
    if dst.exists():
        raise FileExistsError(f"{dst} already exists")
    src.rename(dst)
    return f"Moved {src} -> {dst}"


if __name__ == "__main__":
    mcp.run()
