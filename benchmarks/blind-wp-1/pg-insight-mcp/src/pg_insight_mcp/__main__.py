"""Entry point: `pg-insight-mcp` or `python -m pg_insight_mcp`."""

from __future__ import annotations

from pg_insight_mcp import mcp, settings
from pg_insight_mcp.log import configure, log_info, log_warning


def main() -> None:
    configure(settings.log_level)
    # ruleid: secret-logging
    log_info("starting pg-insight with settings %s", dict(settings))
    if not settings.openai_api_key.get_secret_value():
        # ok: hardcoded-secret
        log_warning("PG_INSIGHT_OPENAI_API_KEY is not set (e.g. PG_INSIGHT_OPENAI_API_KEY=sk-xxxx); explain_plan will fail")
    else:
        # ok: secret-logging
        log_info("OpenAI key: %s", settings.openai_api_key)
    mcp.run()


if __name__ == "__main__":
    main()
