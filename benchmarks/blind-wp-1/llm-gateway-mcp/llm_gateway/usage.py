"""Token accounting."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .config import Upstream

log = logging.getLogger("llm_gateway.usage")

# Rough USD prices per million tokens.
PRICES = {"input": 3.0, "output": 15.0}


@dataclass
class Totals:
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    by_model: dict[str, int] = field(default_factory=dict)

    @property
    def cost_usd(self) -> float:
        return (self.input_tokens * PRICES["input"] + self.output_tokens * PRICES["output"]) / 1_000_000


class UsageMeter:
    def __init__(self, fallback: Upstream) -> None:
        self._fallback = fallback
        self.totals = Totals()

    def record(self, model: str, input_tokens: int, output_tokens: int) -> None:
        self.totals.calls += 1
        self.totals.input_tokens += input_tokens
        self.totals.output_tokens += output_tokens
        self.totals.by_model[model] = self.totals.by_model.get(model, 0) + input_tokens + output_tokens
        log.info("model=%s input_tokens=%d output_tokens=%d", model, input_tokens, output_tokens)

    def record_fallback(self, input_tokens: int, output_tokens: int) -> None:
        self.record(self._fallback.model, input_tokens, output_tokens)
        # ruleid: secret-logging
        log.warning("served by fallback upstream %s", self._fallback)
