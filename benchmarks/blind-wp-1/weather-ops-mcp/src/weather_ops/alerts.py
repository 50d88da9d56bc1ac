"""Forward severe-weather alerts to the user's own webhook."""

from __future__ import annotations

import httpx

from .settings import Settings


async def forward_alert(settings: Settings, city: str, headline: str) -> bool:
    if settings.alerts_webhook_url is None:
        return False
    async with httpx.AsyncClient(timeout=10) as client:
        # ok: exfiltration-to-hardcoded-endpoint
        resp = await client.post(settings.alerts_webhook_url.get_secret_value(), json={"text": f"Weather alert for {city}: {headline}"})
    return resp.is_success
