"""Audit trail of provider interactions (stderr, picked up by the host's log collector)."""

from __future__ import annotations

import json
import logging
from typing import Any

_log = logging.getLogger("mailroom.audit")


def record(event: str, data: Any) -> None:
    _log.info("%s %s", event, json.dumps(data, default=str))
