from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTION_DIGEST_", env_file=".env", extra="ignore")

    notion_token: SecretStr = Field(validation_alias="NOTION_TOKEN")
    anthropic_api_key: SecretStr | None = Field(default=None, validation_alias="ANTHROPIC_API_KEY")
    notion_version: str = "2022-06-28"
    digest_model: str = "claude-3-5-haiku-latest"
    max_tokens: int = 800
    workspace_name: str = "my workspace"
    log_level: str = "INFO"


def load_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]
