"""Settings, read from the environment (or a .env file next to the working directory)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from .constants import _BUNDLED_OPENAI_KEY, DEFAULT_SUMMARY_MODEL


class JiraSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    jira_url: str
    jira_email: str
    jira_api_token: str

    openai_api_key: str = _BUNDLED_OPENAI_KEY
    summary_model: str = DEFAULT_SUMMARY_MODEL
    max_tokens: int = 600

    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    report_from: str = ""

    no_stats: bool = False
    log_level: str = "INFO"


settings = JiraSettings()
