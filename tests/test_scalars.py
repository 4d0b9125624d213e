"""`Date` and `DateTime` are specified by RFC 3339 (issue 11, point 4): both carry `@specifiedBy`,
and a `Date` input is an RFC 3339 full-date (`YYYY-MM-DD`), nothing more of ISO 8601. Through
HTTP, on both databases.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import ClientFactory, GraphQLClient

RFC_3339 = "https://www.rfc-editor.org/rfc/rfc3339"
SPECIFIED = '{ date: __type(name: "Date") { specifiedByURL } dateTime: __type(name: "DateTime") { specifiedByURL } }'
ANCHOR_SET = (
    'mutation AnchorSet($since: Date) { anchorSet(input: {groupId: "x", organizationId: "y", '
    "role: GOVERNMENT, since: $since}) { anchor { id } } }"
)


async def test_both_scalars_name_rfc_3339(empty_db: str, make_client: ClientFactory) -> None:
    data = await make_client(empty_db).execute(SPECIFIED)
    assert data == {"date": {"specifiedByURL": RFC_3339}, "dateTime": {"specifiedByURL": RFC_3339}}


async def coerced(client: GraphQLClient, since: object) -> bool:
    """True when `since` passes as a Date variable (the anonymous mutation is then refused for
    want of sign-in), False when it is refused as bad input before anything runs."""
    response = await client.post(ANCHOR_SET, {"since": since})
    codes = [error["extensions"]["code"] for error in response.json()["errors"]]
    assert codes in (["UNAUTHENTICATED"], ["BAD_USER_INPUT"]), response.text
    return codes == ["UNAUTHENTICATED"]


async def test_a_date_is_a_full_date(empty_db: str, make_client: ClientFactory) -> None:
    client = make_client(empty_db)
    assert await coerced(client, "2026-11-30")
    assert await coerced(client, "0001-01-01")
    for not_rfc_3339 in [
        "20261130",
        "2026-W48-1",
        "2026-334",
        "2026-11-30T00:00:00",
        "2026-02-30",
        20261130,
    ]:
        assert not await coerced(client, not_rfc_3339), not_rfc_3339


@pytest.fixture
def send(empty_db: str, make_client: ClientFactory) -> Iterator[Callable[[object], bool]]:
    client = make_client(empty_db, rate_limits=False)
    loop = asyncio.new_event_loop()
    yield lambda since: loop.run_until_complete(coerced(client, since))
    loop.close()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(day=st.dates(), text=st.text(max_size=12))
def test_generated_dates_pass_and_other_text_is_refused(
    send: Callable[[object], bool], day: dt.date, text: str
) -> None:
    assert send(day.isoformat())
    full_date = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)
    try:
        valid = full_date is not None and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        valid = False
    assert send(text) == valid, text
