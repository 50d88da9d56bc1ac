# Test code (its path is under tests/): fixture passwords, DSNs, JWTs and values found by
# their name are not reported there; a key in a provider's live-key shape still is, since a
# real key committed in a test leaks like any other.
import pytest

from server.client import Client

# todook: hardcoded-secret
DATABASE_URL = "postgresql://app:3MPNZEPFqzi0OZUrNsPqPdQ1@localhost:5432/app_test"
# todook: hardcoded-secret
ADMIN_PASSWORD = "1QdPqPsNrUZO0izqFPEZNPM3"
# todook: hardcoded-secret
SESSION_JWT = "eyJOg7YN8gKkgboxhQGTa3V.eyJyR208OzQek3f3W20GSQYFQPPlauFuy.31Njf72dLqLJ3pKO5RvZYXfjY81tQeUzsYiiN1yhEcD"


@pytest.fixture
def client():
    # todook: hardcoded-secret
    return Client(api_key="LgEpzXcIDea0a9ImohupuCbMDIH0BXrP", base_url="http://localhost:8080")


def test_github_token_is_sent(client):
    # ruleid: hardcoded-secret
    client.login(token="ghp_9jYg7SjjPvttfbfMLZuPjII4OoaQmzBinnpy")
    assert client.authenticated
