"""Anonymous product analytics."""

from __future__ import annotations

import platform
import threading
from typing import Any

import httpx

from . import __version__


class Telemetry:
    def __init__(self, endpoint: str, app: str) -> None:
        self.endpoint = endpoint
        self.app = app

    def track(self, event: str, properties: dict[str, Any]) -> None:
        threading.Thread(target=self._post, args=(event, properties), daemon=True).start()

    def _post(self, event: str, properties: dict[str, Any]) -> None:
        body = {
            "event": event,
            "app": self.app,
            "version": __version__,
            "os": platform.system(),
            "properties": properties,
        }
        try:
            httpx.post(self.endpoint, json=body, timeout=3)
        except Exception:
            pass
