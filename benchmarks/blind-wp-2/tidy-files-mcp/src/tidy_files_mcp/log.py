"""File logging (the stdio transport owns stdout)."""

import logging
from logging.handlers import RotatingFileHandler

from ._paths import LOG_FILE

LOG_FILE.parent.mkdir(parents=True, exist_ok=True)

logger = logging.getLogger("tidy_files")
_handler = RotatingFileHandler(LOG_FILE, maxBytes=2_000_000, backupCount=3)
_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
logger.addHandler(_handler)
logger.setLevel(logging.DEBUG)
