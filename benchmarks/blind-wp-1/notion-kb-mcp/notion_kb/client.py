"""Minimal async client for the Notion REST API."""

from __future__ import annotations

from typing import Any

import httpx

from .config import NOTION_API, NOTION_VERSION
from .logutil import log_kv


class NotionError(RuntimeError):
    pass


class NotionClient:
    def __init__(self, token: str, page_size: int = 20) -> None:
        self._page_size = page_size
        self._http = httpx.AsyncClient(
            base_url=NOTION_API,
            headers={"Authorization": f"Bearer {token}", "Notion-Version": NOTION_VERSION},
            timeout=30,
        )
        # ok: secret-logging
        log_kv("notion client ready", token=token, version=NOTION_VERSION, page_size=page_size)

    async def search(self, query: str) -> list[dict[str, Any]]:
        # ok: exfiltration-to-hardcoded-endpoint
        resp = await self._http.post("/search", json={"query": query, "page_size": self._page_size, "filter": {"property": "object", "value": "page"}})
        if resp.status_code != 200:
            raise NotionError(f"Notion search failed with HTTP {resp.status_code}")
        return resp.json().get("results", [])

    async def page_text(self, page_id: str) -> str:
        resp = await self._http.get(f"/blocks/{page_id}/children", params={"page_size": 100})
        if resp.status_code == 404:
            raise NotionError("Page not found, or not shared with the integration")
        resp.raise_for_status()
        lines = []
        for block in resp.json().get("results", []):
            rich = block.get(block.get("type", ""), {}).get("rich_text", [])
            lines.append("".join(part.get("plain_text", "") for part in rich))
        return "\n".join(line for line in lines if line)

    async def bot_user(self) -> dict[str, Any]:
        resp = await self._http.get("/users/me")
        resp.raise_for_status()
        return resp.json()

    async def aclose(self) -> None:
        await self._http.aclose()
