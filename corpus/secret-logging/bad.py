"""MCP servers (Python) that print their credentials: API keys from the environment and
from settings objects, values built from them, incoming Authorization / Cookie / API-key
headers, the Authorization header built for an upstream call, the whole environment,
and a hard-coded fallback key. Debug logs end up in files, log shippers and bug reports.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from dataclasses import dataclass

import httpx
import structlog
from aiohttp import web
from loguru import logger
from mcp.server.fastmcp import Context, FastMCP
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request
from starlette.responses import JSONResponse

logging.basicConfig(level=logging.DEBUG)
log = logging.getLogger("payments-mcp")
slog = structlog.get_logger()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_")

    api_key: str
    region: str = "eu-west-1"
    timeout: float = 10.0


@dataclass
class NotionConfig:
    token: str
    workspace: str


settings = Settings()
notion_config = NotionConfig(token=os.environ["NOTION_TOKEN"], workspace=os.environ.get("NOTION_WORKSPACE", "main"))

OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
DATABASE_URL = os.environ["DATABASE_URL"]
SLACK_BOT_TOKEN = os.environ.get("SLACK_BOT_TOKEN", "")
FALLBACK_STRIPE_KEY = "sk_test_kHrDKbbgejTiMU3y2dXD3yTQ"

# ruleid: secret-logging
log.debug("Stripe key: %s", os.environ["STRIPE_SECRET_KEY"])
# ruleid: secret-logging
log.info("Loaded settings: %s", settings)
# ruleid: secret-logging
log.debug("settings.api_key=%s", settings.api_key)
# ruleid: secret-logging
sys.stderr.write("connecting to " + DATABASE_URL + "\n")
# ruleid: secret-logging
logger.info("Slack bot token {}", SLACK_BOT_TOKEN)
# ruleid: secret-logging
slog.info("openai_client_init", model="gpt-4o-mini", api_key=OPENAI_API_KEY)

if os.environ.get("MCP_DEBUG"):
    # ruleid: secret-logging
    print("environment:", dict(os.environ), file=sys.stderr)
    # ruleid: secret-logging
    logging.debug(os.environ)

mcp = FastMCP("payments")


@mcp.tool()
async def get_weather(city: str, ctx: Context) -> str:
    """Current weather for a city."""
    api_key = os.getenv("OPENWEATHER_API_KEY")
    # ruleid: secret-logging
    log.info(f"using OpenWeather key {api_key}")
    url = "https://api.openweathermap.org/data/2.5/weather?q={}&appid={}".format(city, api_key)
    # ruleid: secret-logging
    await ctx.debug(f"GET {url}")
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.get(url)
    return resp.text


@mcp.tool()
async def list_repos(org: str) -> list[str]:
    """Repositories of a GitHub organisation."""
    token = os.environ["GITHUB_TOKEN"]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"}
    # ruleid: secret-logging
    log.debug("GitHub request headers: %s", headers)
    async with httpx.AsyncClient(base_url="https://api.github.com", headers=headers) as client:
        resp = await client.get(f"/orgs/{org}/repos")
    if resp.status_code == 401:
        # ruleid: secret-logging
        log.warning("GitHub rejected token {}".format(token))
    return [r["full_name"] for r in resp.json()]


@mcp.tool()
async def search_pages(query: str, ctx: Context) -> str:
    """Search the Notion workspace."""
    # ruleid: secret-logging
    await ctx.info(f"calling Notion with {notion_config.token}")
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.post(
            "https://api.notion.com/v1/search",
            json={"query": query},
            headers={"Authorization": f"Bearer {notion_config.token}", "Notion-Version": "2022-06-28"},
        )
    return resp.text


@mcp.tool()
def charge(customer_id: str, amount_cents: int) -> str:
    """Charge a customer through the payments API."""
    key = settings.api_key or FALLBACK_STRIPE_KEY
    if not settings.api_key:
        # ruleid: secret-logging
        log.warning("PAYMENTS_API_KEY missing, falling back to %s", FALLBACK_STRIPE_KEY)
    try:
        resp = httpx.post(
            "https://api.stripe.com/v1/payment_intents",
            auth=(key, ""),
            data={"customer": customer_id, "amount": amount_cents, "currency": "eur"},
            timeout=settings.timeout,
        )
        resp.raise_for_status()
    except httpx.HTTPStatusError:
        # ruleid: secret-logging
        log.exception("charge failed with key %s", key)
        raise
    if settings.api_key.startswith("sk_test_"):
        # ruleid: secret-logging
        warnings.warn(f"running with a test key: {settings.api_key}", RuntimeWarning, stacklevel=2)
    return resp.json()["id"]


async def webhook(request: Request) -> JSONResponse:
    """Starlette endpoint that receives payment events."""
    auth = request.headers.get("Authorization")
    # ruleid: secret-logging
    log.info("webhook auth header: %s", auth)
    # ruleid: secret-logging
    print(f"client key {request.headers['X-Api-Key']}")
    log.debug(
        "webhook from %s with signature %s",
        request.client.host if request.client else "?",
        # ruleid: secret-logging
        request.headers["X-Payments-Token"],
    )
    return JSONResponse({"received": True})


async def aiohttp_handler(request: web.Request) -> web.Response:
    # ruleid: secret-logging
    logging.info("session cookie: %s", request.headers.get("Cookie"))
    return web.json_response({"ok": True})


# Credentials obtained at run time: fields named like one, taken at their name's word (a warning).
async def refresh_session(client: httpx.AsyncClient, refresh: str) -> str:
    token_response = (await client.post("https://oauth2.example.org/token", data={"refresh_token": refresh})).json()
    # ruleid: secret-logging
    log.debug("new access token: %s", token_response["access_token"])
    return token_response["access_token"]


def describe_credentials(creds) -> None:
    # ruleid: secret-logging
    log.info(f"loaded credentials, refresh token {creds.refresh_token}")


# A value put into a URL after `&key=`: a credential by the query parameter it fills.
def fetch_forecast(city: str, k: str) -> str:
    url = f"https://api.weather.example/v1/forecast?city={city}&key={k}"
    # ruleid: secret-logging
    log.info("GET %s", url)
    return httpx.get(url, timeout=10).text


# More than a short prefix of a key leaks part of it (a warning).
def announce_key() -> None:
    key = os.environ["PAYMENTS_API_KEY"]
    # ruleid: secret-logging
    log.info("using key %s", key[:12])
    # ruleid: secret-logging
    log.info("key tail %s", key[-10:])


# A helper of this file that reads the environment is an environment read.
def get_env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def show_webhook_secret() -> None:
    # ruleid: secret-logging
    log.debug("webhook secret: %s", get_env("PAYMENTS_WEBHOOK_SECRET"))


# A whole map of request headers carries the Authorization header (a warning: known by its name).
class IssuesApi:
    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def get(self, path: str) -> httpx.Response:
        # ruleid: secret-logging
        log.debug("GET %s with headers %s", path, self.headers)
        return httpx.get(f"https://issues.example.org{path}", headers=self.headers, timeout=10)


# A copy of part of the environment, by iterating its names, holds whatever secrets match.
def dump_db_settings() -> None:
    db_env = {k: os.environ[k] for k in os.environ if "_DB_" in k}
    # ruleid: secret-logging
    log.debug("database settings: %s", db_env)
