"""Technical assistance and peer exchange (issue 10, section 2), read over HTTP on both
databases: the roots and their filters, a group's requests, `node` and `nodes`, closing a
request, and a read of every request with its matches that does not go row by row. A match's
moves: tests/test_assistance_moves.py.
"""

from __future__ import annotations

from typing import Any

from core.assistance.models import MatchStatus
from core.testing import GraphQLClient
from tests.test_assistance import CLOSE, OFFERER, REQUESTER, SUGGEST, _do, _group
from tests.test_assistance_moves import Pairs


async def test_reads_filters_and_closing(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    roots = """query($rf: AssistanceRequestFilter, $of: AssistanceOfferFilter) {
      assistanceRequests(filter: $rf, first: 10) { totalCount nodes { id title } }
      assistanceOffers(filter: $of, first: 10) { totalCount nodes { id title } } }"""
    demo = {"title": "Peer exchange: publishing beneficial ownership data"}
    for rf in (
        {"topic": "beneficial-ownership"},
        {"language": "es", "kind": "PEER_EXCHANGE", "status": "OPEN", "country": "uy"},
        {"groupId": await _group(client, "open-data")},
    ):
        data = await client.execute(roots, {"rf": rf, "of": {"topic": "beneficial-ownership"}})
        assert [{"title": n["title"]} for n in data["assistanceRequests"]["nodes"]] == [demo]
        assert data["assistanceOffers"]["totalCount"] == 1
    for rf in (
        {"topic": "budget"},
        {"language": "fr"},
        {"kind": "TECHNICAL_ASSISTANCE"},
        {"groupId": await _group(client, "fiscal-openness")},
        {"status": "CLOSED"},
    ):
        data = await client.execute(roots, {"rf": rf, "of": {"language": "fr"}})
        assert data["assistanceRequests"]["totalCount"] == 0, rf
        assert data["assistanceOffers"]["nodes"] == []
    (request,) = (
        data["assistanceRequests"]["nodes"]
        or (await client.execute(roots, {"rf": {}, "of": {}}))["assistanceRequests"]["nodes"]
    )
    node = await client.execute(
        """query($id: ID!) { node(id: $id) { id ... on AssistanceRequest { title
          matches(first: 1) { nodes { id offer { id matches(first: 1) { nodes { id } } } } } } } }""",
        {"id": request["id"]},
    )
    match = node["node"]["matches"]["nodes"][0]
    assert match["offer"]["matches"]["nodes"] == [{"id": match["id"]}]
    fetched = await client.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [match["id"], match["offer"]["id"]]},
    )
    assert [n["__typename"] for n in fetched["nodes"]] == ["AssistanceMatch", "AssistanceOffer"]
    # closing: the requesting organisation's people or staff, once
    group = await _group(client, "open-data")
    pairs = Pairs(client, role_tokens, group)
    await pairs.match()
    mine = (await client.execute(roots, {"rf": {"topic": "pair-0"}, "of": {}}))[
        "assistanceRequests"
    ]["nodes"][0]["id"]
    refused = await _do(client, CLOSE, {"r": mine}, role_tokens[OFFERER])
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_A_PARTY"]
    closed = await _do(client, CLOSE, {"r": mine}, role_tokens[REQUESTER])
    assert closed["request"]["status"] == "CLOSED" and closed["request"]["closedAt"]
    again = await _do(client, CLOSE, {"r": mine}, role_tokens[REQUESTER])
    assert [e["code"] for e in again["userErrors"]] == ["REQUEST_CLOSED"]
    suggest = await _do(client, SUGGEST, {"r": mine}, role_tokens[REQUESTER])
    assert [e["code"] for e in suggest["userErrors"]] == ["REQUEST_CLOSED"]
    by_group = await client.execute(
        """query($g: ID!) { node(id: $g) { ... on WorkingGroup {
          assistanceRequests(status: CLOSED, first: 5) { nodes { id } } } } }""",
        {"g": group},
    )
    assert by_group["node"]["assistanceRequests"]["nodes"] == [{"id": mine}]


READ_ALL = """{ assistanceRequests(first: 10) { nodes { id topics languages country { code }
  organization { name } group { slug } matches(first: 5) { nodes { id score explanation
    reasons { code text country { code } group { slug } } history { toStatus person { name } }
    offer { id topics languages groups { slug } countries { code } organization { name } } } } } } }"""


async def test_reading_does_not_go_row_by_row(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    """The SQL statements a read of every request with its matches, reasons, history and offers
    runs do not grow with the number of requests, matches and reasons (one per level)."""
    client = make_client(demo_db, debug=True)
    pairs = Pairs(client, role_tokens, await _group(client, "open-data"))
    counts, sizes = [], []
    for more in (1, 3):  # from one moved match (its history has a person) to four
        for _ in range(more):
            await pairs.match(MatchStatus.PROPOSED)
        response = await client.post(READ_ALL)
        body = response.json()
        assert "errors" not in body, body
        sizes.append(len(body["data"]["assistanceRequests"]["nodes"]))
        counts.append(int(response.headers["x-sql-statements"]))
    assert sizes == [2, 5]
    assert counts[0] == counts[1], counts
