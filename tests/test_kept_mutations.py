"""Kept mutations (core.compiled.kept_mutations): a mutation document the whole way answered is
run again without Strawberry's operation machinery, answering exactly what the whole way
answers. Both databases.

The differential test plays one script twice over fresh demo data: once on an app that keeps
nothing (compiled reads off: every request the whole way), once on an app that keeps (each
document's first request the whole way, the rest kept). The script covers every mutation of the
live schema (tests/mutation_cases.py), each asked anonymously twice (refused, or run: a public
mutation), then as staff with each variable made null and made an object (request errors,
refusals or user errors, whatever the mutation says), then as staff with its real input. The two
plays must answer alike: status and body, with IDs renamed
in order of appearance (SQLite may number rows anew after a reset), instants masked (the
script's own times are taken when it runs) and so are new secrets (tokens, a feed's address).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from core.compiled.kept import kept_operations
from core.testing import ClientFactory, GraphQLClient, clear, seed_demo
from tests.mutation_cases import every_step, record
from tests.server_process import people_with_tokens

SECRET = re.compile(r"[A-Za-z0-9_-]{32,}")  # a new token, a feed's address: random each play
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
REGISTER = """mutation Register($meetingId: ID!, $personId: ID!) {
  registrationCreate(input: {meetingId: $meetingId, personId: $personId}) {
    registration { status } userErrors { code }
  }
}"""


def _global_id(value: str) -> str | None:
    """The type of a global ID (`Type:pk`, base64), else None."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode()
    except ValueError:
        return None
    kind, _, pk = decoded.partition(":")
    return kind if kind.isidentifier() and pk.isdigit() else None


class Canonical:
    """Renames IDs in order of appearance (per type) and masks instants, over one play."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, str):
            kind = _global_id(value)
            if kind is not None:
                count = sum(name.startswith(f"{kind}#") for name in self.names.values())
                return self.names.setdefault(value, f"{kind}#{count}")
            return SECRET.sub("<secret>", INSTANT.sub("<instant>", value))
        return value


def _perturbed(values: dict[str, Any]) -> list[dict[str, Any]]:
    """Each variable made null, then made an object (no scalar takes one)."""
    out: list[dict[str, Any]] = []
    for name in values:
        out += [{**values, name: None}, {**values, name: {"not": "this"}}]
    return out


async def _play(url: str, client: GraphQLClient) -> list[Any]:
    """The script (see the module docstring) on `client`: each answer as (mutation, status,
    canonical body)."""
    staff = (await people_with_tokens(url, 1, staff=True, label="kept staff"))[0]
    as_staff = client.with_token(staff.token)
    schema = client.app.state.ogp.schema._schema
    steps, _ = await every_step(url, schema)
    canonical = Canonical()
    answers: list[Any] = []
    results: dict[str, Any] = {}

    async def ask(asking: GraphQLClient, field: str, document: str, values: Any) -> Any:
        response = await asking.post(document, values)
        body = response.json()
        answers.append((field, response.status_code, canonical(body)))
        return body

    for field, document, variables in steps:
        values = variables(results)
        for _ in range(2):
            await ask(client, field, document, values)
        for wrong in _perturbed(values):
            await ask(as_staff, field, document, wrong)
        body = await ask(as_staff, field, document, values)
        assert body.get("data") and body["data"][field]["userErrors"] == [], (field, body)
        record(schema, field, body["data"][field], results)
    return answers


async def _fresh(url: str) -> None:
    await clear(url)
    await seed_demo(url)


async def test_every_mutation_answers_alike_kept_or_not(
    demo_db: str, make_client: ClientFactory
) -> None:
    whole = make_client(demo_db, compiled_reads=False, rate_limits=False)
    assert kept_operations(whole.app.state.ogp) is None  # nothing kept: the whole way
    expected = await _play(demo_db, whole)
    await _fresh(demo_db)
    keeping = make_client(demo_db, compiled_reads=True, rate_limits=False)
    answers = await _play(demo_db, keeping)
    assert len(answers) == len(expected)
    for got, want in zip(answers, expected, strict=True):
        assert got == want
    kept = kept_operations(keeping.app.state.ogp)
    assert kept is not None and kept.mutations.answered > len(answers) / 2  # most were kept


async def test_a_kept_mutation_is_charged_noted_and_refused_alike(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """The rate limiter charges a kept mutation: refused, it answers the whole way's 429; a
    GET is never kept (405, as before); the metrics count each under its name."""
    from tests.test_metrics import requests_of, scrape

    person = (await people_with_tokens(demo_db, 1, label="kept registrant"))[0]
    staff = role_tokens["staff"]
    # a request costs 1 point and a mutation 10 in all: with 32, the query and three
    # mutations pass (31), the fourth is refused once it is known to be a mutation
    limits = {"rate_limits": True, "rate_limit_per_token": 32, "rate_limit_mutation_cost": 10}
    client = make_client(demo_db, debug=True, **limits).with_token(staff)
    meetings = await client.execute(
        "{ meetings(filter: {upcoming: true}, first: 3) { nodes { id } } }"
    )
    ids = [node["id"] for node in meetings["meetings"]["nodes"]]
    answers = []
    for meeting in [*ids, ids[0]]:
        response = await client.post(REGISTER, {"meetingId": meeting, "personId": person.id})
        answers.append((response.status_code, response.json()))
    assert [status for status, _ in answers] == [200, 200, 200, 429], answers
    kept = kept_operations(client.app.state.ogp)
    assert kept is not None and kept.mutations.answered == 3  # the 2nd, the 3rd, the refusal
    # the whole way's refusal of the same request (on first sight: nothing kept yet)
    budget = {**limits, "rate_limit_per_token": 5}
    whole = make_client(demo_db, debug=True, **budget).with_token(staff)
    refused = await whole.post(REGISTER, {"meetingId": ids[0], "personId": person.id})
    assert refused.status_code == 429, refused.text
    unkept = kept_operations(whole.app.state.ogp)
    assert unkept is not None and unkept.mutations.answered == 0
    retry = re.compile(r"\d+")
    assert retry.sub("N", str(answers[3][1])) == retry.sub("N", str(refused.json()))
    assert requests_of(await scrape(client))[("Register", "mutation", "ok")] == 3

    # a GET is refused as before, kept or not
    free = make_client(demo_db, debug=True, rate_limits=False).with_token(staff)
    for meeting in ids[1:]:  # kept after the first
        await free.post(REGISTER, {"meetingId": meeting, "personId": person.id})
    get = await free.http.get("/graphql", params={"query": REGISTER})
    assert get.status_code == 405, get.text
    mutations = kept_operations(free.app.state.ogp)
    assert mutations is not None and mutations.mutations.answered == 1
