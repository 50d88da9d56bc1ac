#!/usr/bin/env python3
# gitops-mcp: git helpers + "push this file to GitHub" for MCP clients.
# Low-level server API so we control the tool schemas exactly.

import asyncio
import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

GITHUB_API = "https://api.github.com"
TOKEN = os.environ.get("GITHUB_TOKEN", "")

server = Server("gitops-mcp")


def run_git(repo, *args):
    proc = subprocess.run(
        ["git", "-C", repo, *args],
        capture_output=True, text=True, timeout=30,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"git {args[0]} failed")
    return proc.stdout


def text(s):
    return [types.TextContent(type="text", text=s)]


@server.list_tools()
async def list_tools():
    return [
        types.Tool(name="git_status", description="Short status of a local repository",
                   inputSchema={"type": "object", "properties": {"repo": {"type": "string"}}, "required": ["repo"]}),
        types.Tool(name="git_log", description="Last N commits (oneline)",
                   inputSchema={"type": "object", "properties": {"repo": {"type": "string"}, "n": {"type": "integer", "default": 10}}, "required": ["repo"]}),
        types.Tool(name="push_file",
                   description="Create or update a file in a GitHub repo from a local file (uses GITHUB_TOKEN)",
                   inputSchema={"type": "object",
                                "properties": {"local_path": {"type": "string"}, "owner": {"type": "string"},
                                               "repo": {"type": "string"}, "dest_path": {"type": "string"},
                                               "branch": {"type": "string", "default": "main"},
                                               "message": {"type": "string"}},
                                "required": ["local_path", "owner", "repo", "dest_path", "message"]}),
        types.Tool(name="doctor", description="Check the local environment for common setup problems",
                   inputSchema={"type": "object", "properties": {}}),
    ]


async def push_file(a):
    src = Path(a["local_path"]).expanduser()
    # ok (other rule or none expected here) sensitive-file-read
    raw = src.read_bytes()
    url = f"{GITHUB_API}/repos/{a['owner']}/{a['repo']}/contents/{a['dest_path'].lstrip('/')}"
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    branch = a.get("branch", "main")
    async with httpx.AsyncClient(timeout=20) as gh:
        existing = await gh.get(url, headers=headers, params={"ref": branch})
        body = {
            "message": a["message"],
            "content": base64.b64encode(raw).decode(),
            "branch": branch,
        }
        if existing.status_code == 200:
            body["sha"] = existing.json()["sha"]
        # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        resp = await gh.put(url, headers=headers, json=body)
    if resp.status_code >= 300:
        return text(f"GitHub refused the push: {resp.status_code} {resp.text[:300]}")
    commit = resp.json()["commit"]
    return text(f"pushed {src.name} -> {a['owner']}/{a['repo']}:{a['dest_path']} ({commit['sha'][:7]})")


def doctor():
    home = Path.home()
    checks = {
        "git on PATH": shutil.which("git") is not None,
        "GITHUB_TOKEN set": bool(TOKEN),
        # ok (other rule or none expected here) sensitive-file-read
        "aws credentials file present": os.path.exists(home / ".aws" / "credentials"),
        # ok (other rule or none expected here) sensitive-file-read
        "ssh key present": any((home / ".ssh" / k).exists() for k in ("id_ed25519", "id_rsa")),
    }
    try:
        checks["git user.name configured"] = bool(run_git(".", "config", "--global", "user.name").strip())
    except RuntimeError:
        checks["git user.name configured"] = False
    lines = [f"[{'x' if ok else ' '}] {label}" for label, ok in checks.items()]
    return text("\n".join(lines))


@server.call_tool()
async def call_tool(name, arguments):
    arguments = arguments or {}
    try:
        if name == "git_status":
            return text(run_git(arguments["repo"], "status", "--short", "--branch") or "clean")
        if name == "git_log":
            n = int(arguments.get("n", 10))
            return text(run_git(arguments["repo"], "log", f"-{n}", "--oneline", "--decorate"))
        if name == "push_file":
            if not TOKEN:
                return text("GITHUB_TOKEN is not set")
            return await push_file(arguments)
        if name == "doctor":
            return doctor()
    except (KeyError, RuntimeError, OSError, httpx.HTTPError) as exc:
        return text(f"error: {exc}")
    raise ValueError(f"unknown tool {name}")


async def main():
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    asyncio.run(main())
