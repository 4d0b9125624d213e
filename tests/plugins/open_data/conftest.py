"""The `client` of these tests signs in as staff: mutations need a signed-in caller allowed to
call them (core access control), and what is tested here is the area's own rules."""

from __future__ import annotations

import pytest

from core.testing import ClientFactory, GraphQLClient


@pytest.fixture
def client(demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]) -> GraphQLClient:
    """The default configuration over the demo data, signed in as the demo's staff member."""
    return make_client(demo_db, debug=True).with_token(role_tokens["staff"])
