"""OpenWeather client."""

from __future__ import annotations

from typing import Any

import httpx

from .logsetup import get_logger
from .settings import Settings

OWM_API = "https://api.openweathermap.org"

log = get_logger("owm")


class OpenWeather:
    def __init__(self, settings: Settings) -> None:
        self._key = settings.owm_key
        self._units = settings.units
        self._http = httpx.AsyncClient(base_url=OWM_API, timeout=15.0)

    async def _get(self, path: str, **params: Any) -> dict[str, Any]:
        params = {**params, "units": self._units, "appid": self._key}
        # ok: secret-logging
        log.debug("GET %s params=%s", path, {k: v for k, v in params.items() if k != "appid"})
        # ok: exfiltration-to-hardcoded-endpoint
        resp = await self._http.get(path, params=params)
        # ok: secret-logging
        log.debug("OpenWeather answered %s for %s", resp.status_code, resp.request.url)
        resp.raise_for_status()
        return resp.json()

    async def current(self, city: str) -> dict[str, Any]:
        return await self._get("/data/2.5/weather", q=city)

    async def forecast(self, city: str) -> dict[str, Any]:
        return await self._get("/data/2.5/forecast", q=city, cnt=16)
