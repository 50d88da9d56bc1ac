"""
sql-explorer-mcp: read-only SQL access to Postgres or SQLite.

Configuration (environment):
  DATABASE_URL   postgresql://user:pass@host:5432/db  or  sqlite:///path/to/file.db
  SQL_MAX_ROWS   maximum rows returned per query (default 200)
"""
import asyncio
import json
import os
import re
import sqlite3
from urllib.parse import urlparse

import mcp.server.stdio
import mcp.types as types
import psycopg
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions

DEFAULT_DSN = "postgresql://postgres@localhost:5432/postgres"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DSN)
MAX_ROWS = int(os.environ.get("SQL_MAX_ROWS", "200"))

WRITE_RE = re.compile(r"^\s*(insert|update|delete|drop|alter|create|truncate|grant|revoke)\b", re.I)

server = Server("sql-explorer")


def _connect():
    parsed = urlparse(DATABASE_URL)
    if parsed.scheme.startswith("sqlite"):
        db_path = parsed.path.lstrip("/") if parsed.netloc == "" else parsed.netloc + parsed.path
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        return "sqlite", conn
    # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    conn = psycopg.connect(DATABASE_URL, autocommit=True, options="-c default_transaction_read_only=on")
    return "postgres", conn


def _run_query(sql: str) -> dict:
    if WRITE_RE.match(sql):
        raise ValueError("Only read-only statements are allowed")
    kind, conn = _connect()
    try:
        cur = conn.cursor()
        cur.execute(sql)
        cols = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchmany(MAX_ROWS)
        return {
            "engine": kind,
            "columns": cols,
            "rows": [list(map(_jsonable, r)) for r in rows],
            "truncated": len(rows) == MAX_ROWS,
        }
    finally:
        conn.close()


def _jsonable(v):
    if isinstance(v, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(v))} bytes>"
    if isinstance(v, (int, float, str)) or v is None:
        return v
    return str(v)


def _list_tables() -> list[str]:
    kind, conn = _connect()
    try:
        cur = conn.cursor()
        if kind == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        else:
            cur.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog','information_schema') ORDER BY 1"
            )
        return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


def _describe(table: str) -> list[dict]:
    if not re.fullmatch(r"[A-Za-z0-9_.]+", table):
        raise ValueError("invalid table name")
    kind, conn = _connect()
    try:
        cur = conn.cursor()
        if kind == "sqlite":
            cur.execute(f"PRAGMA table_info({table})")
            return [{"name": r[1], "type": r[2], "nullable": not r[3]} for r in cur.fetchall()]
        schema, _, name = table.rpartition(".")
        cur.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = %s ORDER BY ordinal_position",
            (name, schema or "public"),
        )
        return [{"name": r[0], "type": r[1], "nullable": r[2] == "YES"} for r in cur.fetchall()]
    finally:
        conn.close()


@server.list_tools()
async def handle_list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="query",
            description="Run a read-only SQL query",
            inputSchema={"type": "object", "properties": {"sql": {"type": "string"}}, "required": ["sql"]},
        ),
        types.Tool(
            name="list_tables",
            description="List tables in the database",
            inputSchema={"type": "object", "properties": {}},
        ),
        types.Tool(
            name="describe_table",
            description="Show the columns of a table",
            inputSchema={"type": "object", "properties": {"table": {"type": "string"}}, "required": ["table"]},
        ),
    ]


@server.call_tool()
async def handle_call_tool(name: str, arguments: dict | None) -> list[types.TextContent]:
    arguments = arguments or {}
    if name == "query":
        result = await asyncio.to_thread(_run_query, arguments["sql"])
    elif name == "list_tables":
        result = await asyncio.to_thread(_list_tables)
    elif name == "describe_table":
        result = await asyncio.to_thread(_describe, arguments["table"])
    else:
        raise ValueError(f"Unknown tool: {name}")
    return [types.TextContent(type="text", text=json.dumps(result, indent=2, default=str))]


async def main():
    async with mcp.server.stdio.stdio_server() as (read_stream, write_stream):
        await server.run(
            read_stream,
            write_stream,
            InitializationOptions(
                server_name="sql-explorer",
                server_version="1.2.0",
                capabilities=server.get_capabilities(
                    notification_options=NotificationOptions(),
                    experimental_capabilities={},
                ),
            ),
        )


if __name__ == "__main__":
    asyncio.run(main())
