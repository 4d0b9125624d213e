"""Technical assistance and peer exchange (issue 10, section 2): a match's life, over HTTP on both
databases (the reasons and the posting: tests/test_assistance.py).

- every move of a match from every status by every role (requester, offerer, staff, someone
  else): allowed exactly as core/assistance/moves.py's table says, else the user error;
- the outcome report required to complete, the completion in the group's feed;
- the database's own refusal of a bad move by raw SQL, and the history it writes;
- the outcome report made a draft LESSON_LEARNED resource;
- reads (roots, filters, a group's requests, node) and closing a request:
  tests/test_assistance_reads.py.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.assistance import moves
from core.assistance.models import AssistanceMatch, AssistanceMatchMove, MatchStatus
from core.db import Database
from core.plugins import make_plugin_manager
from core.schema.ids import from_global_id
from core.testing import GraphQLClient, settings_for
from tests.test_assistance import (
    MOVE,
    OFFER_POST,
    OFFERER,
    PUBLISH,
    REQUEST_POST,
    REQUESTER,
    _do,
    _group,
)

# --- moves: every status, every target, every role -----------------------------------------------

ROLES = ("requester", "offerer", "staff", "other")
TOKEN_OF = {"requester": REQUESTER, "offerer": OFFERER, "staff": "staff", "other": "other"}
PERSON_OF = {"requester": "Wanjiru Kamau", "offerer": "Claire Tremblay", "staff": "Alex Morgan"}
PATH = {
    MatchStatus.SUGGESTED: [],
    MatchStatus.PROPOSED: [MatchStatus.PROPOSED],
    MatchStatus.ACCEPTED: [MatchStatus.PROPOSED, MatchStatus.ACCEPTED],
    MatchStatus.IN_PROGRESS: [MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS],
    MatchStatus.COMPLETED: [
        MatchStatus.PROPOSED,
        MatchStatus.ACCEPTED,
        MatchStatus.IN_PROGRESS,
        MatchStatus.COMPLETED,
    ],
    MatchStatus.DECLINED: [MatchStatus.DECLINED],
}
"""How staff take a new SUGGESTED match to each status."""


def expected(frm: MatchStatus, to: MatchStatus, role: str) -> str | None:
    """The user error code of `role` moving `frm` -> `to` (None: the move is made), from the
    table of core/assistance/moves.py read as the docs say."""
    if role == "other":
        return "NOT_A_PARTY"
    if (frm, to) not in moves.MOVES:
        return "MATCH_WRONG_STATUS"
    side = {"requester": moves.REQUESTER, "offerer": moves.OFFERER}.get(role)
    if role != "staff" and side not in moves.MOVES[(frm, to)]:
        return "WRONG_SIDE"
    return None


class Pairs:
    """New request/offer pairs (a topic of their own each, so they match only each other)."""

    def __init__(self, client: GraphQLClient, tokens: dict[str, str], group: str) -> None:
        self.client, self.tokens, self.group = client, tokens, group
        self.count = itertools.count()

    async def match(self, status: MatchStatus = MatchStatus.SUGGESTED) -> str:
        n = next(self.count)
        topic = f"pair-{n}"
        offer = await _do(
            self.client,
            OFFER_POST,
            {
                "i": {
                    "title": f"Offer {n}",
                    "description": "Moves",
                    "topics": [topic],
                    "languages": ["en"],
                }
            },
            self.tokens[OFFERER],
        )
        assert offer["userErrors"] == [], offer
        request = await _do(
            self.client,
            REQUEST_POST,
            {
                "i": {
                    "groupId": self.group,
                    "title": f"Request {n}",
                    "needs": "Moves",
                    "kind": "PEER_EXCHANGE",
                    "country": "KE",
                    "topics": [topic],
                    "languages": ["en"],
                }
            },
            self.tokens[REQUESTER],
        )
        assert request["userErrors"] == [], request
        (match,) = request["request"]["matches"]["nodes"]
        for step in PATH[status]:
            moved = await self.move(match["id"], step, "staff")
            assert moved["userErrors"] == [], moved
        return str(match["id"])

    async def move(self, match: str, to: MatchStatus, role: str, **more: Any) -> Any:
        payload: dict[str, Any] = {"matchId": match, "status": to.value, "note": f"by {role}"}
        if to is MatchStatus.COMPLETED:
            payload["outcomeReport"] = "Two calls and a shared template; the register opens."
        return await _do(self.client, MOVE, {"i": payload | more}, self.tokens[TOKEN_OF[role]])


@pytest.mark.parametrize("frm", list(MatchStatus), ids=lambda s: s.value)
async def test_every_move_by_every_role(
    client: GraphQLClient, role_tokens: dict[str, str], frm: MatchStatus
) -> None:
    pairs = Pairs(client, role_tokens, await _group(client, "open-data"))
    for role in ROLES:
        cases = {to: expected(frm, to, role) for to in MatchStatus}
        match = await pairs.match(frm)
        for to, code in cases.items():
            if code is None:
                continue
            answer = await pairs.move(match, to, role)
            assert answer["match"] is None, (frm, to, role)
            assert [e["code"] for e in answer["userErrors"]] == [code], (frm, to, role, answer)
        allowed = [to for to, code in cases.items() if code is None]
        for index, to in enumerate(allowed):
            target = match if index == 0 else await pairs.match(frm)
            answer = await pairs.move(target, to, role)
            assert answer["userErrors"] == [], (frm, to, role, answer)
            moved = answer["match"]
            assert moved["status"] == to.value
            assert moved["nextStatuses"] == [s.value for s in moves.allowed_targets(to)]
            last = moved["history"][-1]
            assert last == {
                "fromStatus": frm.value,
                "toStatus": to.value,
                "note": f"by {role}",
                "person": {"name": PERSON_OF[role]},
            }
            assert len(moved["history"]) == len(PATH[frm]) + 2  # birth, staff's path, this
            if to is MatchStatus.COMPLETED:
                assert moved["outcomeReport"].startswith("Two calls")


async def test_completing_needs_an_outcome_report(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    pairs = Pairs(client, role_tokens, await _group(client, "open-data"))
    match = await pairs.match(MatchStatus.IN_PROGRESS)
    answer = await pairs.move(match, MatchStatus.COMPLETED, "requester", outcomeReport="  ")
    assert [(e["code"], e["field"]) for e in answer["userErrors"]] == [
        ("REQUIRED", ["input", "outcomeReport"])
    ]


async def test_a_completed_match_is_in_the_group_feed(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    group = await _group(client, "open-data")
    pairs = Pairs(client, role_tokens, group)
    match = await pairs.match(MatchStatus.COMPLETED)
    feed = await client.execute(
        """query($g: ID!) { node(id: $g) { ... on WorkingGroup { activity(first: 3) {
          nodes { verb subject { id } } } } } }""",
        {"g": group},
    )
    verbs = [(e["verb"], (e["subject"] or {}).get("id")) for e in feed["node"]["activity"]["nodes"]]
    assert verbs[0] == ("ASSISTANCE_MATCH_COMPLETED", match)
    assert verbs[1][0] == "ASSISTANCE_REQUEST_POSTED"


# --- the database keeps the rules ----------------------------------------------------------------


async def test_the_database_refuses_a_bad_move_and_keeps_the_history(demo_db: str) -> None:
    errors = make_plugin_manager(settings_for(demo_db)).constraint_errors
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            match_id = await conn.scalar(sa.select(AssistanceMatch.id))
            person = dict((await conn.execute(sa.text("SELECT name, id FROM people"))).all())

        async def refused(values: dict[str, Any], name: str, code: str) -> None:
            with pytest.raises(IntegrityError) as raised:
                async with db.write() as conn:
                    await conn.execute(
                        sa.update(AssistanceMatch)
                        .where(AssistanceMatch.id == match_id)
                        .values(**values)
                    )
            assert errors.constraint_names(raised.value) == [name], raised.value
            assert errors.user_error(raised.value).code == code

        await refused(
            {"status": "COMPLETED", "outcome_report": "x", "completed_at": sa.func.now()},
            "ck_assistance_matches_allowed_transition",
            "MATCH_WRONG_STATUS",
        )
        # the offering organisation's person may not propose: the requester's move
        await refused(
            {"status": "PROPOSED", "moved_by_person_id": person["Valentina Fuentes"]},
            "ck_assistance_matches_mover_allowed",
            "WRONG_SIDE",
        )
        await refused(
            {"status": "PROPOSED", "moved_by_person_id": None},
            "ck_assistance_matches_mover_allowed",
            "WRONG_SIDE",
        )
        with pytest.raises(IntegrityError) as raised:
            async with db.write() as conn:
                row = (
                    await conn.execute(
                        sa.text("SELECT request_id, offer_id FROM assistance_matches")
                    )
                ).first()
                assert row is not None
                await conn.execute(sa.delete(AssistanceMatch))
                await conn.execute(
                    sa.insert(AssistanceMatch).values(
                        request_id=row.request_id,
                        offer_id=row.offer_id,
                        status="ACCEPTED",
                        score=1,
                        illustrative=False,
                    )
                )
        assert errors.constraint_names(raised.value) == ["ck_assistance_matches_allowed_transition"]
        # the requesting organisation's person proposes; the history is the database's
        async with db.write() as conn:
            await conn.execute(
                sa.update(AssistanceMatch)
                .where(AssistanceMatch.id == match_id)
                .values(
                    status="PROPOSED",
                    moved_by_person_id=person["Martin Pereira"],
                    move_note="by SQL",
                )
            )
        # completing without an outcome report is refused by a CHECK
        for step in ("ACCEPTED", "IN_PROGRESS"):
            async with db.write() as conn:
                await conn.execute(
                    sa.update(AssistanceMatch)
                    .where(AssistanceMatch.id == match_id)
                    .values(status=step, moved_by_person_id=person["Alex Morgan"], move_note=None)
                )
        await refused(
            {"status": "COMPLETED", "completed_at": sa.func.now()},
            "ck_assistance_matches_completed_with_outcome",
            "REQUIRED",
        )
        async with db.read() as conn:
            history = (
                await conn.execute(
                    sa.select(
                        AssistanceMatchMove.from_status,
                        AssistanceMatchMove.to_status,
                        AssistanceMatchMove.person_id,
                        AssistanceMatchMove.note,
                    )
                    .where(AssistanceMatchMove.match_id == match_id)
                    .order_by(AssistanceMatchMove.id)
                )
            ).all()
        assert [tuple(h) for h in history] == [
            (None, "SUGGESTED", None, None),
            ("SUGGESTED", "PROPOSED", person["Martin Pereira"], "by SQL"),
            ("PROPOSED", "ACCEPTED", person["Alex Morgan"], None),
            ("ACCEPTED", "IN_PROGRESS", person["Alex Morgan"], None),
        ]
    finally:
        await db.dispose()


# --- the outcome becomes a resource --------------------------------------------------------------


async def test_the_outcome_becomes_a_draft_lesson_learned(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    pairs = Pairs(client, role_tokens, await _group(client, "open-data"))
    early = await pairs.match(MatchStatus.ACCEPTED)
    answer = await _do(client, PUBLISH, {"m": early}, role_tokens[REQUESTER])
    assert [e["code"] for e in answer["userErrors"]] == ["MATCH_WRONG_STATUS"]
    match = await pairs.match(MatchStatus.COMPLETED)
    answer = await _do(client, PUBLISH, {"m": match}, role_tokens["other"])
    assert [e["code"] for e in answer["userErrors"]] == ["NOT_A_PARTY"]
    answer = await _do(client, PUBLISH, {"m": match}, role_tokens[REQUESTER])
    assert answer["userErrors"] == [], answer
    resource_id = answer["match"]["outcomeResource"]["id"]
    assert from_global_id(resource_id)[0] == "Resource"
    query = """query($id: ID!) { node(id: $id) { ... on Resource { kind status title body
      languages tags organization { name } } } }"""
    found = (await client.execute(query, {"id": resource_id}, token=role_tokens[REQUESTER]))["node"]
    assert found["kind"] == "LESSON_LEARNED" and found["status"] == "DRAFT"
    assert found["title"].startswith("Lessons from Request")
    assert found["body"].startswith("Two calls and a shared template")
    assert found["languages"] == ["en"] and found["tags"] == [found["tags"][0]]
    assert found["organization"]["name"] == "Government of Kenya (ICT Authority)"
    assert (await client.execute(query, {"id": resource_id}))["node"] is None  # a draft
    again = await _do(client, PUBLISH, {"m": match}, role_tokens[OFFERER])
    assert [e["code"] for e in again["userErrors"]] == ["OUTCOME_ALREADY_PUBLISHED"]
    # the draft deleted (by its authors): the match forgets it, and the outcome is published anew
    delete = """mutation($id: ID!) { resourceDelete(input: {id: $id}) {
      deletedResourceId userErrors { code } } }"""
    gone = (await client.execute(delete, {"id": resource_id}, token=role_tokens[REQUESTER]))[
        "resourceDelete"
    ]
    assert gone == {"deletedResourceId": resource_id, "userErrors": []}
    read = """query($id: ID!) { node(id: $id) { ... on AssistanceMatch { outcomeResource { id }
      } } }"""
    node = (await client.execute(read, {"id": match}, token=role_tokens[REQUESTER]))["node"]
    assert node == {"outcomeResource": None}
    anew = await _do(client, PUBLISH, {"m": match}, role_tokens[OFFERER])
    assert anew["userErrors"] == [], anew
    again_id = anew["match"]["outcomeResource"]["id"]
    redone = (await client.execute(query, {"id": again_id}, token=role_tokens[REQUESTER]))["node"]
    assert redone["kind"] == "LESSON_LEARNED" and redone["status"] == "DRAFT"
    assert redone["body"].startswith("Two calls and a shared template")
