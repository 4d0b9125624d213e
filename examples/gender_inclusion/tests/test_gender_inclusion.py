"""The plugin over HTTP, with the fixtures ogp-working-groups ships (`core.testing`, opted into in
conftest.py): `database_url` is migrated with every installed plugin, this one included, on
SQLite (and on PostgreSQL when OGP_WG_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import pytest

from core.testing import token_for

GROUP = """{ workingGroup(slug: "gender-and-inclusion") {
    __typename theme
    ... on GenderInclusionGroup {
      priorityGroups
      commitmentSummary { total genderFocused complete }
    }
} }"""

RECORD = """mutation($input: GenderInclusionCommitmentRecordInput!) {
  genderInclusionCommitmentRecord(input: $input) {
    commitment { id title actionPlanCycle genderFocus targetGroup status country { code } }
    userErrors { code field }
  }
}"""

UPDATE = """mutation($input: GenderInclusionCommitmentUpdateInput!) {
  genderInclusionCommitmentUpdate(input: $input) {
    commitment { id title status }
    userErrors { code field }
  }
}"""


def commitment(**changes: object) -> dict[str, object]:
    return {
        "country": "gb",
        "actionPlanCycle": "2024-2026",
        "title": "Gender pay gap reporting",
        "genderFocus": True,
        "targetGroup": "WOMEN_AND_GIRLS",
        **changes,
    }


async def test_reads(client) -> None:
    """The group type, the field on Country and the root query (filter, pages), on demo data."""
    data = await client.execute(GROUP)
    assert data["workingGroup"] == {
        "__typename": "GenderInclusionGroup",
        "theme": "gender_inclusion",
        "priorityGroups": ["WOMEN_AND_GIRLS", "LGBTQIA_PLUS", "PERSONS_WITH_DISABILITIES"],
        "commitmentSummary": {"total": 6, "genderFocused": 5, "complete": 1},
    }
    data = await client.execute(
        """{ country(code: "PH") {
              all: genderInclusionCommitments { targetGroup country { code } }
              focused: genderInclusionCommitments(genderFocus: true) { targetGroup } } }"""
    )
    assert [c["targetGroup"] for c in data["country"]["all"]] == [
        "PERSONS_WITH_DISABILITIES",
        "GENERAL_PUBLIC",
    ]
    assert data["country"]["focused"] == [{"targetGroup": "PERSONS_WITH_DISABILITIES"}]

    query = """query($after: String) {
      genderInclusionCommitments(filter: {targetGroup: WOMEN_AND_GIRLS}, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { title country { code } } } }"""
    titles, after = [], None
    while True:
        page = (await client.execute(query, {"after": after}))["genderInclusionCommitments"]
        assert page["totalCount"] == 5
        titles += [node["title"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(titles) == len(set(titles)) == 5
    by_country = await client.execute(
        '{ genderInclusionCommitments(filter: {country: "ca", status: COMPLETE}) { totalCount } }'
    )
    assert by_country["genderInclusionCommitments"]["totalCount"] == 1


INVALID = [
    ({"country": "XX"}, "UNKNOWN_COUNTRY", "country"),
    ({"actionPlanCycle": "2026-2024"}, "CYCLE_ORDER", "actionPlanCycle"),
    ({"actionPlanCycle": "2024/26"}, "INVALID_CYCLE", "actionPlanCycle"),
    ({"title": "  "}, "REQUIRED", "title"),
    ({"title": "x" * 301}, "TOO_LONG", "title"),
]


async def test_writes(demo_db: str, make_client) -> None:
    """Record, correct, and a user error for each kind of invalid input."""
    client = make_client(demo_db).with_token(await token_for(demo_db, "staff"))
    recorded = (await client.execute(RECORD, {"input": commitment()}))[
        "genderInclusionCommitmentRecord"
    ]
    assert recorded["userErrors"] == []
    assert recorded["commitment"]["country"] == {"code": "GB"}
    assert recorded["commitment"]["status"] == "NOT_STARTED"

    update = {"id": recorded["commitment"]["id"], "status": "SUBSTANTIAL"}
    corrected = (await client.execute(UPDATE, {"input": update}))["genderInclusionCommitmentUpdate"]
    assert corrected == {
        "commitment": {**update, "title": "Gender pay gap reporting"},
        "userErrors": [],
    }

    for changes, code, field in INVALID:
        result = await client.execute(RECORD, {"input": commitment(**changes)})
        assert result["genderInclusionCommitmentRecord"] == {
            "commitment": None,
            "userErrors": [{"code": code, "field": ["input", field]}],
        }, changes
    again = (await client.execute(RECORD, {"input": commitment()}))[
        "genderInclusionCommitmentRecord"
    ]
    assert again["userErrors"] == [{"code": "DUPLICATE_COMMITMENT", "field": ["input", "title"]}]
    missing = await client.execute(UPDATE, {"input": {"id": "R3JvdXA6MQ", "status": "COMPLETE"}})
    assert missing["genderInclusionCommitmentUpdate"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_settings_and_disabling(demo_db: str, make_client) -> None:
    # the settings as ogp-wg.toml holds them: [plugins.gender_inclusion]
    youth = make_client(demo_db, plugins={"gender_inclusion": {"priority_groups": ["YOUTH"]}})
    data = await youth.execute(GROUP)
    assert data["workingGroup"]["priorityGroups"] == ["YOUTH"]
    as_toml = make_client(demo_db, '[plugins.gender_inclusion]\npriority_groups = ["YOUTH"]')
    assert (await as_toml.execute(GROUP)) == data

    with pytest.raises(Exception, match=r"gender_inclusion.*priority_groups"):
        make_client(demo_db, plugins={"gender_inclusion": {"priority_groups": ["X"]}})
    with pytest.raises(Exception, match=r"priority_grups.*gender_inclusion"):  # a typo
        make_client(demo_db, plugins={"gender_inclusion": {"priority_grups": ["YOUTH"]}})

    off = make_client(demo_db, plugins={"disabled": ["gender_inclusion"]})
    hidden = await off.execute('{ workingGroup(slug: "gender-and-inclusion") { theme } }')
    assert hidden["workingGroup"] is None
    errors = await off.errors('{ country(code: "PH") { genderInclusionCommitments { title } } }')
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_country_commitments_take_first(client) -> None:
    """`Country.genderInclusionCommitments` takes `first` (1..100): `first: 1` gives the first
    of the full list (the Philippines has two), `first: 101` is refused."""
    query = """query($n: Int!) { country(code: "PH") {
                 genderInclusionCommitments(first: $n) { title targetGroup } } }"""
    full = (await client.execute(query, {"n": 100}))["country"]["genderInclusionCommitments"]
    one = (await client.execute(query, {"n": 1}))["country"]["genderInclusionCommitments"]
    assert len(full) == 2 and one == full[:1]
    errors = await client.errors(query, {"n": 101})
    assert [e["extensions"]["code"] for e in errors] == ["INVALID_ARGUMENT"]
