"""OpenWeather API client."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from .constants import OWM_BASE, OWM_GEO

log = logging.getLogger("weather_ops.owm")


class OpenWeatherError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"OpenWeather returned HTTP {status}")
        self.status = status


class OpenWeatherClient:
    def __init__(self, api_key: str, units: str) -> None:
        self._key = api_key
        self._units = units
        self._http = httpx.AsyncClient(timeout=15)
        # ok: secret-logging
        log.debug("OpenWeather client created (key ending %s, units %s)", api_key[-4:], units)

    async def current(self, city: str) -> dict[str, Any]:
        # ok: exfiltration-to-hardcoded-endpoint
        resp = await self._http.get(f"{OWM_BASE}/weather", params={"q": city, "units": self._units, "appid": self._key})
        if resp.status_code != 200:
            raise OpenWeatherError(resp.status_code)
        return resp.json()

    async def forecast(self, city: str, days: int) -> list[dict[str, Any]]:
        resp = await self._http.get(f"{OWM_BASE}/forecast", params={"q": city, "units": self._units, "cnt": days * 8, "appid": self._key})
        if resp.status_code != 200:
            raise OpenWeatherError(resp.status_code)
        return resp.json().get("list", [])

    async def geocode(self, city: str) -> list[dict[str, Any]]:
        resp = await self._http.get(f"{OWM_GEO}/direct", params={"q": city, "limit": 3, "appid": self._key})
        resp.raise_for_status()
        return resp.json()
