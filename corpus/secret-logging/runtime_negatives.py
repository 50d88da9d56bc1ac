"""Hard negatives for credentials obtained at run time: what is logged about a token endpoint's
answer, an LLM call and an auth header without logging the credential itself."""

from __future__ import annotations

import hashlib
import logging

import requests
from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel, SecretStr

logger = logging.getLogger(__name__)
mcp = FastMCP("tokens")


class Session(BaseModel):
    user: str
    access_token: SecretStr


def refresh(refresh_token_url: str, refresh_token: str) -> Session:
    response = requests.post(refresh_token_url, data={"grant_type": "refresh_token", "refresh_token": refresh_token}, timeout=10)
    tokens = response.json()
    # ok: secret-logging
    logger.info("token type %s, expires in %s", tokens["token_type"], tokens.get("expires_in"))
    access_token = tokens["access_token"]
    # ok: secret-logging
    logger.info("access token: %d characters", len(access_token))
    # ok: secret-logging
    logger.info("access token sha256: %s", hashlib.sha256(access_token.encode()).hexdigest())
    # ok: secret-logging
    logger.info("access token: %s…", access_token[:4])
    session = Session(user=tokens.get("user", ""), access_token=access_token)
    # ok: secret-logging
    logger.info("session %s", session)
    return session


def check(auth_header: str, usage: dict) -> None:
    auth_type = auth_header.split(" ", 1)[0]
    # ok: secret-logging
    logger.debug("auth type: %s", auth_type)
    # ok: secret-logging
    logger.debug("max_tokens=%s prompt_tokens=%s", usage.get("max_tokens"), usage.get("prompt_tokens"))
    token_count = usage.get("total_tokens", 0)
    # ok: secret-logging
    logger.debug("token count: %d", token_count)


DEFAULT_API_KEY_SECRET = "/production/metrics/api_key"
API_KEY_SECRET_NAME = os.getenv("METRICS_SECRET_API_KEY", DEFAULT_API_KEY_SECRET)


def fetch_airflow_token(token_url: str) -> str | None:
    response = requests.post(token_url, data={"grant_type": "client_credentials"}, timeout=10)
    data = response.json()
    if "access_token" in data:
        logger.info("fetched a token")
        return data["access_token"]
    else:
        # ok: secret-logging
        logger.warning("unexpected token response: %s", data)
    # ok: secret-logging
    logger.info("reading the API key from the secret %s", API_KEY_SECRET_NAME)
    return None
