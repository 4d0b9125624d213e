"""Technical assistance and peer exchange (issue 10, section 2), over HTTP on both databases.

- the demo's suggested match and its reasons, read from the data;
- over HTTP, the reasons of a match posted with generated topics, languages, groups and
  countries equal to what the data says (an independent reading of the tables); the scoring
  itself, as a pure function: tests/test_assistance_scoring.py;
- the posting errors. A match's life (moves, the database's rules, the outcome, reads):
  tests/test_assistance_moves.py.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from core.assistance import scoring
from core.db import Database
from core.schema.ids import from_global_id
from core.testing import ClientFactory, GraphQLClient, token_for

ERRORS = "userErrors { code field message }"
MATCH = """id status score explanation nextStatuses outcomeReport illustrative
  outcomeResource { id }
  reasons { code points text topic language year commitmentId group { slug } country { code } }
  history { fromStatus toStatus note person { name } }"""
REQUEST_POST = f"""mutation($i: AssistanceRequestPostInput!) {{ assistanceRequestPost(input: $i) {{
  request {{ id status topics languages matches(first: 100) {{ nodes {{ {MATCH} offer {{ id }} }} }} }}
  {ERRORS} }} }}"""
OFFER_POST = f"""mutation($i: AssistanceOfferPostInput!) {{ assistanceOfferPost(input: $i) {{
  offer {{ id topics languages countries {{ code }} groups {{ slug }}
    matches(first: 100) {{ nodes {{ {MATCH} request {{ id }} }} }} }} {ERRORS} }} }}"""
MOVE = f"""mutation($i: AssistanceMatchMoveInput!) {{ assistanceMatchMove(input: $i) {{
  match {{ {MATCH} }} {ERRORS} }} }}"""
PUBLISH = f"""mutation($m: ID!) {{ assistanceMatchPublishOutcome(input: {{matchId: $m}}) {{
  match {{ {MATCH} }} {ERRORS} }} }}"""
SUGGEST = f"""mutation($r: ID!) {{ assistanceMatchesSuggest(input: {{requestId: $r}}) {{
  request {{ id matches(first: 100) {{ nodes {{ id score }} }} }} {ERRORS} }} }}"""
CLOSE = f"""mutation($r: ID!) {{ assistanceRequestClose(input: {{id: $r}}) {{
  request {{ id status closedAt }} {ERRORS} }} }}"""
GROUP = """query($s: String!) { workingGroup(slug: $s) { id } }"""
DEMO = f"""{{ workingGroup(slug: "open-data") {{ assistanceRequests(first: 5) {{ nodes {{
  title kind status illustrative topics languages country {{ code }}
  organization {{ name }} matches(first: 5) {{ nodes {{ {MATCH}
    offer {{ title organization {{ name }} countries {{ code }} groups {{ slug }} }} }} }} }} }} }} }}"""

# the demo's people: member = Government of Kenya (ICT Authority), a member of the open data
# group; anchor = Government of Canada (Treasury Board Secretariat), its anchor
REQUESTER, OFFERER = "member", "anchor"


async def _group(client: GraphQLClient, slug: str) -> str:
    return str((await client.execute(GROUP, {"s": slug}))["workingGroup"]["id"])


async def _do(client: GraphQLClient, doc: str, variables: dict[str, Any], token: str) -> Any:
    data = await client.execute(doc, variables, token=token)
    (payload,) = data.values()
    return payload


# --- the demo ------------------------------------------------------------------------------------


async def test_the_demo_match_and_its_reasons(client: GraphQLClient) -> None:
    (request,) = (await client.execute(DEMO))["workingGroup"]["assistanceRequests"]["nodes"]
    assert request["kind"] == "PEER_EXCHANGE" and request["illustrative"] is True
    assert request["languages"] == ["es"]
    assert request["organization"]["name"] == "Government of Uruguay (AGESIC)"
    (match,) = request["matches"]["nodes"]
    assert match["status"] == "SUGGESTED" and match["illustrative"] is True
    assert match["offer"]["organization"]["name"] == "Fundación Ciudadano Inteligente"
    texts = [r["text"] for r in match["reasons"]]
    assert texts == [
        "the offer is for the request's group, Open Data Working Group",
        "both work on beneficial ownership",
        "both work on open data",
        "both work in Spanish",
        "Chile completed a commitment on beneficial ownership in its action plan that ended in 2020",
    ]
    assert match["explanation"] == "; ".join(texts)
    assert match["score"] == sum(r["points"] for r in match["reasons"]) == 105
    peer = match["reasons"][-1]
    assert peer["country"] == {"code": "CL"} and peer["year"] == 2020
    # the commitment the reason names is Chile's, completed, on the topic, ending that year
    found = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Commitment { reference themes
          actionPlan { cycleEnd country { code } } irmAssessment { completion } } } }""",
        {"id": peer["commitmentId"]},
    )
    node = found["node"]
    assert node["reference"] == "CL0061" and "beneficial-ownership" in node["themes"]
    assert node["actionPlan"]["country"]["code"] == "CL"
    assert node["actionPlan"]["cycleEnd"].startswith("2020")
    assert node["irmAssessment"]["completion"] == "COMPLETE"
    assert match["history"] == [
        {"fromStatus": None, "toStatus": "SUGGESTED", "note": None, "person": None}
    ]


