"""devops-hub: a FastMCP server that wires an assistant to the team's SaaS accounts.

Credentials come from the environment, a keyring or a secrets manager; the source
only names where to find them.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import httpx
import keyring
import requests
import stripe
from anthropic import Anthropic
from mcp.server.fastmcp import FastMCP
from openai import OpenAI
from postmarker.core import PostmarkClient

mcp = FastMCP("devops-hub")

# ok: hardcoded-secret
ANTHROPIC_API_KEY = os.environ["ANTHROPIC_API_KEY"]
claude = Anthropic(api_key=ANTHROPIC_API_KEY)

# ok: hardcoded-secret
GITHUB_TOKEN_ENV = "GITHUB_PERSONAL_ACCESS_TOKEN"
# ok: hardcoded-secret
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "")
# ok: hardcoded-secret
gpt = OpenAI(api_key=os.getenv("OPENAI_API_KEY", "<YOUR_API_KEY>"))
# ok: hardcoded-secret
stripe.api_key = os.environ.get("STRIPE_SECRET_KEY", "sk_live_...")
# ok: hardcoded-secret
ANTHROPIC_MESSAGES_URL = "https://api.anthropic.com/v1/messages"
# ok: hardcoded-secret
GITHUB_ACCEPT = "application/vnd.github+json"
# ok: hardcoded-secret
API_KEY_HEADER = "X-API-Key"
# ok: hardcoded-secret
GITHUB_TOKEN_RE = re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b")
# ok: hardcoded-secret
ANTHROPIC_KEY_RE = re.compile(r"sk-ant-api03-[A-Za-z0-9_-]{93}AA")
# ok: hardcoded-secret
LOCAL_DATABASE_URL = "postgres://localhost:5432/tickets"
# ok: hardcoded-secret
DATABASE_URL_TEMPLATE = "postgresql://mcp_app:${DB_PASSWORD}@db.internal.acme-corp.net:5432/tickets"
# ok: hardcoded-secret
GITHUB_TOKEN_SECRET_ID = "prod/devops-hub/github-token"
# ok: hardcoded-secret
POSTMARK_SANDBOX_TOKEN = "POSTMARK_API_TEST"
# ok: hardcoded-secret
STRIPE_PUBLISHABLE_KEY = "pk_live_513FaGD3B4si8k0V0IQ1bGn0aiWVBteiqLc8DiD7hD7Nep4PBy5u12r2B3UtrhmO3ehmMjcK7RfLEf23xiMqRUV49y0i7WwG89B"
# ok: hardcoded-secret
GITHUB_OAUTH_CLIENT_ID = "Iv23liFb3VvVqxv2tqrI"
# ok: hardcoded-secret
PINNED_ACTION_COMMIT = "5fcdef0440848b7830fee11faa03b19e8612e87b"
# ok: hardcoded-secret
RELEASE_WHEEL_SHA256 = "b1c1645145e698e58abe9b3aa7f16d07f4e4623ce43f575cfd742c6b4065fd86"
# ok: hardcoded-secret
DEFAULT_TRACE_ID = "a3302fca-e264-4222-b166-6c8b1e2b879f"
# ok: hardcoded-secret
REDACTED = "********"

# ok: hardcoded-secret
WEBHOOK_VERIFY_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAQYb7WQ7JGv00QNhpCaUPeSMiKa/10zDuZpg9LNBsNoA=
-----END PUBLIC KEY-----
"""

ENV_TEMPLATE = {
    # ok: hardcoded-secret
    "ANTHROPIC_API_KEY": "sk-ant-api03-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX...",
    # ok: hardcoded-secret
    "SLACK_BOT_TOKEN": "xoxb-your-bot-token-here",
    # ok: hardcoded-secret
    "GITHUB_TOKEN": "${GITHUB_TOKEN}",
    # ok: hardcoded-secret
    "LINEAR_API_KEY": "{{LINEAR_API_KEY}}",
    # ok: hardcoded-secret
    "STRIPE_SECRET_KEY": "$STRIPE_SECRET_KEY",
    # ok: hardcoded-secret
    "TAVILY_API_KEY": "REPLACE_ME",
    # ok: hardcoded-secret
    "BRAVE_API_KEY": "TODO",
    # ok: hardcoded-secret
    "DB_PASSWORD": "changeme",
    # ok: hardcoded-secret
    "AWS_ACCESS_KEY_ID": "AKIAXXXXXXXXXXXXXXXX",
    # ok: hardcoded-secret
    "AWS_SECRET_ACCESS_KEY": "1234567890abcdef1234567890abcdef12345678",
}


