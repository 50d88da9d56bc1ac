"""What a name says about the value it holds (analyzer.secrets.is_secret_name / says_not_secret)."""
from __future__ import annotations

import pytest

from analyzer import secrets


@pytest.mark.parametrize("name", ["auth_header", "authHeader", "authorization_header", "AUTH_HEADER", "api_key", "DO_TOKEN",
                                  "clientSecret", "refresh_token", "GITHUB_TOKEN", "access_key"])
def test_names_of_secrets(name: str) -> None:
    assert secrets.is_secret_name(name)


@pytest.mark.parametrize("name, says_other", [
    ("auth_header_name", False),  # the header's name, not its value
    ("hasRefreshToken", True), ("is_api_key_set", False), ("has_token", True),  # a yes or no about the secret
    ("tokenInfo", True), ("token_details", True),  # what an introspection endpoint says about a token
    ("max_tokens", False), ("token_type", True), ("next_page_token", True), ("webhook_url", False),
])
def test_names_that_say_what_else_the_value_is(name: str, says_other: bool) -> None:
    assert not secrets.is_secret_name(name)
    assert secrets.says_not_secret(name) == says_other
