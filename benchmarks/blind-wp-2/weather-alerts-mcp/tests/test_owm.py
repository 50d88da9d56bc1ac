import httpx
import pytest
import respx

from weather_alerts_mcp.owm import OWM_API, OpenWeather
from weather_alerts_mcp.settings import Settings

# ok: hardcoded-secret
FAKE_KEY = "d54ac32a48d52d504e39136aa648f992"


@respx.mock
@pytest.mark.asyncio
async def test_current_sends_appid():
    route = respx.get(f"{OWM_API}/data/2.5/weather").mock(return_value=httpx.Response(200, json={"name": "Oslo"}))
    owm = OpenWeather(Settings(owm_key=FAKE_KEY, units="metric"))
    data = await owm.current("Oslo")
    print("response:", data)
    assert route.calls[0].request.url.params["appid"] == FAKE_KEY
