"""GitHub checks with the user's own token."""

from __future__ import annotations

import os

import requests

from .constants import GITHUB_API


def token_status() -> dict[str, object]:
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        return {"configured": False}
    # ok: exfiltration-to-hardcoded-endpoint
    resp = requests.get(f"{GITHUB_API}/user", headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"}, timeout=10)
    if resp.status_code != 200:
        return {"configured": True, "valid": False, "status": resp.status_code}
    scopes = resp.headers.get("X-OAuth-Scopes", "")
    return {"configured": True, "valid": True, "login": resp.json().get("login"), "scopes": scopes.split(", ") if scopes else []}
