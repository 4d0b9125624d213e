"""The fast executor returns exactly what graphql-core's standard executor returns."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import ClientFactory

DOCUMENTS: list[tuple[str, dict[str, Any] | None]] = [
    (
        """{ workingGroups(first: 50) { totalCount pageInfo { hasNextPage endCursor }
             edges { cursor node { __typename id slug name theme status memberCount createdAt
               anchors { id role since organization { name kind website country { code name } } }
               members(role: MEMBER) { role joinedAt organization { name } }
               ... on FiscalOpennessGroup { sufficientTransparencyThreshold }
               ... on OpenDataGroup { charterPrinciples }
               meetings(first: 3, filter: {upcoming: true}) { nodes { title startsAt remainingPlaces
                 registrations(first: 2) { totalCount nodes { status person { name } } } } } } } } }""",
        None,
    ),
    (
        """query($slug: String!, $first: Int!) { workingGroup(slug: $slug) {
             ...G  upcoming: meetings(filter: {upcoming: true}, first: $first) { nodes { ...M } }
             past: meetings(filter: {upcoming: false}, first: $first) { nodes { ...M } } } }
           fragment G on WorkingGroup { name anchors { role organization { name } } }
           fragment M on Meeting { id title kind startsAt endsAt timezone capacity remainingPlaces
                                   isSummit group { slug } }""",
        {"slug": "open-data", "first": 5},
    ),
    (
        """{ countries { __typename code alpha3 name region ogpMemberSince
             organizations { name people { name organization { name } } }
             workingGroups { slug }
             openBudgetSurvey { edition transparency { score scaleMax } sufficientTransparency } } }""",
        None,
    ),
    (
        """{ organizations(first: 30, filter: {kind: [GOVERNMENT, CIVIL_SOCIETY]}) {
             nodes { name kind country { code } workingGroups { slug anchors { role } } } } }""",
        None,
    ),
    (
        """{ meetings(filter: {summit: true}, first: 10) { edges { node { title
             group { ... on WorkingGroup { slug } __typename }
             registrations(first: 100, status: ATTENDED) { nodes { status createdAt
               person { name organization { country { name } } } } } } } } }""",
        None,
    ),
    (
        """{ a: workingGroup(slug: "open-data") { name } b: workingGroup(slug: "zzz") { name } }""",
        None,
    ),
    (
        """{ workingGroup(slug: "open-data") { anchors @include(if: false) { role } name @skip(if: true) slug } }""",
        None,
    ),
]


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_fast_executor_matches_standard(
    demo_db: str, make_client: ClientFactory, document: str, variables: dict[str, Any] | None
) -> None:
    standard = make_client(demo_db, fast_execution=False)
    fast = make_client(demo_db)
    expected = await standard.post(document, variables)
    actual = await fast.post(document, variables)
    assert "errors" not in expected.json(), expected.json()
    assert actual.text == expected.text  # same data, same field order, byte for byte