@dataclass
class Settings:
    # ok: hardcoded-secret
    api_key: str | None = None
    # ok: hardcoded-secret
    client_secret: str = field(default_factory=lambda: os.environ["OAUTH_CLIENT_SECRET"])
    # ok: hardcoded-secret
    password_field: str = "password"
    # ok: hardcoded-secret
    token_url: str = "https://github.com/login/oauth/access_token"
    # ok: hardcoded-secret
    brand_color: str = "#1f6feb"


def load_settings(path: Path) -> Settings:
    import tomllib

    data = tomllib.loads(path.read_text())
    settings = Settings()
    # ok: hardcoded-secret
    settings.api_key = data.get("api_key")
    return settings


def github_headers() -> dict[str, str]:
    # ok: hardcoded-secret
    token = keyring.get_password("devops-hub", "github")
    return {
        "Accept": GITHUB_ACCEPT,
        # ok: hardcoded-secret
        "Authorization": f"Bearer {token}",
    }


def db_password() -> str:
    # ok: hardcoded-secret
    passwd = os.environ.get("DB_PASSWORD") or getpass.getpass("Database password: ")
    return passwd


def aws_secret() -> str:
    sm = boto3.client("secretsmanager")
    # ok: hardcoded-secret
    private_key = sm.get_secret_value(SecretId=GITHUB_TOKEN_SECRET_ID)["SecretString"]
    return private_key


def redact(text: str) -> str:
    """Mask GitHub and Anthropic tokens before text reaches the model."""
    text = GITHUB_TOKEN_RE.sub("[github-token]", text)
    return ANTHROPIC_KEY_RE.sub("[anthropic-key]", text)


def wheel_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@mcp.tool(
    # ok: hardcoded-secret
    description="Search GitHub issues. Needs a personal access token with the repo scope in GITHUB_PERSONAL_ACCESS_TOKEN.",
)
def search_issues(query: str, limit: int = 20) -> list[dict]:
    resp = requests.get(
        "https://api.github.com/search/issues",
        headers=github_headers(),
        params={"q": query, "per_page": limit},
        timeout=15,
    )
    resp.raise_for_status()
    return [{"title": i["title"], "url": i["html_url"]} for i in resp.json()["items"]]


@mcp.tool()
def ask_claude(prompt: str) -> str:
    # ok: hardcoded-secret
    """Ask Claude. Set ANTHROPIC_API_KEY first, e.g. export ANTHROPIC_API_KEY=sk-ant-api03-..."""
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": prompt}],
    )
    return msg.content[0].text


@mcp.tool()
def send_receipt(to: str, amount_cents: int) -> str:
    """Email a receipt through Postmark."""
    # ok: hardcoded-secret
    postmark = PostmarkClient(server_token=os.environ["POSTMARK_SERVER_TOKEN"])
    postmark.emails.send(
        From="billing@acme-corp.net",
        To=to,
        Subject="Your receipt",
        TextBody=f"We received {amount_cents / 100:.2f} EUR.",
    )
    return "sent"


@mcp.tool()
def list_linear_issues(team_key: str, api_key: str) -> list[dict]:
    """List Linear issues with the caller's own API key."""
    resp = httpx.post(
        "https://api.linear.app/graphql",
        headers={"Authorization": api_key},
        json={"query": "{ issues { nodes { identifier } } }"},
    )
    return resp.json()["data"]["issues"]["nodes"]


# --- tests (collected by pytest from this module) -------------------------------


def test_settings_defaults() -> None:
    # ok: hardcoded-secret
    settings = Settings(api_key="dummy-api-key")
    assert settings.api_key


def test_redact_masks_tokens() -> None:
    # ok: hardcoded-secret
    assert "ghp_" not in redact("token test-token")


def test_login_form(client) -> None:
    # ok: hardcoded-secret
    resp = client.post("/login", data={"username": "alice", "password": "hunter2"})
    assert resp.status_code == 200


# A search client configuration (application id and index name beside the key): a search-only
# key, public by design.
DOCS_SEARCH = {
    "app_id": "B5P72B95FT",
    # ok: hardcoded-secret
    "api_key": "1b0f6fb12f06ac6c4c7db1930226d45d",
    "index_name": "product_docs",
}
# ok: hardcoded-secret
ANALYTICS_WRITE_KEY = "XaHx0HcTAVpu5Vw0zUAdkYIDqWQm4bLK"


def test_db_login(db) -> None:
    # ok: hardcoded-secret
    db.connect(user="postgres", password="password")


if __name__ == "__main__":
    mcp.run()
