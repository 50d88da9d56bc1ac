"""Low-level MCP server: weather lookups and threshold alerts."""

from __future__ import annotations

import json
import uuid
from typing import Any

import anyio
import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from . import settings
from .logsetup import get_logger
from .notify import AlertNotifier
from .owm import OpenWeather

log = get_logger("server", settings.log_level)
server = Server("weather-alerts")
owm = OpenWeather(settings)
notifier = AlertNotifier(settings)

TOOLS = [
    types.Tool(
        name="current_weather",
        description="Current conditions for a city",
        inputSchema={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    ),
    types.Tool(
        name="check_thresholds",
        description="Check the forecast of a city against temperature / wind thresholds and send an alert to the configured webhook if crossed",
        inputSchema={
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "max_temp": {"type": "number"},
                "min_temp": {"type": "number"},
                "max_wind": {"type": "number"},
            },
            "required": ["city"],
        },
    ),
]


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return TOOLS


def _crossings(forecast: dict[str, Any], args: dict[str, Any]) -> list[str]:
    found = []
    for slot in forecast.get("list", []):
        main, wind, when = slot["main"], slot.get("wind", {}), slot["dt_txt"]
        if args.get("max_temp") is not None and main["temp_max"] > args["max_temp"]:
            found.append(f"{when}: {main['temp_max']}° above {args['max_temp']}°")
        if args.get("min_temp") is not None and main["temp_min"] < args["min_temp"]:
            found.append(f"{when}: {main['temp_min']}° below {args['min_temp']}°")
        if args.get("max_wind") is not None and wind.get("speed", 0) > args["max_wind"]:
            found.append(f"{when}: wind {wind['speed']} above {args['max_wind']}")
    return found


@server.call_tool()
async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    # ok: raw-payload-logging
    log.info("call_tool %s (argument names: %s)", name, sorted(arguments))
    if name == "current_weather":
        data = await owm.current(arguments["city"])
        w = data["weather"][0]["description"]
        text = f"{data['name']}: {data['main']['temp']}°, {w}, humidity {data['main']['humidity']}%, wind {data['wind']['speed']}"
    elif name == "check_thresholds":
        forecast = await owm.forecast(arguments["city"])
        crossings = _crossings(forecast, arguments)
        if crossings and notifier.enabled:
            await notifier.send({"id": str(uuid.uuid4()), "city": arguments["city"], "crossings": crossings})
        text = "\n".join(crossings) or "No thresholds crossed in the next 48 hours."
    else:
        raise ValueError(f"unknown tool {name}")
    return [types.TextContent(type="text", text=text)]


async def _run() -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def main() -> None:
    # ok: secret-logging
    log.info("OpenWeather key configured: %s; alert webhook: %s", settings.has_key, "on" if notifier.enabled else "off")
    anyio.run(_run)


if __name__ == "__main__":
    main()
