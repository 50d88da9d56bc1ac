from __future__ import annotations

import json

from mcp.server.fastmcp import FastMCP

from . import digest, load_settings
from .logutil import setup_logging
from .notion import NotionClient, title_of
from .summarize import Summarizer

settings = load_settings()
log = setup_logging(settings.log_level)

mcp = FastMCP("notion-digest", instructions=f"Tools for the Notion workspace '{settings.workspace_name}'. Use search_pages to find pages, then digest_recent for a summary.")
notion = NotionClient(settings)
summarizer = Summarizer(settings)


@mcp.tool()
async def search_pages(query: str, limit: int = 10) -> str:
    """Search page titles and content in the Notion workspace."""
    log.info("search_pages query_len=%d limit=%d", len(query), limit)
    pages = await notion.search(query, page_size=limit)
    return "\n".join(f"{p['id']}\t{title_of(p)}\t{p.get('url', '')}" for p in pages) or "No pages found."


@mcp.tool()
async def read_page(page_id: str) -> str:
    """Read the text content of a Notion page."""
    return await notion.page_text(page_id)


@mcp.tool()
async def digest_recent(limit: int = 5) -> str:
    """Summarise the most recently edited pages."""
    pages = await notion.recently_edited(limit)
    texts = [(title_of(p), await notion.page_text(p["id"])) for p in pages]
    if not summarizer.available:
        return "\n".join(f"- {t}" for t, _ in texts) + "\n(set ANTHROPIC_API_KEY for written digests)"
    return await summarizer.digest(texts)


@mcp.tool()
def config_status() -> str:
    """Show how the server is configured (credentials are never shown)."""
    token = settings.notion_token.get_secret_value()
    status = {
        "workspace": settings.workspace_name,
        "notion_version": settings.notion_version,
        "notion_token_set": bool(token),
        "notion_token_sha256": digest(token),
        "token_type": "internal_integration",
        "anthropic_configured": settings.anthropic_api_key is not None,
        "digest_model": settings.digest_model,
        "max_tokens": settings.max_tokens,
    }
    # ok: secret-in-tool-result
    return json.dumps(status, indent=2)


def main() -> None:
    # ok: secret-logging
    log.info("starting notion-digest with %r", settings)
    mcp.run()


if __name__ == "__main__":
    main()
