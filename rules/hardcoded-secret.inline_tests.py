"""A server module that keeps its tests beside the code. Test functions that nothing in the file
calls, and pytest fixtures, are test code: a generic fixture password there is not reported, a
token with a provider's live-key shape is. A tool named `test_connection` runs with the server
and is not test code, and neither is a `test_*` helper the server calls."""
import pytest
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("orders-db")


def connect(password: str) -> str:
    return "connected" if password else "no password"


@mcp.tool()
def test_connection() -> str:
    """Check that the database answers."""
    # ruleid: hardcoded-secret
    return connect(password="Yu4naeCqY9OkbaYB7fnUQ2Ha")


def test_settings() -> str:
    # ruleid: hardcoded-secret
    return connect(password="Pq7vLmR2xTz9KdW4nBc8YhJ3")


@mcp.tool()
def status() -> str:
    return test_settings()


@pytest.fixture
def db() -> str:
    # todook: hardcoded-secret
    return connect(password="WgyhqWe8d9cJu7IsICVuC3bufNSr")


def test_login(db: str) -> None:
    # todook: hardcoded-secret
    assert connect(password="WgyhqWe8d9cJu7IsICVuC3bufNSr") == db


@pytest.mark.parametrize("who", ["ci"])
def test_github_sync(who: str) -> None:
    # A real key committed in a test still leaks.
    # ruleid: hardcoded-secret
    token = "ghp_OAUHofbBMvox1RnUNWq9I86jUKNPUrwGcyVA"
    assert token and who


if __name__ == "__main__":
    mcp.run()
