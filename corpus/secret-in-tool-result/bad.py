"""MCP servers (Python) whose tool, resource and prompt handlers hand credentials back to the
model: "debug" tools that dump the environment, config tools that return the settings
object, connection helpers that echo the DSN, and results that quote the key they used.
Whatever a tool returns goes straight into the model's context (and into the client's logs).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from os import environ, getenv

import httpx
import mcp.types as types
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.prompts import base
from mcp.server.lowlevel import Server
from mcp.types import CallToolResult, TextContent
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_")

    base_url: str = "https://crm.northwind-app.com/api"
    api_key: str
    webhook_secret: str = ""


@dataclass
class SmtpConfig:
    host: str
    user: str
    password: str


settings = Settings()
smtp_config = SmtpConfig(host=getenv("SMTP_HOST", "smtp.northwind-app.com"), user=getenv("SMTP_USER", "crm"), password=getenv("SMTP_PASSWORD", ""))
mcp = FastMCP("crm-tools")

OPENAI_API_KEY = environ.get("OPENAI_API_KEY", "")
# Bootstrap admin token for fresh installs.
BOOTSTRAP_ADMIN_TOKEN = "pvzhdo9j9TNUiOHCLme6b24PR7cmAc7X"


def _database_url() -> str:
    return os.environ.get("DATABASE_URL") or "sqlite:///crm.db"


@mcp.tool()
def debug_env() -> str:
    """Dump the server's environment to help debug configuration problems."""
    # ruleid: secret-in-tool-result
    return json.dumps(dict(os.environ), indent=2, sort_keys=True)


@mcp.tool()
def environment() -> dict[str, str]:
    """Return the server's environment variables."""
    # ruleid: secret-in-tool-result
    return dict(os.environ)


@mcp.tool()
def get_config() -> Settings:
    """Show the CRM client configuration."""
    # ruleid: secret-in-tool-result
    return settings


@mcp.tool()
def crm_connection() -> dict:
    """Describe how the server connects to the CRM."""
    # ruleid: secret-in-tool-result
    return {"base_url": settings.base_url, "api_key": settings.api_key, "timeout": 10}


@mcp.tool()
def test_crm(customer_id: str) -> str:
    """Check that the CRM answers for a customer."""
    r = httpx.get(f"{settings.base_url}/customers/{customer_id}", headers={"X-Api-Key": settings.api_key})
    if r.status_code == 401:
        # ruleid: secret-in-tool-result
        return f"CRM rejected the key {settings.api_key} (HTTP 401)"
    return f"CRM answered {r.status_code}"


@mcp.tool()
def smtp_settings() -> str:
    """Show the mail relay settings."""
    # ruleid: secret-in-tool-result
    return str(smtp_config)


@mcp.tool()
def smtp_settings_json() -> str:
    """Show the mail relay settings as JSON."""
    payload = asdict(smtp_config)
    # ruleid: secret-in-tool-result
    return json.dumps(payload)


@mcp.tool()
def database_info() -> str:
    """Which database the CRM cache uses."""
    # ruleid: secret-in-tool-result
    return "Cache database: %s" % _database_url()


@mcp.tool()
def openai_setup() -> list[str]:
    """Show how the summariser is configured."""
    return [
        "model: gpt-4o-mini",
        "base: https://api.openai.com/v1",
        # ruleid: secret-in-tool-result
        "key: " + OPENAI_API_KEY,
    ]


@mcp.tool()
def webhook_instructions(target_url: str) -> str:
    """Explain how to register a CRM webhook."""
    parts = [
        f"POST {settings.base_url}/webhooks with url={target_url}",
        # ruleid: secret-in-tool-result
        f"and sign payloads with HMAC-SHA256 using {settings.webhook_secret}",
    ]
    return "\n".join(parts)


@mcp.tool()
def bootstrap() -> dict:
    """First-run setup details."""
    setup = {
        "admin_url": f"{settings.base_url}/admin",
        "admin_token": os.getenv("CRM_ADMIN_TOKEN", BOOTSTRAP_ADMIN_TOKEN),
    }
    # ruleid: secret-in-tool-result
    return setup


@mcp.resource("config://crm")
def crm_config_resource() -> str:
    """The CRM configuration, as a resource."""
    # ruleid: secret-in-tool-result
    return settings.model_dump_json()


@mcp.resource("config://slack")
def slack_resource() -> str:
    # ruleid: secret-in-tool-result
    return f"channel={environ.get('SLACK_CHANNEL', '#crm')} bot_token={environ['SLACK_BOT_TOKEN']}"


@mcp.prompt()
def crm_debugging(symptom: str) -> list[base.Message]:
    """Debug a CRM integration problem."""
    return [
        base.UserMessage(f"The CRM integration has this problem: {symptom}"),
        # ruleid: secret-in-tool-result
        base.AssistantMessage(f"I'll reproduce it with curl -H 'X-Api-Key: {settings.api_key}' {settings.base_url}/health."),
    ]


# The low-level server used by the hosted deployment.
low = Server("crm-tools-lowlevel")


@low.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(name="service_token", description="Get a token for the CRM service account", inputSchema={"type": "object", "properties": {}}),
        types.Tool(name="whoami", description="Identify the service account", inputSchema={"type": "object", "properties": {}}),
    ]


@low.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent] | CallToolResult:
    if name == "service_token":
        return CallToolResult(
            # ruleid: secret-in-tool-result
            content=[TextContent(type="text", text=f"Bearer {os.environ['CRM_SERVICE_TOKEN']}")],
        )
    if name == "whoami":
        # ruleid: secret-in-tool-result
        return [types.TextContent(type="text", text="account=crm-bot password=" + getenv("CRM_BOT_PASSWORD", ""))]
    raise ValueError(f"unknown tool {name}")


# An exception raised in a tool: the MCP SDK returns its message to the model as the tool's error.
@mcp.tool()
def lookup_company(domain: str) -> str:
    """Look a company up by its web domain."""
    # reported where the key joins the text that is raised (the message names the raise's line)
    # ruleid: secret-in-tool-result
    url = f"https://api.enrich.example/v2/companies?domain={domain}&api_key={os.environ['ENRICH_API_KEY']}"
    resp = httpx.get(url, timeout=10)
    if resp.status_code != 200:
        raise RuntimeError(f"enrichment failed ({resp.status_code}) for {url}")
    return resp.text
