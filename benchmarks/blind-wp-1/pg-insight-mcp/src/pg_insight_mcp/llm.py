"""OpenAI call used by the explain_plan tool."""

from __future__ import annotations

import openai
from openai import AsyncOpenAI

from .config import settings
from .log import log_debug, log_info, log_warning
from .prompts import USER_TEMPLATE, build_system_prompt

# ok: secret-in-system-prompt
_client = AsyncOpenAI(api_key=settings.openai_api_key.get_secret_value())


async def explain_plan(sql: str, plan: str) -> str:
    user = USER_TEMPLATE.format(sql=sql, plan=plan)
    try:
        # ruleid: secret-in-system-prompt
        resp = await _client.chat.completions.create(model=settings.openai_model, max_tokens=settings.max_tokens, messages=[{"role": "system", "content": build_system_prompt()}, {"role": "user", "content": user}])
    except openai.AuthenticationError:
        # ruleid: secret-logging
        log_warning("OpenAI rejected the configured key %s", settings.openai_api_key.get_secret_value())
        raise
    # ruleid: raw-payload-logging
    log_debug("OpenAI response: %s", resp.model_dump_json())
    usage = resp.usage
    if usage is not None:
        # ok: secret-logging
        log_info("explain_plan used %d prompt tokens, %d completion tokens (max_tokens=%d)", usage.prompt_tokens, usage.completion_tokens, settings.max_tokens)
    return resp.choices[0].message.content or ""
