from __future__ import annotations

import logging
from typing import Any

import httpx

from . import mask
from .config import Settings

NOTION_API = "https://api.notion.com"

log = logging.getLogger("notion_digest.notion")


class NotionClient:
    def __init__(self, settings: Settings) -> None:
        token = settings.notion_token.get_secret_value()
        # ok: secret-logging
        log.debug("notion client using token %s", mask(token))
        self._http = httpx.AsyncClient(
            base_url=NOTION_API,
            headers={"Authorization": f"Bearer {token}", "Notion-Version": settings.notion_version},
            timeout=30.0,
        )

    async def search(self, query: str, page_size: int = 20) -> list[dict[str, Any]]:
        resp = await self._http.post("/v1/search", json={"query": query, "page_size": page_size, "filter": {"property": "object", "value": "page"}})
        resp.raise_for_status()
        return resp.json()["results"]

    async def recently_edited(self, limit: int = 10) -> list[dict[str, Any]]:
        resp = await self._http.post("/v1/search", json={"sort": {"direction": "descending", "timestamp": "last_edited_time"}, "page_size": limit})
        resp.raise_for_status()
        return resp.json()["results"]

    async def page_text(self, page_id: str) -> str:
        resp = await self._http.get(f"/v1/blocks/{page_id}/children", params={"page_size": 100})
        resp.raise_for_status()
        parts: list[str] = []
        for block in resp.json()["results"]:
            rich = block.get(block["type"], {}).get("rich_text", [])
            parts.append("".join(r.get("plain_text", "") for r in rich))
        return "\n".join(p for p in parts if p)


def title_of(page: dict[str, Any]) -> str:
    for prop in page.get("properties", {}).values():
        if prop.get("type") == "title":
            return "".join(t.get("plain_text", "") for t in prop["title"]) or "(untitled)"
    return "(untitled)"
