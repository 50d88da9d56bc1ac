"""The payments MCP server again (Python), logging about its credentials without logging
them: env var names, whether a key is configured, lengths, hashes and masked prefixes,
non-secret settings and environment, and header names rather than header values.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import warnings

import httpx
import structlog
from mcp.server.fastmcp import Context, FastMCP
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request
from starlette.responses import JSONResponse

logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
log = logging.getLogger("payments-mcp")
slog = structlog.get_logger()

REQUIRED_ENV = ("PAYMENTS_API_KEY", "GITHUB_TOKEN", "DATABASE_URL")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_")

    api_key: SecretStr
    region: str = "eu-west-1"
    timeout: float = 10.0


def mask(value: str) -> str:
    """Show only the last four characters."""
    return "****" + value[-4:] if len(value) > 8 else "****"


settings = Settings()
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")

missing = [name for name in REQUIRED_ENV if not os.environ.get(name)]
if missing:
    # ok: secret-logging
    print("missing environment variables: " + ", ".join(missing), file=sys.stderr)
if not GITHUB_TOKEN:
    # ok: secret-logging
    log.error("GITHUB_TOKEN is not set; GitHub tools are disabled")
# ok: secret-logging
log.info("OpenAI API key configured: %s", bool(OPENAI_API_KEY))
# ok: secret-logging
log.info("Loaded settings: %s", settings)
# ok: secret-logging
log.info("payments region=%s timeout=%ss", settings.region, settings.timeout)
# ok: secret-logging
log.info("log level %s, listening on port %s", os.environ.get("LOG_LEVEL", "INFO"), os.getenv("PORT", "8000"))
# ok: secret-logging
slog.info("openai_client_init", model="gpt-4o-mini", has_key=OPENAI_API_KEY is not None)
# ok: secret-logging
warnings.warn("STRIPE_SECRET_KEY is deprecated; set PAYMENTS_API_KEY instead", DeprecationWarning, stacklevel=1)

mcp = FastMCP("payments")


@mcp.tool()
async def list_repos(org: str, ctx: Context) -> list[str]:
    """Repositories of a GitHub organisation."""
    headers = {"Authorization": f"Bearer {GITHUB_TOKEN}", "Accept": "application/vnd.github+json"}
    # ok: secret-logging
    log.debug("GitHub token length %d, sha256 %s", len(GITHUB_TOKEN), hashlib.sha256(GITHUB_TOKEN.encode()).hexdigest()[:8])
    # ok: secret-logging
    log.debug("using GitHub token %s…", GITHUB_TOKEN[:4])
    async with httpx.AsyncClient(base_url="https://api.github.com", headers=headers) as client:
        resp = await client.get(f"/orgs/{org}/repos")
    # ok: secret-logging
    await ctx.info(f"GitHub answered {resp.status_code} for org {org}")
    return [r["full_name"] for r in resp.json()]


@mcp.tool()
def charge(customer_id: str, amount_cents: int) -> str:
    """Charge a customer through the payments API."""
    key = settings.api_key.get_secret_value()
    # ok: secret-logging
    log.info("charging %s with key %s", customer_id, mask(key))
    resp = httpx.post(
        "https://api.stripe.com/v1/payment_intents",
        auth=(key, ""),
        data={"customer": customer_id, "amount": amount_cents, "currency": "eur"},
        timeout=settings.timeout,
    )
    # ok: secret-logging
    log.info("payments API status %s", resp.status_code)
    return resp.json()["id"]


async def webhook(request: Request) -> JSONResponse:
    """Starlette endpoint that receives payment events."""
    auth = request.headers.get("Authorization")
    # ok: secret-logging
    log.info("webhook authenticated: %s", auth is not None)
    # ok: secret-logging
    log.debug("webhook header names: %s", sorted(request.headers.keys()))
    # ok: secret-logging
    log.info("webhook user agent %s", request.headers.get("User-Agent"))
    return JSONResponse({"received": True})


# Shapes seen in real MCP servers: names that look secret, values that are not.
def _parse_phrases() -> list[str]:
    raw = os.getenv("HIERARCHY_LINK_PHRASES", "")
    out = []
    for token in raw.split(","):
        token = token.strip()
        if ":" not in token:
            # ok: secret-logging
            log.warning("ignoring malformed entry '%s'", token)
            continue
        out.append(token)
    return out


def _report_oauth(oauth_config) -> None:
    # ok: secret-logging
    log.error("token expired: %s", oauth_config.is_token_expired)
    # ok: secret-logging
    log.warning("credential storage: %s", os.getenv("MCP_EMAIL_SERVER_CREDENTIAL_STORAGE"))


# Values named after a token that are not one: what a token is about (the e-mail address read
# from an id_token) and protocol ids (an MCP progress token, a calendar sync token).
@mcp.tool()
async def whoami(ctx: Context, id_token_claims: dict) -> str:
    token_email = id_token_claims.get("email", "")
    # ok: secret-logging
    log.info("authenticated as %s", token_email)
    progress_token = ctx.request_context.meta.progressToken if ctx.request_context.meta else None
    # ok: secret-logging
    log.debug("progress token: %s", progress_token)
    sync_token = os.getenv("CALENDAR_SYNC_CURSOR", "")
    # ok: secret-logging
    log.debug("resuming calendar sync from %s", sync_token)
    return token_email


# A field named like a credential, stored under a name that says what it is (a pagination
# token), and a module constant holding a variable's *name* are not secrets.
def list_tables(pending_page_token) -> None:
    next_page_token = pending_page_token.token if pending_page_token else None
    # ok: secret-logging
    log.info("returned a page, next_page_token=%s", next_page_token)


class auth:  # noqa: N801 - stands in for a module of constants
    ENV_CLIENT_SECRET = "GMAIL_OAUTH_CLIENT_SECRET"


def explain_setup() -> None:
    # ok: secret-logging
    print(f"set {auth.ENV_CLIENT_SECRET} in your client's config")


# A command-line command prints what it obtained for the user who ran it: its output, not a log.
def cmd_auth(argv: list[str]) -> int:
    import argparse

    args = argparse.ArgumentParser(prog="payments-mcp auth").parse_args(argv)
    creds = run_oauth_flow(args)
    # ok: secret-logging
    print(f"PAYMENTS_REFRESH_TOKEN={creds.refresh_token}")
    return 0


def run_oauth_flow(args):
    return args


# A short prefix or suffix is how keys are masked; a URL parameter that carries no credential
# is not one; a helper reading a setting that is not a secret.
def announce_masked_key() -> None:
    key = os.environ["PAYMENTS_API_KEY"]
    # ok: secret-logging
    log.info("using key %s…%s", key[:8], key[-4:])


def fetch_page(city: str, page: int) -> str:
    url = f"https://api.weather.example/v1/forecast?city={city}&page={page}"
    # ok: secret-logging
    log.info("GET %s", url)
    return url


def get_env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def show_port() -> None:
    # ok: secret-logging
    log.info("listening on %s", get_env("PAYMENTS_PORT", "8080"))


# How long a token lives is not the token.
def check_ttl(refresh_token_seconds: int, token_refresh_timeout: int) -> None:
    # ok: secret-logging
    log.warning("refresh tokens live %ss (refresh timeout %ss)", refresh_token_seconds, token_refresh_timeout)


# What a server answered holds no credential of the request; iterating a header map yields names.
def log_response(response: httpx.Response) -> None:
    # ok: secret-logging
    log.debug("status %s, headers %s", response.status_code, response.headers)


def log_header_names(headers: dict[str, str]) -> None:
    for name in headers:
        # ok: secret-logging
        log.debug("header present: %s", name)


# Reading chosen, non-secret variables by a computed name is not a copy of the environment.
def show_listen_settings() -> None:
    for name in ("PAYMENTS_HOST", "PAYMENTS_PORT"):
        # ok: secret-logging
        log.info("%s=%s", name, os.environ.get(name, ""))
