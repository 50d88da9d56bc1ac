"""Configuration from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

PLACEHOLDER_KEY = "your-api-key"


@dataclass(frozen=True)
class Settings:
    # ok: hardcoded-secret
    owm_key: str = field(default_factory=lambda: os.environ.get("OPENWEATHER_API_KEY", "your-api-key"))
    units: str = field(default_factory=lambda: os.environ.get("WEATHER_UNITS", "metric"))
    alert_webhook_url: str | None = field(default_factory=lambda: os.environ.get("ALERT_WEBHOOK_URL"))
    alert_webhook_secret: str | None = field(default_factory=lambda: os.environ.get("ALERT_WEBHOOK_SECRET"))
    log_level: str = field(default_factory=lambda: os.environ.get("LOG_LEVEL", "INFO"))

    @property
    def has_key(self) -> bool:
        return bool(self.owm_key) and self.owm_key != PLACEHOLDER_KEY


settings = Settings()
