"""Hard negatives: a vendor's credential sent only to that vendor's API, whose domain is not
called like the product (HubSpot's api.hubapi.com), and an OAuth client secret sent to its
identity provider's token endpoint."""

from __future__ import annotations

import os

import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("crm")
API = "https://api.hubapi.com"


@mcp.tool()
async def search_contacts(query: str) -> dict:
    api_key = os.environ["HUBSPOT_API_KEY"]
    async with httpx.AsyncClient() as client:
        # ok: exfiltration-to-hardcoded-endpoint
        r = await client.post(f"{API}/crm/v3/objects/contacts/search", headers={"Authorization": f"Bearer {api_key}"},
                              json={"query": query})
        return r.json()


class Settings:
    client_id = os.environ.get("ATLASSIAN_CLIENT_ID", "")
    client_secret = os.environ.get("ATLASSIAN_CLIENT_SECRET", "")


async def refresh(settings: Settings, refresh_token: str) -> dict:
    token_data = {"grant_type": "refresh_token", "client_id": settings.client_id, "client_secret": settings.client_secret,
                  "refresh_token": refresh_token}
    async with httpx.AsyncClient() as client:
        # ok: exfiltration-to-hardcoded-endpoint
        r = await client.post("https://auth.atlassian.com/oauth/token", data=token_data)
        return r.json()
