import pytest

# ok: hardcoded-secret
FAKE_NOTION_TOKEN = "7c4e1b0f9a2d8e6c3b5a1f0e9d8c7b6a5f4e3d2c"


@pytest.fixture
def token() -> str:
    return FAKE_NOTION_TOKEN
