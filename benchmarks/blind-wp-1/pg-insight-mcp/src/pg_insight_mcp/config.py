"""Runtime configuration, read from PG_INSIGHT_* environment variables (or a .env file)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PG_INSIGHT_", env_file=".env", extra="ignore")

    pg_host: str = "localhost"
    pg_port: int = 5432
    pg_database: str = "postgres"
    pg_user: str = "postgres"
    pg_password: str = ""
    pg_sslmode: str = "prefer"

    openai_api_key: SecretStr = SecretStr("")
    openai_model: str = "gpt-4o-mini"
    max_tokens: int = 1024

    max_rows: int = 200
    statement_timeout_ms: int = 15_000
    log_level: str = "INFO"

    def dsn(self) -> str:
        """Connection string for asyncpg."""
        return (
            f"postgresql://{self.pg_user}:{self.pg_password}@{self.pg_host}:{self.pg_port}"
            f"/{self.pg_database}?sslmode={self.pg_sslmode}"
        )

    def safe_dsn(self) -> str:
        """The connection string with the password masked, for display."""
        return f"postgresql://{self.pg_user}:***@{self.pg_host}:{self.pg_port}/{self.pg_database}"


settings = Settings()
