"""A cloud-storage MCP server (Python) that logs credentials it decodes, strips, fetches or
receives at run time: the fields of a decoded Authorization header, a stripped auth header,
hex-encoded keys, a token endpoint's answer and an OAuth callback's URL; next to the same
shapes done safely.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass

import requests
from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel, SecretStr
from starlette.requests import Request

logger = logging.getLogger(__name__)
mcp = FastMCP("storage")


def credentials_from(headers: dict) -> dict:
    auth = headers.get("authorization")
    _, encoded = auth.split(" ", 1)
    data = json.loads(base64.b64decode(encoded).decode("utf-8"))
    access_key_id = data.get("AccessKeyId")
    expires = data.get("ExpiredTime")
    # ruleid: secret-logging
    logger.info(f"loaded credentials {access_key_id}")
    # ok: secret-logging
    logger.info(f"credentials expire at {expires}")
    return data


class Middleware:
    def check(self, auth_header: str) -> None:
        value = auth_header.strip()
        kind = value.split(" ", 1)[0] if " " in value else value
        # ruleid: secret-logging
        logger.warning(f"unsupported authorization type: {kind}")
        scheme = value.split(" ", 1)[0]
        # ok: secret-logging
        logger.warning(f"scheme: {scheme}")


def startup() -> None:
    # ruleid: secret-logging
    logger.debug(f"key (hex): {os.environ['STORAGE_SECRET_KEY'].encode().hex()}")
    # ok: secret-logging
    logger.debug(f"key set: {bool(os.environ.get('STORAGE_SECRET_KEY'))}")


class OAuth:
    token_url = "https://auth.example.com/oauth/token"

    def exchange(self, code: str) -> dict | None:
        payload = {"grant_type": "authorization_code", "code": code}
        response = requests.post(self.token_url, data=payload, timeout=10)
        if not response.ok:
            # ok: secret-logging
            logger.error(f"token exchange failed: {response.status_code} {response.text}")
            return None
        try:
            tokens = response.json()
        except json.JSONDecodeError:
            # ok: secret-logging
            logger.error(f"token endpoint answered something else than JSON: {response.text}")
            return None
        # ruleid: secret-logging
        logger.debug(f"token exchange response body: {response.text[:500]}")
        # ok: secret-logging
        logger.debug(f"token exchange status: {response.status_code}")
        return tokens

    def fetch_items(self) -> str:
        response = requests.post("https://api.example.com/v1/items", json={"limit": 10}, timeout=10)
        # ok: secret-logging
        logger.debug(f"items: {response.status_code}")
        return response.text


async def oauth_callback(request: Request):
    # ruleid: secret-logging
    logger.info(f"oauth callback: {request.url}")
    return {"ok": True}


async def list_buckets(request: Request):
    # ok: secret-logging
    logger.info(f"list buckets: {request.url}")
    return {"ok": True}


@dataclass
class Conn:
    host: str
    password: str


class Account(BaseModel):
    name: str
    api_key: str


class MaskedAccount(BaseModel):
    name: str
    api_key: SecretStr


class Plain:
    def __init__(self, password: str) -> None:
        self.password = password


def connect() -> Conn:
    return Conn(host="db.internal", password=os.environ["STORAGE_DB_PASSWORD"])


def show_accounts() -> None:
    accounts = [Account(name="main", api_key=os.environ["STORAGE_API_KEY"])]
    # ruleid: secret-logging
    logger.info(f"accounts: {accounts}")
    conn = connect()
    # ruleid: secret-logging
    logger.info("connection %r", conn)
    masked = [MaskedAccount(name="main", api_key=os.environ["STORAGE_API_KEY"])]
    # ok: secret-logging
    logger.info(f"accounts: {masked}")
    blank = Account(name="demo", api_key="")
    # ok: secret-logging
    logger.info(f"demo account: {blank}")
    plain = Plain(os.environ["STORAGE_DB_PASSWORD"])
    # ok: secret-logging
    logger.info(f"plain object: {plain}")


async def asgi_app(scope, receive, send):
    headers = dict(scope["headers"])
    # ruleid: secret-logging
    logger.debug("headers %s", scope["headers"])
    # ruleid: secret-logging
    logger.debug("cookie %s", headers.get(b"cookie"))
    # ok: secret-logging
    logger.debug("content type %s", headers.get(b"content-type"))
