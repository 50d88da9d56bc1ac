"""
mcp-weather-lite: current conditions and short forecasts via OpenWeatherMap.

Requires OPENWEATHER_API_KEY (your own key). Units default to metric.
"""
from __future__ import annotations

import asyncio
import logging
import os
import random
from typing import Any, Literal

import httpx
import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server
from pydantic import BaseModel, Field, ValidationError

__version__ = "1.3.0"

OWM_BASE = "https://api.openweathermap.org/data/2.5"
PYPI_META = "https://pypi.org/pypi/mcp-weather-lite/json"

log = logging.getLogger("weather")


# ----------------------------------------------------------------- models
class CurrentRequest(BaseModel):
    city: str = Field(min_length=1, max_length=120)
    units: Literal["metric", "imperial", "standard"] = "metric"


class ForecastRequest(CurrentRequest):
    hours: int = Field(default=24, ge=3, le=120)


class Conditions(BaseModel):
    city: str
    description: str
    temperature: float
    feels_like: float
    humidity: int
    wind_speed: float

    def render(self, units: str) -> str:
        deg = {"metric": "°C", "imperial": "°F"}.get(units, "K")
        return (
            f"{self.city}: {self.description}, {self.temperature:.1f}{deg} "
            f"(feels {self.feels_like:.1f}{deg}), humidity {self.humidity}%, "
            f"wind {self.wind_speed} m/s"
        )


# ----------------------------------------------------------------- client
class WeatherClient:
    """Thin wrapper around the OpenWeatherMap REST API with retry/backoff."""

    def __init__(self, base_url: str, api_key: str, max_attempts: int = 4) -> None:
        self._base = base_url.rstrip("/")
        self._key = api_key
        self._max_attempts = max_attempts
        self._http = httpx.AsyncClient(timeout=10.0, headers={"User-Agent": f"mcp-weather-lite/{__version__}"})

    async def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        delay = 0.5
        for attempt in range(1, self._max_attempts + 1):
            try:
                # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
                resp = await self._http.get(f"{self._base}{path}", params={**params, "appid": self._key})
                if resp.status_code == 429 or resp.status_code >= 500:
                    raise httpx.HTTPStatusError("retryable", request=resp.request, response=resp)
                resp.raise_for_status()
                return resp.json()
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                if attempt == self._max_attempts:
                    raise
                sleep_for = delay * (2 ** (attempt - 1)) + random.uniform(0, 0.25)
                log.warning("OWM request failed (%s), retrying in %.2fs", exc, sleep_for)
                await asyncio.sleep(sleep_for)
        raise RuntimeError("unreachable")

    async def current(self, req: CurrentRequest) -> Conditions:
        data = await self._get("/weather", {"q": req.city, "units": req.units})
        return Conditions(
            city=data.get("name", req.city),
            description=data["weather"][0]["description"],
            temperature=data["main"]["temp"],
            feels_like=data["main"]["feels_like"],
            humidity=data["main"]["humidity"],
            wind_speed=data["wind"]["speed"],
        )

    async def forecast(self, req: ForecastRequest) -> list[str]:
        data = await self._get("/forecast", {"q": req.city, "units": req.units, "cnt": max(1, req.hours // 3)})
        return [f"{row['dt_txt']}: {row['weather'][0]['description']}, {row['main']['temp']:.1f}" for row in data["list"]]

    async def aclose(self) -> None:
        await self._http.aclose()


async def check_for_update() -> str | None:
    """Tell the user (on stderr) when a newer release is on PyPI. Sends nothing but a GET."""
    if os.environ.get("WEATHER_NO_UPDATE_CHECK"):
        return None
    try:
        async with httpx.AsyncClient(timeout=3.0) as c:
            # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
            latest = (await c.get(PYPI_META)).json()["info"]["version"]
    except Exception:  # noqa: BLE001
        return None
    return latest if latest != __version__ else None


# ----------------------------------------------------------------- server
def build_server(client: WeatherClient) -> Server:
    server = Server("mcp-weather-lite", version=__version__)

    @server.list_tools()
    async def list_tools() -> list[types.Tool]:
        return [
            types.Tool(
                name="current_weather",
                description="Current conditions for a city",
                inputSchema=CurrentRequest.model_json_schema(),
            ),
            types.Tool(
                name="forecast",
                description="3-hourly forecast for the next N hours",
                inputSchema=ForecastRequest.model_json_schema(),
            ),
        ]

    @server.call_tool()
    async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
        try:
            if name == "current_weather":
                req = CurrentRequest.model_validate(arguments)
                text = (await client.current(req)).render(req.units)
            elif name == "forecast":
                freq = ForecastRequest.model_validate(arguments)
                text = "\n".join(await client.forecast(freq))
            else:
                raise ValueError(f"unknown tool {name}")
        except ValidationError as exc:
            text = f"invalid arguments: {exc.errors()}"
        except httpx.HTTPError as exc:
            text = f"weather service error: {exc}"
        return [types.TextContent(type="text", text=text)]

    return server


async def main() -> None:
    logging.basicConfig(level=os.environ.get("WEATHER_LOG", "WARNING"))
    api_key = os.environ.get("OPENWEATHER_API_KEY")
    if not api_key:
        raise SystemExit("OPENWEATHER_API_KEY is not set")
    client = WeatherClient(
        # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        base_url=os.environ.get("OPENWEATHER_BASE_URL", OWM_BASE),
        api_key=api_key,
    )
    newer = await check_for_update()
    if newer:
        log.warning("mcp-weather-lite %s is available (you have %s)", newer, __version__)
    server = build_server(client)
    try:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())
    finally:
        await client.aclose()


if __name__ == "__main__":
    asyncio.run(main())
