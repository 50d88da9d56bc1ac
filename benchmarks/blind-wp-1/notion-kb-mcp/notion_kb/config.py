"""Environment configuration."""

from __future__ import annotations

import os

NOTION_API = "https://api.notion.com/v1"
NOTION_VERSION = "2022-06-28"

NOTION_TOKEN = os.environ.get("NOTION_TOKEN", "")
NOTION_TOKEN_ENV = "NOTION_TOKEN"

PAGE_SIZE = int(os.environ.get("NOTION_KB_PAGE_SIZE", "20"))
LOG_LEVEL = os.environ.get("NOTION_KB_LOG_LEVEL", "INFO")
