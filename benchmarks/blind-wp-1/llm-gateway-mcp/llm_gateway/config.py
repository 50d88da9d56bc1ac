"""Gateway configuration."""

from __future__ import annotations

import os

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Upstream(BaseModel):
    """An OpenAI-compatible upstream used when Anthropic is unavailable."""

    name: str
    base_url: str
    api_key: str
    model: str


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    anthropic_api_key: SecretStr = SecretStr("")
    default_model: str = "claude-sonnet-4-20250514"
    max_tokens: int = 2048
    monthly_budget_usd: float = 50.0
    admin_url: str = "https://gateway.internal.example/admin"
    admin_token: str = ""
    fallback: Upstream = Upstream(
        name="openrouter",
        base_url="https://openrouter.ai/api/v1",
        api_key=os.environ.get("OPENROUTER_API_KEY", ""),
        model="anthropic/claude-3.5-haiku",
    )


settings = Settings()
