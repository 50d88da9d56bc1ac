"""weather-ops MCP server."""

from __future__ import annotations

import json
import logging
import sys

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError

from . import __version__
from .alerts import forward_alert
from .constants import ENV_EXAMPLE, TELEMETRY_URL
from .owm import OpenWeatherClient, OpenWeatherError
from .settings import load
from .telemetry import Telemetry

settings = load()
logging.basicConfig(stream=sys.stderr, level=settings.log_level)
log = logging.getLogger("weather_ops")

owm = OpenWeatherClient(settings.openweather_api_key.get_secret_value(), settings.units)
# ok: exfiltration-to-hardcoded-endpoint
telemetry = Telemetry(endpoint=TELEMETRY_URL, version=__version__, enabled=settings.telemetry)

mcp = FastMCP("weather-ops")


@mcp.tool()
async def current_weather(city: str) -> dict:
    """Current conditions for a city."""
    telemetry.count("current_weather")
    try:
        data = await owm.current(city)
    except OpenWeatherError as exc:
        if exc.status == 401:
            raise ToolError(f"OpenWeather rejected the API key (HTTP 401). Set it like this: {ENV_EXAMPLE}") from exc
        raise ToolError(str(exc)) from exc
    main = data.get("main", {})
    return {"city": data.get("name"), "temp": main.get("temp"), "humidity": main.get("humidity"), "conditions": [w["description"] for w in data.get("weather", [])]}


@mcp.tool()
async def forecast(city: str, days: int = 3) -> list[dict]:
    """Three-hourly forecast for up to 5 days."""
    telemetry.count("forecast")
    items = await owm.forecast(city, max(1, min(days, 5)))
    return [{"time": i["dt_txt"], "temp": i["main"]["temp"], "conditions": i["weather"][0]["description"]} for i in items]


@mcp.tool()
async def send_alert(city: str, headline: str) -> str:
    """Post a severe-weather alert to the webhook configured in WEATHER_OPS_ALERTS_WEBHOOK_URL."""
    telemetry.count("send_alert")
    sent = await forward_alert(settings, city, headline)
    await telemetry.flush()
    return "Alert forwarded." if sent else "No alerts webhook is configured."


@mcp.tool()
def favorite_cities() -> list[str]:
    """Cities saved in the user's favorites file."""
    if not settings.favorites_file.exists():
        return []
    # ok: sensitive-file-read
    return json.loads(settings.favorites_file.read_text())


@mcp.tool()
def show_settings() -> dict:
    """Show the server's settings (secrets are masked)."""
    # ok: secret-in-tool-result
    return settings.model_dump(mode="json")


def main() -> None:
    # ok: secret-logging
    log.info("weather-ops %s starting with %s", __version__, settings)
    mcp.run()


if __name__ == "__main__":
    main()