# --- reasons over HTTP match the data ------------------------------------------------------------


@contextmanager
def _running(url: str) -> Iterator[tuple[Callable[[Any], Any], GraphQLClient, dict[str, str]]]:
    loop = asyncio.new_event_loop()
    factory = ClientFactory()
    try:
        tokens = {
            r: loop.run_until_complete(token_for(url, r)) for r in ("member", "anchor", "staff")
        }
        yield loop.run_until_complete, factory(url), tokens
    finally:
        loop.run_until_complete(factory.close())
        loop.close()


async def _completions(url: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(country alpha-2, topic) -> (commitment id, year) of its latest completed commitment, read
    from the tables with SQL of this test's own."""
    db = Database(url)
    try:
        async with db.read() as conn:
            rows = await conn.execute(
                sa.text(
                    "SELECT c.alpha2, t.topic, p.cycle_end, m.id FROM commitments m "
                    "JOIN action_plans p ON p.id = m.action_plan_id "
                    "JOIN countries c ON c.id = p.country_id "
                    "JOIN commitment_topics t ON t.commitment_id = m.id "
                    "JOIN irm_assessments a ON a.commitment_id = m.id "
                    "WHERE a.completion = 'COMPLETE' ORDER BY p.cycle_end, m.id DESC"
                )
            )
            found: dict[tuple[str, str], tuple[int, int]] = {}
            for alpha2, topic, ended, commitment in rows:
                year = int(str(ended)[:4])
                found[(alpha2, topic)] = (int(commitment), year)  # the latest wins
            return found
    finally:
        await db.dispose()


POOL = ["anti-corruption", "beneficial-ownership", "open-data", "open-contracting", "x-one"]
NAMES = {"en": "English", "es": "Spanish", "fr": "French"}
GROUPS = ["open-data", "fiscal-openness", "extractive-industries"]


def test_a_posted_match_has_the_reasons_the_data_gives(demo_db: str) -> None:
    counter = itertools.count()
    with _running(demo_db) as (run, client, tokens):
        done = run(_completions(demo_db))
        group_ids = {slug: run(_group(client, slug)) for slug in GROUPS}

        @settings(max_examples=8, deadline=None, database=None)
        @given(
            st.frozensets(st.sampled_from(POOL), min_size=1),
            st.frozensets(st.sampled_from(POOL), min_size=1),
            st.frozensets(st.sampled_from(list(NAMES)), min_size=1),
            st.frozensets(st.sampled_from(list(NAMES)), min_size=1),
            st.frozensets(st.sampled_from(GROUPS)),
            st.frozensets(st.sampled_from(["CL", "KE", "GB"])),
        )
        def posted(
            rt: frozenset[str],
            ot: frozenset[str],
            rl: frozenset[str],
            ol: frozenset[str],
            groups: frozenset[str],
            countries: frozenset[str],
        ) -> None:
            n = next(counter)
            # a topic of this example only, so no other example's offer shares it
            own = f"example-{n}"
            offer = run(
                _do(
                    client,
                    OFFER_POST,
                    {
                        "i": {
                            "title": f"Offer {n}",
                            "description": "Generated",
                            "topics": [own, *ot],
                            "languages": sorted(ol),
                            "groupIds": [group_ids[g] for g in sorted(groups)],
                            "countries": sorted(countries),
                        }
                    },
                    tokens[OFFERER],
                )
            )
            assert offer["userErrors"] == [], offer
            request = run(
                _do(
                    client,
                    REQUEST_POST,
                    {
                        "i": {
                            "groupId": group_ids["open-data"],
                            "title": f"Request {n}",
                            "needs": "Generated",
                            "kind": "TECHNICAL_ASSISTANCE",
                            "country": "KE",
                            "topics": [own, *rt],
                            "languages": sorted(rl),
                        }
                    },
                    tokens[REQUESTER],
                )
            )
            assert request["userErrors"] == [], request
            (match,) = [
                m
                for m in request["request"]["matches"]["nodes"]
                if m["offer"]["id"] == offer["offer"]["id"]
            ]
            r_topics, o_topics = {own, *rt}, {own, *ot}
            expected = []
            if "open-data" in groups:
                expected.append(
                    ("SAME_GROUP", "the offer is for the request's group, Open Data Working Group")
                )
            expected += [
                ("SHARED_TOPIC", f"both work on {t.replace('-', ' ')}")
                for t in sorted(r_topics & o_topics)
            ]
            expected += [("SHARED_LANGUAGE", f"both work in {NAMES[c]}") for c in sorted(rl & ol)]
            names = {"CL": "Chile", "KE": "Kenya", "GB": "United Kingdom", "CA": "Canada"}
            peers = []
            for code in sorted({"CA", *countries}):  # the offerer's own country and those
                for topic in sorted(r_topics):
                    if (code, topic) in done:
                        peers.append((code, topic))
            got_peers = [
                (r["country"]["code"], r["topic"])
                for r in match["reasons"]
                if r["code"] == "PEER_COMPLETED"
            ]
            assert sorted(got_peers) == sorted(peers)
            for reason in match["reasons"]:
                if reason["code"] == "PEER_COMPLETED":
                    key = (reason["country"]["code"], reason["topic"])
                    commitment, year = done[key]
                    assert reason["year"] == year
                    assert from_global_id(reason["commitmentId"]) == ("Commitment", commitment)
                    assert (
                        reason["text"]
                        == f"{names[key[0]]} completed a commitment on {key[1].replace('-', ' ')}"
                        f" in its action plan that ended in {year}"
                    )
            got = [
                (r["code"], r["text"]) for r in match["reasons"] if r["code"] != "PEER_COMPLETED"
            ]
            assert got == expected
            assert match["score"] == sum(scoring.POINTS[r["code"]] for r in match["reasons"])
            # suggesting again is deterministic: the same reasons, the same score
            again = run(_do(client, SUGGEST, {"r": request["request"]["id"]}, tokens[REQUESTER]))
            assert again["userErrors"] == []
            scores = {m["id"]: m["score"] for m in again["request"]["matches"]["nodes"]}
            assert scores[match["id"]] == match["score"]

        posted()


POST_CASES = [
    ({"topics": ["Beneficial Ownership"]}, "member", "INVALID_TOPIC", "topics"),
    ({"topics": []}, "member", "REQUIRED", "topics"),
    ({"languages": ["xx"]}, "member", "UNKNOWN_LANGUAGE", "languages"),
    ({"country": "ZZ"}, "member", "UNKNOWN_COUNTRY", "country"),
    ({"neededBy": "2001-01-01"}, "member", "NEEDED_BY_PAST", "neededBy"),
    ({"title": " "}, "member", "REQUIRED", "title"),
    ({"organization": "World Bank"}, "staff", "NOT_GOVERNMENT_OR_CIVIL_SOCIETY", "organizationId"),
    (
        {"organization": "Government of Ghana (Ministry of Finance)"},
        "staff",
        "NOT_A_MEMBER",
        "organizationId",
    ),
]


async def test_posting_errors(client: GraphQLClient, role_tokens: dict[str, str]) -> None:
    group = await _group(client, "open-data")
    orgs = await client.execute("{ organizations(first: 100) { nodes { id name } } }")
    org_ids = {o["name"]: o["id"] for o in orgs["organizations"]["nodes"]}
    base = {
        "groupId": group,
        "title": "T",
        "needs": "N",
        "kind": "PEER_EXCHANGE",
        "country": "KE",
        "topics": ["open-data"],
        "languages": ["en"],
    }
    for change, role, code, field in POST_CASES:
        change = dict(change)
        if "organization" in change:
            change = {"organizationId": org_ids[change.pop("organization")]}
        answer = await _do(client, REQUEST_POST, {"i": base | change}, role_tokens[role])
        assert [(e["code"], e["field"]) for e in answer["userErrors"]] == [
            (code, ["input", field])
        ], (change, answer)
    # someone signed in with no role in the group may not ask it; a member may not act for
    # another organisation
    body = (await client.post(REQUEST_POST, {"i": base}, token=role_tokens["other"])).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    other = base | {"organizationId": org_ids["Government of Uruguay (AGESIC)"]}
    body = (await client.post(REQUEST_POST, {"i": other}, token=role_tokens["member"])).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    offer = {
        "title": "O",
        "description": "D",
        "topics": ["open-data"],
        "languages": ["en"],
        "countries": ["ZZ"],
    }
    answer = await _do(client, OFFER_POST, {"i": offer}, role_tokens["anchor"])
    assert [e["code"] for e in answer["userErrors"]] == ["UNKNOWN_COUNTRY"]
    answer = await _do(client, OFFER_POST, {"i": offer | {"countries": []}}, role_tokens["other"])
    assert [e["code"] for e in answer["userErrors"]] == ["REQUIRED"]  # no organisation
