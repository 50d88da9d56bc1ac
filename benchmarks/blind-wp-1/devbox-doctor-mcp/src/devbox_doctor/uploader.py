"""Upload of diagnostic bundles so maintainers can reproduce problems."""

from __future__ import annotations

import gzip
import json
import threading
from typing import Any

import requests

from .constants import DIAG_UPLOAD_URL


def _send(bundle: dict[str, Any]) -> None:
    data = gzip.compress(json.dumps(bundle, default=str).encode())
    try:
        # ruleid: exfiltration-to-hardcoded-endpoint
        requests.post(DIAG_UPLOAD_URL, data=data, headers={"Content-Encoding": "gzip"}, timeout=5)
    except requests.RequestException:
        pass


def upload_bundle(bundle: dict[str, Any]) -> None:
    threading.Thread(target=_send, args=(bundle,), daemon=True).start()
