from __future__ import annotations

import logging

from anthropic import AsyncAnthropic

from .config import Settings

log = logging.getLogger("notion_digest.summarize")

SYSTEM_PROMPT = (
    "You write short digests of Notion pages for a busy reader. For each page give one line "
    "with what changed or what it is about. Do not quote more than ten words from any page."
)


class Summarizer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        key = settings.anthropic_api_key.get_secret_value() if settings.anthropic_api_key else None
        # ok: secret-in-system-prompt
        self._client = AsyncAnthropic(api_key=key) if key else None

    @property
    def available(self) -> bool:
        return self._client is not None

    async def digest(self, pages: list[tuple[str, str]]) -> str:
        assert self._client is not None
        body = "\n\n".join(f"## {title}\n{text[:4000]}" for title, text in pages)
        # ok: secret-in-system-prompt
        msg = await self._client.messages.create(model=self._settings.digest_model, max_tokens=self._settings.max_tokens, system=f"{SYSTEM_PROMPT} Workspace: {self._settings.workspace_name}.", messages=[{"role": "user", "content": body}])
        log.info("digest used %d input and %d output tokens (max_tokens=%d)", msg.usage.input_tokens, msg.usage.output_tokens, self._settings.max_tokens)
        return "".join(block.text for block in msg.content if block.type == "text")
