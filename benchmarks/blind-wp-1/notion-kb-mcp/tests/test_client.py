import httpx
import respx

from notion_kb.client import NotionClient
from notion_kb.config import NOTION_API


@respx.mock
async def test_search_sends_bearer(token: str) -> None:
    route = respx.post(f"{NOTION_API}/search").mock(return_value=httpx.Response(200, json={"results": [{"id": "abc"}]}))
    client = NotionClient(token)
    results = await client.search("roadmap")
    assert results == [{"id": "abc"}]
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {token}"
    await client.aclose()
