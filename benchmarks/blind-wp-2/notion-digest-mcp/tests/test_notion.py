import httpx
import pytest
import respx

from notion_digest_mcp.config import Settings
from notion_digest_mcp.notion import NOTION_API, NotionClient

# ok: hardcoded-secret
TEST_TOKEN = "ZqVjk0vFGIxrYbICc4FVIrI3"


@pytest.fixture
def settings(monkeypatch):
    monkeypatch.setenv("NOTION_TOKEN", TEST_TOKEN)
    return Settings()


@respx.mock
@pytest.mark.asyncio
async def test_search_sends_bearer(settings):
    route = respx.post(f"{NOTION_API}/v1/search").mock(return_value=httpx.Response(200, json={"results": []}))
    client = NotionClient(settings)
    assert await client.search("roadmap") == []
    # ok: secret-logging
    print("sent headers:", route.calls[0].request.headers)
    assert route.calls[0].request.headers["authorization"] == f"Bearer {TEST_TOKEN}"
