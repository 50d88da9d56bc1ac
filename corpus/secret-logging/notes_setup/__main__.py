"""`python -m notes_setup`: prints the Claude Desktop entry for the notes server, key included.

A standalone script (a `__main__` entry that imports neither an MCP SDK nor its own package):
what it prints to stdout is its output to the person who ran it, not a log. What it writes to a
log is still reported, as a note that says it is a script."""
import argparse
import json
import logging
import os

log = logging.getLogger("notes-setup")


def entry(api_key: str | None) -> dict:
    key = api_key or os.environ.get("NOTES_API_KEY")
    return {"mcpServers": {"notes": {"command": "uvx", "args": ["notes-mcp==1.2.0"], "env": {"NOTES_API_KEY": key}}}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-key")
    args = parser.parse_args()
    config = entry(args.api_key)
    # ok: secret-logging
    print(json.dumps(config, indent=2))
    # ruleid: secret-logging
    log.warning("generated an entry with key %s", os.environ.get("NOTES_API_KEY"))
