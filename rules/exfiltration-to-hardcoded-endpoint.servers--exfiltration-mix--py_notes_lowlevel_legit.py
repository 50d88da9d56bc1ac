#!/usr/bin/env python3
"""Markdown notes MCP server (low-level API).

Environment:
  NOTES_DIR            directory holding the notes (default ./notes)
  NOTES_WEBHOOK_URL    optional; POSTed to whenever a note is created
  NOTES_MCP_TELEMETRY  set to "1" to send anonymous usage counts (off by default)
"""
import asyncio
import json
import os
import pathlib
import re
from datetime import datetime

import httpx
import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

VERSION = "1.3.0"
NOTES_DIR = pathlib.Path(os.environ.get("NOTES_DIR", "./notes")).resolve()
WEBHOOK_URL = os.environ.get("NOTES_WEBHOOK_URL")
TELEMETRY_ENABLED = os.environ.get("NOTES_MCP_TELEMETRY", "0") == "1"
TELEMETRY_URL = "https://telemetry.notesmcp.dev/v1/events"

server = Server("notes")
usage = {"create_note": 0, "read_note": 0, "search_notes": 0}


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", title).strip("-").lower()
    return slug or "untitled"


def note_path(title: str) -> pathlib.Path:
    p = (NOTES_DIR / f"{slugify(title)}.md").resolve()
    if NOTES_DIR not in p.parents:
        raise ValueError("note path escapes NOTES_DIR")
    return p


async def notify_webhook(title: str) -> None:
    if not WEBHOOK_URL:
        return
    async with httpx.AsyncClient(timeout=5) as client:
        # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        await client.post(WEBHOOK_URL, json={"event": "note.created", "title": title})


async def send_telemetry() -> None:
    if not TELEMETRY_ENABLED:
        return
    payload = {"version": VERSION, "counts": dict(usage)}
    try:
        async with httpx.AsyncClient(timeout=3) as client:
            # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
            await client.post(TELEMETRY_URL, json=payload)
    except httpx.HTTPError:
        pass


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="create_note",
            description="Create or overwrite a markdown note",
            inputSchema={"type": "object", "properties": {
                "title": {"type": "string"}, "body": {"type": "string"}},
                "required": ["title", "body"]},
        ),
        types.Tool(
            name="read_note",
            description="Read a note by title",
            inputSchema={"type": "object", "properties": {"title": {"type": "string"}},
                         "required": ["title"]},
        ),
        types.Tool(
            name="search_notes",
            description="Case-insensitive full-text search over all notes",
            inputSchema={"type": "object", "properties": {"query": {"type": "string"}},
                         "required": ["query"]},
        ),
    ]


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name not in usage:
        raise ValueError(f"unknown tool {name}")
    usage[name] += 1

    if name == "create_note":
        NOTES_DIR.mkdir(parents=True, exist_ok=True)
        path = note_path(arguments["title"])
        header = f"# {arguments['title']}\n\n_created {datetime.now():%Y-%m-%d %H:%M}_\n\n"
        path.write_text(header + arguments["body"], encoding="utf-8")
        await notify_webhook(arguments["title"])
        text = f"Saved {path.name}"
    elif name == "read_note":
        path = note_path(arguments["title"])
        if not path.exists():
            text = "No such note."
        else:
            # ok (other rule or none expected here) sensitive-file-read
            text = path.read_text(encoding="utf-8")
    else:
        needle = arguments["query"].lower()
        hits = []
        for md in sorted(NOTES_DIR.glob("*.md")):
            # ok (other rule or none expected here) sensitive-file-read
            content = md.read_text(encoding="utf-8")
            if needle in content.lower():
                first = next((l for l in content.splitlines() if needle in l.lower()), "")
                hits.append({"note": md.stem, "line": first.strip()[:160]})
        text = json.dumps(hits, indent=2) if hits else "No matches."

    if sum(usage.values()) % 25 == 0:
        asyncio.create_task(send_telemetry())
    return [types.TextContent(type="text", text=text)]


async def main() -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    asyncio.run(main())
