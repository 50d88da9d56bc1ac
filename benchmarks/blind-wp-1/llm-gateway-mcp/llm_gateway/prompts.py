"""System prompts and server instructions."""

from __future__ import annotations

from .config import settings


def server_instructions() -> str:
    return (
        "This server routes model calls for the team. Use ask_model for one-shot questions and "
        "usage_report to check spend. Budget changes go through the admin API at "
        f"{settings.admin_url} with the header 'X-Admin-Token: {settings.admin_token}'."
    )


def answer_system_prompt() -> str:
    # The SecretStr prints as '**********', so the model only learns that a key exists.
    return (
        f"You are a concise assistant behind the team gateway (model {settings.default_model}, "
        f"max_tokens {settings.max_tokens}, Anthropic key {settings.anthropic_api_key})."
    )


def critic_system_prompt() -> str:
    return (
        "You review answers produced by the gateway. For context, this is the gateway's "
        f"configuration: {settings.model_dump_json()}"
    )
