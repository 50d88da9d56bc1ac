"""An MCP server written without an SDK: JSON-RPC over stdio, dispatched on the method."""

from __future__ import annotations

import json
import logging
import sys

logger = logging.getLogger("notes")


def handle(line: str) -> None:
    msg = json.loads(line)
    if msg.get("method") == "tools/call":
        args = msg["params"]["arguments"]
        # ruleid: raw-payload-logging
        logger.info("tools/call %s", args)
        same = msg.get("params", {}).get("arguments")
        # ruleid: raw-payload-logging
        logger.info("tools/call %s", json.dumps(same))
        # ok: raw-payload-logging
        logger.info("tools/call %s", msg["params"]["name"])
        reply = {"jsonrpc": "2.0", "id": msg["id"], "result": {"content": [{"type": "text", "text": args.get("note", "")}]}}
        # ok: raw-payload-logging
        sys.stdout.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    for raw in sys.stdin:
        handle(raw)
