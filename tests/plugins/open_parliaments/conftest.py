"""This plugin's tests call its mutations as a signed-in Support Unit staff member (writes need
a signed-in caller with the right role; the access rules have tests of their own)."""

from __future__ import annotations

import pytest

from core.testing import ClientFactory, GraphQLClient


@pytest.fixture
def client(demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]) -> GraphQLClient:
    """The default configuration over the demo data, signed in as staff."""
    return make_client(demo_db, debug=True).with_token(role_tokens["staff"])
