"""Technical assistance and peer exchange (issue 10, section 2): closing requests and offers, and
the rules the database keeps besides a match's moves (tests/test_assistance_moves.py), over HTTP
and by raw SQL on both databases.

- an offer is closed (withdrawn) by its organisation's people or staff, once; it is then
  suggested no more;
- a SUGGESTED or PROPOSED match does not move forward (PROPOSED, ACCEPTED) once its request or
  its offer is closed (REQUEST_CLOSED / OFFER_CLOSED): it may still be DECLINED; an ACCEPTED one
  goes on;
- the database refuses a request by an organisation that is not a government or civil society's,
  a match of a request and an offer of the same organisation, and a forward move of a closed
  request's match, each mapped to the service's user error code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.assistance.models import (
    AssistanceMatch,
    AssistanceOffer,
    AssistanceRequest,
    MatchStatus,
)
from core.db import Database, utcnow
from core.plugins import make_plugin_manager
from core.testing import GraphQLClient, settings_for
from tests.test_assistance import CLOSE, ERRORS, OFFERER, REQUESTER, SUGGEST, _do, _group
from tests.test_assistance_moves import Pairs

OFFER_CLOSE = f"""mutation($o: ID!) {{ assistanceOfferClose(input: {{id: $o}}) {{
  offer {{ id status closedAt matches(first: 5) {{ nodes {{ id }} }} }} {ERRORS} }} }}"""
SIDES = (
    """query($m: ID!) { node(id: $m) { ... on AssistanceMatch { request { id } offer { id } } } }"""
)


async def _sides(client: GraphQLClient, match: str) -> tuple[str, str]:
    node = (await client.execute(SIDES, {"m": match}))["node"]
    return node["request"]["id"], node["offer"]["id"]


def _codes(answer: Any) -> list[str]:
    return [e["code"] for e in answer["userErrors"]]


async def test_closing_an_offer(client: GraphQLClient, role_tokens: dict[str, str]) -> None:
    pairs = Pairs(client, role_tokens, await _group(client, "open-data"))
    suggested = await pairs.match()
    request, offer = await _sides(client, suggested)
    assert _codes(await _do(client, OFFER_CLOSE, {"o": offer}, role_tokens[REQUESTER])) == [
        "NOT_A_PARTY"
    ]
    assert _codes(await _do(client, OFFER_CLOSE, {"o": request}, role_tokens[OFFERER])) == [
        "NOT_FOUND"
    ]
    closed = await _do(client, OFFER_CLOSE, {"o": offer}, role_tokens[OFFERER])
    assert closed["userErrors"] == [], closed
    assert closed["offer"]["status"] == "CLOSED" and closed["offer"]["closedAt"]
    assert closed["offer"]["matches"]["nodes"] == [{"id": suggested}]  # its matches stay
    again = await _do(client, OFFER_CLOSE, {"o": offer}, role_tokens["staff"])
    assert _codes(again) == ["OFFER_CLOSED"]
    # suggested no more: suggesting again for the request drops nothing, adds nothing new
    redone = await _do(client, SUGGEST, {"r": request}, role_tokens[REQUESTER])
    assert redone["userErrors"] == [], redone
    assert [m["id"] for m in redone["request"]["matches"]["nodes"]] == [suggested]
    # its SUGGESTED match does not move forward, for anyone; it may be declined
    for role in ("requester", "staff"):
        moved = await pairs.move(suggested, MatchStatus.PROPOSED, role)
        assert _codes(moved) == ["OFFER_CLOSED"], role
    declined = await pairs.move(suggested, MatchStatus.DECLINED, "requester")
    assert declined["userErrors"] == [] and declined["match"]["status"] == "DECLINED"


@pytest.mark.parametrize("side", ["request", "offer"])
async def test_a_closed_sides_matches_do_not_move_forward(
    client: GraphQLClient, role_tokens: dict[str, str], side: str
) -> None:
    pairs = Pairs(client, role_tokens, await _group(client, "open-data"))
    proposed = await pairs.match(MatchStatus.PROPOSED)
    suggested = await pairs.match()
    accepted = await pairs.match(MatchStatus.ACCEPTED)
    code = f"{side.upper()}_CLOSED"
    for match in (proposed, suggested, accepted):
        request, offer = await _sides(client, match)
        if side == "request":
            answer = await _do(client, CLOSE, {"r": request}, role_tokens[REQUESTER])
        else:
            answer = await _do(client, OFFER_CLOSE, {"o": offer}, role_tokens[OFFERER])
        assert answer["userErrors"] == [], answer
    assert _codes(await pairs.move(proposed, MatchStatus.ACCEPTED, "offerer")) == [code]
    assert _codes(await pairs.move(suggested, MatchStatus.PROPOSED, "staff")) == [code]
    # the other side's move is still WRONG_SIDE first (the order the docstring gives)
    assert _codes(await pairs.move(suggested, MatchStatus.PROPOSED, "offerer")) == ["WRONG_SIDE"]
    # work already agreed goes on; a proposal may still be withdrawn
    assert (await pairs.move(accepted, MatchStatus.IN_PROGRESS, "requester"))["userErrors"] == []
    withdrawn = await pairs.move(proposed, MatchStatus.DECLINED, "requester")
    assert withdrawn["userErrors"] == [] and withdrawn["match"]["status"] == "DECLINED"


async def test_the_database_keeps_the_requests_and_matches_rules(demo_db: str) -> None:
    errors = make_plugin_manager(settings_for(demo_db)).constraint_errors
    db = Database(demo_db)

    async def refused(write: Callable[[Any], Awaitable[Any]], name: str, code: str) -> None:
        with pytest.raises(IntegrityError) as raised:
            async with db.write() as conn:
                await write(conn)
        assert errors.constraint_names(raised.value) == [name], raised.value
        assert errors.user_error(raised.value).code == code

    try:
        async with db.read() as conn:
            request = (await conn.execute(sa.select(*AssistanceRequest.__table__.c))).first()
            match = (await conn.execute(sa.select(*AssistanceMatch.__table__.c))).first()
            by_kind = sa.text("SELECT kind, min(id) FROM organizations GROUP BY kind")
            kinds = {kind: pk for kind, pk in (await conn.execute(by_kind)).all()}
            person = dict((await conn.execute(sa.text("SELECT name, id FROM people"))).all())
        assert request is not None and match is not None
        # a request by each kind of organisation that is not a government or civil society's
        others = sorted(set(kinds) - {"GOVERNMENT", "CIVIL_SOCIETY"})
        assert others, kinds
        row = {
            k: v
            for k, v in request._mapping.items()
            if k not in ("id", "organization_id", "created_at")
        }
        for kind in others:
            await refused(
                lambda conn, kind=kind: conn.execute(
                    sa.insert(AssistanceRequest).values(
                        **row, organization_id=kinds[kind], created_at=utcnow()
                    )
                ),
                "ck_assistance_requests_requester_kind",
                "NOT_GOVERNMENT_OR_CIVIL_SOCIETY",
            )
            await refused(
                lambda conn, kind=kind: conn.execute(
                    sa.update(AssistanceRequest)
                    .where(AssistanceRequest.id == request.id)
                    .values(organization_id=kinds[kind])
                ),
                "ck_assistance_requests_requester_kind",
                "NOT_GOVERNMENT_OR_CIVIL_SOCIETY",
            )

        # an offer by the requesting organisation is never matched with its request
        async def same_organization(conn: Any) -> None:
            offer = await conn.scalar(
                sa.insert(AssistanceOffer)
                .values(
                    organization_id=request.organization_id,
                    title="Our own",
                    description="Ourselves",
                    status="OPEN",
                    created_at=utcnow(),
                    illustrative=False,
                )
                .returning(AssistanceOffer.id)
            )
            await conn.execute(
                sa.insert(AssistanceMatch).values(
                    request_id=request.id,
                    offer_id=offer,
                    status="SUGGESTED",
                    score=1,
                    illustrative=False,
                )
            )

        await refused(
            same_organization, "ck_assistance_matches_different_organizations", "SAME_ORGANIZATION"
        )

        # the match's request closed: staff cannot propose by SQL either; declining is allowed
        async def close_then_propose(conn: Any) -> None:
            await conn.execute(
                sa.update(AssistanceRequest)
                .where(AssistanceRequest.id == match.request_id)
                .values(status="CLOSED", closed_at=utcnow())
            )
            await conn.execute(
                sa.update(AssistanceMatch)
                .where(AssistanceMatch.id == match.id)
                .values(status="PROPOSED", moved_by_person_id=person["Alex Morgan"])
            )

        await refused(close_then_propose, "ck_assistance_matches_request_open", "REQUEST_CLOSED")
        async with db.write() as conn:
            await conn.execute(
                sa.update(AssistanceOffer)
                .where(AssistanceOffer.id == match.offer_id)
                .values(status="CLOSED", closed_at=utcnow())
            )
        await refused(
            lambda conn: conn.execute(
                sa.update(AssistanceMatch)
                .where(AssistanceMatch.id == match.id)
                .values(status="PROPOSED", moved_by_person_id=person["Alex Morgan"])
            ),
            "ck_assistance_matches_offer_open",
            "OFFER_CLOSED",
        )
        async with db.write() as conn:
            await conn.execute(
                sa.update(AssistanceMatch)
                .where(AssistanceMatch.id == match.id)
                .values(status="DECLINED", moved_by_person_id=person["Alex Morgan"])
            )
            assert (
                await conn.scalar(
                    sa.select(AssistanceMatch.status).where(AssistanceMatch.id == match.id)
                )
                == MatchStatus.DECLINED
            )
    finally:
        await db.dispose()
