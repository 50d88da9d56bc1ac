from __future__ import annotations

import hashlib
import logging
import sys


def mask(secret: str | None) -> str:
    if not secret:
        return "(unset)"
    return secret[:4] + "…"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def setup_logging(level: str) -> logging.Logger:
    logging.basicConfig(stream=sys.stderr, level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return logging.getLogger("notion_digest")
