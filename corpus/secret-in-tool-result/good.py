"""The same CRM tools (Python), returning what the model needs and never a credential: the
upstream answer the key obtained, yes/no checks, masked forms, fingerprints, variable names,
non-secret settings, SecretStr fields (which serialise as asterisks) and a redacted view of
the environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping

import httpx
import mcp.types as types
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.prompts import base
from mcp.server.lowlevel import Server
from mcp.types import CallToolResult, TextContent
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_SECRETISH = re.compile(r"(?i)(token|secret|password|passwd|api_?key|dsn|database_url|credential|private)")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_")

    base_url: str = "https://crm.northwind-app.com/api"
    api_key: SecretStr
    webhook_secret: SecretStr = SecretStr("")


def mask(value: str) -> str:
    return f"{value[:4]}…{value[-2:]}" if len(value) > 8 else "****"


def redact_env(env: Mapping[str, str]) -> dict[str, str]:
    return {k: ("[redacted]" if _SECRETISH.search(k) else v) for k, v in env.items()}


settings = Settings()
mcp = FastMCP("crm-tools")


@mcp.tool()
def debug_env() -> str:
    """Dump the server's environment, secrets redacted."""
    # ok: secret-in-tool-result
    return json.dumps(redact_env(os.environ), indent=2, sort_keys=True)


@mcp.tool()
def environment_names() -> list[str]:
    """Which environment variables are set (names only)."""
    # ok: secret-in-tool-result
    return sorted(os.environ)


@mcp.tool()
def get_config() -> dict:
    """Show the CRM client configuration (SecretStr fields print as asterisks)."""
    # ok: secret-in-tool-result
    return settings.model_dump(mode="json")


@mcp.tool()
def crm_connection() -> dict:
    """Describe how the server connects to the CRM."""
    key = settings.api_key.get_secret_value()
    # ok: secret-in-tool-result
    return {"base_url": settings.base_url, "api_key": mask(key), "api_key_set": bool(key), "timeout": 10}


@mcp.tool()
def get_customer(customer_id: str) -> dict:
    """Fetch a customer record from the CRM."""
    r = httpx.get(
        f"{settings.base_url}/customers/{customer_id}",
        # ok: secret-in-tool-result
        headers={"X-Api-Key": settings.api_key.get_secret_value()},
    )
    r.raise_for_status()
    # ok: secret-in-tool-result
    return r.json()


@mcp.tool()
def test_crm(customer_id: str) -> str:
    """Check that the CRM answers for a customer."""
    key = settings.api_key.get_secret_value()
    r = httpx.get(f"{settings.base_url}/customers/{customer_id}", headers={"X-Api-Key": key})
    if r.status_code == 401:
        # ok: secret-in-tool-result
        return f"CRM rejected the key with fingerprint {hashlib.sha256(key.encode()).hexdigest()[:8]} ({len(key)} chars); check CRM_API_KEY"
    return f"CRM answered {r.status_code}"


@mcp.tool()
def runtime() -> dict[str, str]:
    """Non-secret runtime settings."""
    # ok: secret-in-tool-result
    return {"log_level": os.getenv("LOG_LEVEL", "info"), "region": os.getenv("REGION", "eu-west-1"), "port": os.getenv("PORT", "8080")}


@mcp.tool()
def integrations() -> str:
    """Which integrations are configured."""
    status = {name: ("configured" if os.getenv(name) else "missing") for name in ("SLACK_BOT_TOKEN", "OPENAI_API_KEY", "DATABASE_URL")}
    # ok: secret-in-tool-result
    return "\n".join(f"{name}: {state}" for name, state in status.items())


@mcp.tool()
def echo_header(value: str) -> str:
    """Echo back a header value the caller supplied (for testing their client)."""
    # ok: secret-in-tool-result
    return f"You sent: {value}"


@mcp.resource("config://slack")
def slack_resource() -> str:
    # ok: secret-in-tool-result
    return f"channel={os.environ.get('SLACK_CHANNEL', '#crm')} bot_token={'set' if os.environ.get('SLACK_BOT_TOKEN') else 'unset'}"


@mcp.prompt()
def crm_debugging(symptom: str) -> list[base.Message]:
    """Debug a CRM integration problem."""
    return [
        base.UserMessage(f"The CRM integration has this problem: {symptom}"),
        # ok: secret-in-tool-result
        base.AssistantMessage(f"I'll reproduce it with curl -H \"X-Api-Key: $CRM_API_KEY\" {settings.base_url}/health."),
    ]


low = Server("crm-tools-lowlevel")


@low.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(name="service_account", description="Describe the CRM service account", inputSchema={"type": "object", "properties": {}}),
    ]


@low.call_tool()
async def call_tool(name: str, arguments: dict) -> CallToolResult:
    if name == "service_account":
        token = os.environ["CRM_SERVICE_TOKEN"]
        async with httpx.AsyncClient() as http:
            me = (await http.get(f"{settings.base_url}/me", headers={"Authorization": f"Bearer {token}"})).json()
        return CallToolResult(
            # ok: secret-in-tool-result
            content=[TextContent(type="text", text=f"Service account {me['name']} with scopes {', '.join(me['scopes'])}")],
        )
    raise ValueError(f"unknown tool {name}")


# An error raised in a tool that names what failed, not the credential.
@mcp.tool()
def lookup_company(domain: str) -> str:
    """Look a company up by its web domain."""
    resp = httpx.get("https://api.enrich.example/v2/companies", params={"domain": domain},
                     headers={"X-Api-Key": os.environ["ENRICH_API_KEY"]}, timeout=10)
    if resp.status_code != 200:
        # ok: secret-in-tool-result
        raise RuntimeError(f"enrichment failed ({resp.status_code}) for {domain}")
    return resp.text
