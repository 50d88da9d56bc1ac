"""Tool arguments validated into a model are still the whole payload; chosen fields are not."""

from __future__ import annotations

import logging

from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel

logger = logging.getLogger(__name__)
mcp = FastMCP("sql")


class Query(BaseModel):
    sql: str
    database: str


@mcp.tool()
def run_query(**kwargs) -> str:
    query = Query(**kwargs)
    # ruleid: raw-payload-logging
    logger.debug(f"running {query}")
    again = Query.model_validate(kwargs)
    # ruleid: raw-payload-logging
    logger.debug("running %s", again)
    # ok: raw-payload-logging
    logger.debug("running a query on %s (%d characters)", query.database, len(query.sql))
    return "done"
