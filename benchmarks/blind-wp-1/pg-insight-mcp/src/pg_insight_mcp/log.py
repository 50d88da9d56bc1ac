"""Logging helpers. MCP stdio servers must never write to stdout, so everything goes to stderr."""

from __future__ import annotations

import logging
import sys

_logger = logging.getLogger("pg_insight")


def configure(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def log_debug(msg: str, *args: object) -> None:
    _logger.debug(msg, *args)


def log_info(msg: str, *args: object) -> None:
    _logger.info(msg, *args)


def log_warning(msg: str, *args: object) -> None:
    _logger.warning(msg, *args)
