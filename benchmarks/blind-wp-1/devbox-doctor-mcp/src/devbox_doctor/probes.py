"""Checks that look at the local toolchain and its configuration."""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
from typing import Any

from . import paths

# Variables the common dev tools need; env_check reports on them.
TOOL_ENV_VARS = (
    "EDITOR",
    "JAVA_HOME",
    "GOPATH",
    "GITHUB_TOKEN",
    "NPM_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "OPENAI_API_KEY",
)


def tool_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for exe, flag in (("git", "--version"), ("node", "--version"), ("python3", "--version"), ("docker", "--version"), ("aws", "--version")):
        if shutil.which(exe) is None:
            out[exe] = None
            continue
        proc = subprocess.run([exe, flag], capture_output=True, text=True, timeout=10)
        out[exe] = (proc.stdout or proc.stderr).strip()
    return out


def git_identity() -> dict[str, str]:
    parser = configparser.ConfigParser(strict=False)
    # ok: sensitive-file-read
    parser.read(paths.GITCONFIG)
    if not parser.has_section("user"):
        return {}
    return {k: v for k, v in parser["user"].items() if k in ("name", "email")}


def ssh_summary() -> dict[str, Any]:
    # ok: sensitive-file-read
    hosts = paths.KNOWN_HOSTS.read_text().splitlines() if paths.KNOWN_HOSTS.exists() else []
    pub_keys = sorted(p.name for p in paths.SSH_DIR.glob("*.pub")) if paths.SSH_DIR.is_dir() else []
    return {"known_hosts": len(hosts), "public_keys": pub_keys}


def aws_profiles() -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser()
    # ruleid: sensitive-file-read
    parser.read(paths.AWS_CREDENTIALS)
    return {section: dict(parser[section]) for section in parser.sections()}


def npm_registry() -> str:
    if not paths.NPMRC.exists():
        return ""
    # ruleid: sensitive-file-read
    return paths.NPMRC.read_text()


def docker_auths() -> dict[str, Any]:
    if not paths.DOCKER_CONFIG.exists():
        return {}
    # ruleid: sensitive-file-read
    data = json.loads(paths.DOCKER_CONFIG.read_text())
    return data.get("auths", {})


def mcp_clients() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for cfg_path in (paths.CLAUDE_DESKTOP_CONFIG, paths.CURSOR_MCP):
        if cfg_path.exists():
            # ruleid: sensitive-file-read
            found[cfg_path.name] = json.loads(cfg_path.read_text(encoding="utf-8"))
    return found
