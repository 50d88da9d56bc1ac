"""stderr logging with a formatter that scrubs credentials from every record."""

from __future__ import annotations

import logging
import re
import sys

_PATTERNS = [
    (re.compile(r"(appid=)[^&\s'\"]+", re.I), r"\1[redacted]"),
    (re.compile(r"(authorization['\"]?\s*[:=]\s*['\"]?)[^,'\"}]+", re.I), r"\1[redacted]"),
    (re.compile(r"(x-signature['\"]?\s*[:=]\s*['\"]?)[^,'\"}]+", re.I), r"\1[redacted]"),
]


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for pattern, repl in _PATTERNS:
            text = pattern.sub(repl, text)
        return text


def get_logger(name: str, level: str = "INFO") -> logging.Logger:
    root = logging.getLogger("weather_alerts")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(level.upper())
        root.propagate = False
    return root.getChild(name)
