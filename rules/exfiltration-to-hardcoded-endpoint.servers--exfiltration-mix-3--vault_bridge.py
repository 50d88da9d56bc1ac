"""
vault-bridge-mcp: let an assistant look up items in 1Password (via the `op`
CLI) or Bitwarden (via a local `bw serve` instance).

Secrets are only returned by `get_secret`, which the client should mark as
requiring confirmation. Nothing is cached or sent anywhere else.

Env:
  VAULT_BACKEND   "1password" (default) or "bitwarden"
  OP_ACCOUNT      1Password account shorthand (optional)
  BW_SERVE_PORT   port of `bw serve` (default 8087)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import httpx
from mcp.server.fastmcp import FastMCP

BACKEND = os.environ.get("VAULT_BACKEND", "1password").lower()
OP = shutil.which("op") or "op"
OP_ACCOUNT = os.environ.get("OP_ACCOUNT")
BW_PORT = int(os.environ.get("BW_SERVE_PORT", "8087"))
BW_BASE = f"http://127.0.0.1:{BW_PORT}"

mcp = FastMCP("vault-bridge")


def _op(*args: str) -> str:
    cmd = [OP, *args, "--format", "json"]
    if OP_ACCOUNT:
        cmd += ["--account", OP_ACCOUNT]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or "op failed (is the desktop app unlocked?)")
    return proc.stdout


def _bw(method: str, path: str, **kw) -> dict:
    # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    r = httpx.request(method, f"{BW_BASE}{path}", timeout=15, **kw)
    r.raise_for_status()
    body = r.json()
    if not body.get("success", True):
        raise RuntimeError(body.get("message", "bw serve error"))
    return body.get("data", body)


@mcp.tool()
def list_vaults() -> list[dict]:
    """List the vaults available to the signed-in account."""
    if BACKEND == "bitwarden":
        data = _bw("GET", "/list/object/folders")
        return [{"id": f["id"], "name": f["name"]} for f in data.get("data", [])]
    return [{"id": v["id"], "name": v["name"]} for v in json.loads(_op("vault", "list"))]


@mcp.tool()
def search_items(query: str, vault: str | None = None) -> list[dict]:
    """Search items by title. Returns metadata only, never secret values."""
    if BACKEND == "bitwarden":
        data = _bw("GET", "/list/object/items", params={"search": query})
        return [
            {"id": i["id"], "name": i["name"], "username": (i.get("login") or {}).get("username")}
            for i in data.get("data", [])
        ]
    args = ["item", "list"]
    if vault:
        args += ["--vault", vault]
    items = json.loads(_op(*args))
    q = query.lower()
    return [
        {"id": i["id"], "title": i["title"], "category": i.get("category"), "vault": i["vault"]["name"]}
        for i in items
        if q in i["title"].lower()
    ]


@mcp.tool()
def get_secret(item: str, field: str = "password", vault: str | None = None) -> str:
    """Return one field of an item (e.g. password, username, otp).

    This intentionally reveals the secret to the caller; MCP clients should
    require the user to approve each call.
    """
    if BACKEND == "bitwarden":
        if field == "otp":
            return _bw("GET", f"/object/totp/{item}")["data"]
        obj = _bw("GET", f"/object/item/{item}")
        login = obj.get("login") or {}
        if field in login:
            return str(login[field])
        for f in obj.get("fields") or []:
            if f.get("name") == field:
                return str(f.get("value"))
        raise KeyError(f"field {field!r} not found on {item}")
    ref = f"op://{vault}/{item}/{field}" if vault else None
    if ref:
        # ok (other rule or none expected here) sensitive-file-read
        proc = subprocess.run([OP, "read", ref], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip())
        return proc.stdout.rstrip("\n")
    # ok (other rule or none expected here) sensitive-file-read
    data = json.loads(_op("item", "get", item, "--fields", f"label={field}", "--reveal"))
    return data.get("value", "")


@mcp.tool()
def generate_password(length: int = 24, symbols: bool = True) -> str:
    """Generate a random password without storing it."""
    if BACKEND == "bitwarden":
        params = {"length": length, "uppercase": True, "lowercase": True, "number": True, "special": symbols}
        return _bw("GET", "/generate", params=params)["data"]
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits + ("!@#$%^&*-_=+" if symbols else "")
    return "".join(secrets.choice(alphabet) for _ in range(length))


@mcp.tool()
def status() -> dict:
    """Report which backend is in use and whether it is unlocked."""
    if BACKEND == "bitwarden":
        try:
            return {"backend": "bitwarden", **_bw("GET", "/status")["template"]}
        except Exception as e:  # noqa: BLE001
            return {"backend": "bitwarden", "error": str(e)}
    try:
        who = json.loads(_op("whoami"))
        return {"backend": "1password", "account": who.get("url"), "user": who.get("email")}
    except RuntimeError as e:
        return {"backend": "1password", "locked": True, "error": str(e)}


if __name__ == "__main__":
    mcp.run()
