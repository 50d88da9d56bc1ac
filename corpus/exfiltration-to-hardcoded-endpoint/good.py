"""Legitimate MCP servers (Python) that send data out with their own credentials: the
integration APIs they wrap (GitHub, Postmark, Slack, a weather API, OpenAI, an OAuth token
endpoint), destinations that come from the operator's configuration or the caller's
arguments, opt-in telemetry that sends only a version and a count, calls to a local
development server, and fixed URLs fetched with nothing sensitive attached.
"""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.parse
import urllib.request
from typing import Any

import httpx
import mcp.types as types
import requests
from mcp.server.fastmcp import FastMCP
from mcp.server.lowlevel import Server
from pydantic_settings import BaseSettings, SettingsConfigDict

__version__ = "0.9.3"

GITHUB_API = "https://api.github.com"
POSTMARK_URL = "https://api.postmarkapp.com/email"
DOCS_INDEX = "https://docs.northwind-app.com/mcp/index.json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_")

    endpoint: str = "https://hooks.northwind-app.com/notify"
    api_key: str = ""


settings = Settings()
mcp = FastMCP("integrations")
_calls = 0


def _gh_headers() -> dict[str, str]:
    return {
        "Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }


@mcp.tool()
def create_issue(owner: str, repo: str, title: str, body: str = "") -> str:
    """Open an issue in a GitHub repository."""
    # GitHub server: the tool's own API, the server's own token.
    resp = requests.post(
        # ok: exfiltration-to-hardcoded-endpoint
        f"{GITHUB_API}/repos/{owner}/{repo}/issues",
        headers=_gh_headers(),
        json={"title": title, "body": body},
        timeout=15,
    )
    resp.raise_for_status()
    return resp.json()["html_url"]


@mcp.tool()
def send_email(to: str, subject: str, text_body: str) -> str:
    """Send an email through Postmark."""
    resp = httpx.post(
        # ok: exfiltration-to-hardcoded-endpoint
        POSTMARK_URL,
        headers={"X-Postmark-Server-Token": os.environ["POSTMARK_SERVER_TOKEN"], "Accept": "application/json"},
        json={"From": os.environ["MAIL_FROM"], "To": to, "Subject": subject, "TextBody": text_body},
    )
    resp.raise_for_status()
    return f"sent, MessageID={resp.json()['MessageID']}"


@mcp.tool()
async def post_message(channel: str, text: str) -> str:
    """Post a message to a Slack channel."""
    async with httpx.AsyncClient(timeout=10) as client:
        # ok: exfiltration-to-hardcoded-endpoint
        r = await client.post("https://slack.com/api/chat.postMessage", headers={"Authorization": f"Bearer {os.environ['SLACK_BOT_TOKEN']}"}, json={"channel": channel, "text": text})
    data = r.json()
    return "posted" if data.get("ok") else f"slack error: {data.get('error')}"


@mcp.tool()
def current_weather(city: str) -> dict[str, Any]:
    """Current conditions for a city (weatherapi.com)."""
    key = os.getenv("WEATHER_API_KEY", "")
    q = urllib.parse.quote(city)
    # ok: exfiltration-to-hardcoded-endpoint
    with urllib.request.urlopen(f"https://api.weatherapi.com/v1/current.json?key={key}&q={q}", timeout=10) as resp:
        return json.load(resp)["current"]


@mcp.tool()
async def summarize(text: str, max_words: int = 80) -> str:
    """Summarise a text with an OpenAI model."""
    async with httpx.AsyncClient(timeout=60) as client:
        resp = await client.post(
            # ok: exfiltration-to-hardcoded-endpoint
            "https://api.openai.com/v1/chat/completions",
            headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
            json={
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": f"Summarise in at most {max_words} words:\n\n{text}"}],
            },
        )
    resp.raise_for_status()
    return resp.json()["choices"][0]["message"]["content"]


@mcp.tool()
def exchange_code(code: str, redirect_uri: str) -> str:
    """Finish the Google OAuth flow: trade an authorization code for tokens."""
    # OAuth: the client secret goes to the provider's own token endpoint.
    # ok: exfiltration-to-hardcoded-endpoint
    resp = requests.post("https://oauth2.googleapis.com/token", data={
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": os.environ["GOOGLE_CLIENT_ID"],
        "client_secret": os.environ["GOOGLE_CLIENT_SECRET"],
    }, timeout=10)
    resp.raise_for_status()
    return "connected; token stored for this session"


@mcp.tool()
def notify(event: str, details: dict[str, Any]) -> str:
    """Forward an event to the operator's notification webhook."""
    # The destination comes from configuration, not from the author.
    # ok: exfiltration-to-hardcoded-endpoint
    requests.post(os.environ["WEBHOOK_URL"], json={"event": event, "details": details}, timeout=5)
    # ok: exfiltration-to-hardcoded-endpoint
    httpx.post(settings.endpoint, headers={"X-Api-Key": settings.api_key}, json={"event": event})
    return "forwarded"


@mcp.tool()
def fetch_url(url: str, method: str = "GET", body: str | None = None) -> str:
    """Fetch a URL the caller chooses and return the response text."""
    # ok: exfiltration-to-hardcoded-endpoint
    r = requests.request(method, url, data=body, timeout=20)
    return r.text[:20_000]


def _maybe_report_usage() -> None:
    """Opt-in usage ping: the version and a call count, nothing else."""
    if os.environ.get("ACME_TELEMETRY") == "1":
        try:
            # ok: exfiltration-to-hardcoded-endpoint
            requests.post("https://telemetry.acme.dev/v1", json={"version": __version__, "calls": _calls}, timeout=2)
        except requests.RequestException:
            pass


@mcp.tool()
def search_docs(query: str) -> list[str]:
    """Search the product documentation titles."""
    global _calls
    _calls += 1
    _maybe_report_usage()
    # A fixed docs URL, fetched with nothing sensitive attached.
    # ok: exfiltration-to-hardcoded-endpoint
    index = httpx.get(DOCS_INDEX, timeout=10).json()
    return [p["title"] for p in index["pages"] if query.lower() in p["title"].lower()][:10]


@mcp.tool()
def debug_roundtrip(payload: dict[str, Any]) -> str:
    """Developer helper: echo a payload through the local dev API."""
    # Local development server, with an env secret and the arguments.
    resp = requests.post(
        # ok: exfiltration-to-hardcoded-endpoint
        "http://localhost:3000/api/echo",
        headers={"Authorization": f"Bearer {os.getenv('DEV_API_TOKEN', '')}"},
        json=payload,
        timeout=5,
    )
    return resp.text


@mcp.tool()
def heartbeat() -> str:
    """Tell the status page that this server is up."""
    # Only non-sensitive constants.
    # ok: exfiltration-to-hardcoded-endpoint
    requests.post("https://status.northwind-app.com/api/heartbeat", json={"service": "integrations-mcp", "status": "up"}, timeout=3)
    return "ok"


def _statsd_incr(metric: str) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # ok: exfiltration-to-hardcoded-endpoint
    sock.sendto(f"{metric}:1|c".encode(), ("127.0.0.1", 8125))
    sock.close()


# Low-level server whose backend URL comes from the environment with a local default.
server = Server("crm-bridge")
CRM_URL = os.environ.get("CRM_URL", "http://127.0.0.1:8080")


@server.call_tool()
async def call_tool(name: str, arguments: dict[str, Any]) -> list[types.TextContent]:
    started = time.monotonic()
    _statsd_incr(f"crm.tool.{name}")
    async with httpx.AsyncClient(timeout=15) as client:
        resp = await client.post(
            # ok: exfiltration-to-hardcoded-endpoint
            f"{CRM_URL}/tools/{name}",
            headers={"Authorization": f"Bearer {os.environ.get('CRM_API_KEY', '')}"},
            json=arguments,
        )
    took = (time.monotonic() - started) * 1000
    return [types.TextContent(type="text", text=f"{resp.text}\n({took:.0f} ms)")]


# An OpenAI-compatible client pointed at the provider whose key it is, or at a base URL the user
# configures.
def summarizer():
    from openai import OpenAI

    # ok: exfiltration-to-hardcoded-endpoint
    deepseek = OpenAI(api_key=os.environ["DEEPSEEK_API_KEY"], base_url="https://api.deepseek.com")
    # ok: exfiltration-to-hardcoded-endpoint
    custom = OpenAI(api_key=os.environ["OPENAI_API_KEY"], base_url=os.environ.get("OPENAI_BASE_URL"))
    return deepseek, custom


if __name__ == "__main__":
    mcp.run()
