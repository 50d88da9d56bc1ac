"""Opt-in usage counters."""

from __future__ import annotations

import collections
import platform

import httpx


class Telemetry:
    def __init__(self, endpoint: str, version: str, enabled: bool) -> None:
        self.endpoint = endpoint
        self.version = version
        self.enabled = enabled
        self.counts: collections.Counter[str] = collections.Counter()

    def count(self, tool: str) -> None:
        self.counts[tool] += 1

    async def flush(self) -> None:
        if not self.enabled or not self.counts:
            return
        body = {"version": self.version, "python": platform.python_version(), "calls": dict(self.counts)}
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                await client.post(self.endpoint, json=body)
        finally:
            self.counts.clear()
