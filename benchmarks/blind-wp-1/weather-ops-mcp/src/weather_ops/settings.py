"""Settings from WEATHER_OPS_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from .constants import DEFAULT_UNITS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEATHER_OPS_", extra="ignore")

    openweather_api_key: SecretStr
    units: str = DEFAULT_UNITS
    alerts_webhook_url: SecretStr | None = None
    telemetry: bool = False
    favorites_file: Path = Path.home() / ".config" / "weather-ops" / "favorites.json"
    log_level: str = "INFO"


def load() -> Settings:
    return Settings()  # type: ignore[call-arg]
