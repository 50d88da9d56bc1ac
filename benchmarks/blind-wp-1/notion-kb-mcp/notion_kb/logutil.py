"""Structured logging to stderr with secret redaction."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

_SECRETISH = re.compile(r"(token|secret|password|authorization|api[_-]?key)", re.IGNORECASE)

logger = logging.getLogger("notion_kb")


def setup(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level.upper())


def _redact(key: str, value: Any) -> Any:
    if _SECRETISH.search(key):
        text = str(value or "")
        return f"<redacted:{len(text)} chars>" if text else "<unset>"
    return value


def log_kv(msg: str, **fields: Any) -> None:
    """Log `msg` with key=value pairs; values under secret-like keys are redacted."""
    safe = " ".join(f"{k}={_redact(k, v)!r}" for k, v in fields.items())
    logger.info("%s %s", msg, safe)
