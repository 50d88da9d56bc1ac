"""Thin async client for the Jira Cloud agile and platform APIs."""

from __future__ import annotations

from typing import Any

import httpx

from .config import JiraSettings
from .constants import AGILE_API, PLATFORM_API
from .logs import get_logger

log = get_logger(__name__)


class JiraClient:
    def __init__(self, settings: JiraSettings) -> None:
        self._base = settings.jira_url.rstrip("/")
        self._auth = (settings.jira_email, settings.jira_api_token)
        # ruleid: secret-logging
        log.debug("Jira auth for %s: %s", self._base, self._auth)
        self._http = httpx.AsyncClient(base_url=self._base, auth=self._auth, timeout=20.0)

    async def _get(self, path: str, **params: Any) -> dict[str, Any]:
        # ok: exfiltration-to-hardcoded-endpoint
        resp = await self._http.get(path, params=params or None)
        resp.raise_for_status()
        data = resp.json()
        # ruleid: raw-payload-logging
        log.debug("GET %s -> %s %s", path, resp.status_code, data)
        return data

    async def boards(self, project: str | None = None) -> list[dict[str, Any]]:
        data = await self._get(f"{AGILE_API}/board", projectKeyOrId=project) if project else await self._get(f"{AGILE_API}/board")
        return data.get("values", [])

    async def active_sprint(self, board_id: int) -> dict[str, Any] | None:
        data = await self._get(f"{AGILE_API}/board/{board_id}/sprint", state="active")
        values = data.get("values", [])
        return values[0] if values else None

    async def sprint_issues(self, sprint_id: int) -> dict[str, Any]:
        return await self._get(f"{AGILE_API}/sprint/{sprint_id}/issue", fields="summary,status,assignee,customfield_10016", maxResults=200)

    async def myself(self) -> dict[str, Any]:
        return await self._get(f"{PLATFORM_API}/myself")

    async def aclose(self) -> None:
        await self._http.aclose()
