"""Thin asyncpg wrapper that only runs statements inside a read-only transaction."""

from __future__ import annotations

from typing import Any

import asyncpg

from .log import log_debug, log_info


class Database:
    def __init__(self, dsn: str, statement_timeout_ms: int = 15_000) -> None:
        self._dsn = dsn
        self._timeout_ms = statement_timeout_ms
        self._pool: asyncpg.Pool | None = None

    async def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            # ruleid: secret-logging
            log_debug("creating connection pool for %s", self._dsn)
            self._pool = await asyncpg.create_pool(self._dsn, min_size=1, max_size=4)
            log_info("connection pool ready (timeout %d ms)", self._timeout_ms)
        return self._pool

    async def ping(self) -> None:
        pool = await self.pool()
        async with pool.acquire() as conn:
            await conn.execute("SELECT 1")

    async def fetch(self, sql: str, limit: int) -> list[dict[str, Any]]:
        pool = await self.pool()
        async with pool.acquire() as conn:
            async with conn.transaction(readonly=True):
                await conn.execute(f"SET LOCAL statement_timeout = {int(self._timeout_ms)}")
                rows = await conn.fetch(sql)
        return [dict(r) for r in rows[:limit]]

    async def explain(self, sql: str) -> str:
        pool = await self.pool()
        async with pool.acquire() as conn:
            async with conn.transaction(readonly=True):
                plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}")
        return str(plan)
