"""The extractives plugin as a whole: disabling it removes its schema and keeps its data, the demo
is idempotent, and the database itself holds the invariants (a write that skipped the mutations'
checks is still refused, and a duplicate race comes out as the right user error).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import insert, select

from core import in_transaction, models
from core.db import Database
from core.plugins import make_plugin_manager
from core.testing import GraphQLClient, seed_demo, settings_for
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiMembership,
    EitiValidation,
    ExtractiveProject,
)

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


INTROSPECT = "{ __schema { types { name fields { name } } } }"

OWN_TYPES = {
    "ExtractivesGroup",
    "EitiStatus",
    "EitiValidation",
    "EitiEarlierValidation",
    "EitiStatusChange",
    "EitiRequirementAssessment",
    "EitiSuspensionReason",
    "EitiRequirementLevel",
    "EitiComponentScore",
    "ExtractiveProject",
    "ExtractiveContractDisclosure",
    "BeneficialOwnershipDisclosure",
    "ExtractiveCommodity",
    "EitiOverallAssessment",
}
OWN_QUERIES = {"extractiveProjects", "contractDisclosures", "beneficialOwnershipDisclosures"}
OWN_MUTATIONS = {
    "eitiMembershipRecord",
    "eitiValidationRecord",
    "projectRecord",
    "contractDisclosureRecord",
    "beneficialOwnerRecord",
}

SNAPSHOT = """{
  country(code: "GH") { eiti { status joinedOn validations { id score components { score } } } }
  workingGroup(slug: "extractive-industries") {
    id ... on ExtractivesGroup { eitiCountries { code } } }
  extractiveProjects(first: 100) { totalCount nodes { id name operator { name } } }
  contractDisclosures(first: 100) { totalCount nodes { id url } }
  beneficialOwnershipDisclosures(first: 100) { totalCount nodes { id ownerName } }
  organizations(filter: {text: "Western Example Gold"}) { nodes {
    beneficialOwners { ownerName } } }
}"""


def _schema(data: dict[str, Any]) -> tuple[set[str], dict[str, set[str]]]:
    types_ = data["__schema"]["types"]
    fields = {t["name"]: {f["name"] for f in t["fields"] or []} for t in types_}
    return set(fields), fields


async def test_disable_then_enable_round_trip(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    enabled = make_client(demo_db).with_token(role_tokens["staff"])
    project = await enabled.execute(
        """mutation { projectRecord(input: {country: "NG", name: "Bonga", commodity: OIL,
                                          illustrative: true}) {
             project { id } userErrors { code } } }"""
    )
    assert project["projectRecord"]["userErrors"] == []
    before = await enabled.execute(SNAPSHOT)
    assert "Bonga" in {p["name"] for p in before["extractiveProjects"]["nodes"]}

    disabled = make_client(demo_db, plugins={"disabled": ["extractives"]})
    names, fields = _schema(await disabled.execute(INTROSPECT))
    assert not names & OWN_TYPES
    assert "eiti" not in fields["Country"]
    assert "beneficialOwners" not in fields["Organization"]
    assert not fields["Query"] & OWN_QUERIES
    assert not fields["Mutation"] & OWN_MUTATIONS
    hidden = await disabled.execute(
        '{ workingGroup(slug: "extractive-industries") { id } themes { key } }'
    )
    assert hidden["workingGroup"] is None
    assert "extractives" not in {t["key"] for t in hidden["themes"]}
    for query in (
        '{ country(code: "GH") { eiti { status } } }',
        "{ extractiveProjects { totalCount } }",
    ):
        errors = await disabled.errors(query)
        assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    enabled_again = make_client(demo_db)
    assert await enabled_again.execute(SNAPSHOT) == before


async def test_demo_is_idempotent(demo_db: str, make_client: Any) -> None:
    client: GraphQLClient = make_client(demo_db)
    before = await client.execute(SNAPSHOT)
    await seed_demo(demo_db)
    assert await client.execute(SNAPSHOT) == before


async def _first_row(db: Database, model: Any) -> dict[str, Any]:
    async with db.read() as conn:
        row = (await conn.execute(select(*model.__table__.c).order_by(model.id).limit(1))).one()
    return {k: v for k, v in row._asdict().items() if k != "id"}


@pytest.mark.parametrize(
    ("model", "code"),
    [
        (EitiMembership, "DUPLICATE_EITI_MEMBERSHIP"),
        (EitiValidation, "DUPLICATE_VALIDATION"),
        (ExtractiveProject, "DUPLICATE_PROJECT"),
        (ContractDisclosure, "DUPLICATE_CONTRACT_DISCLOSURE"),
        (BeneficialOwnershipDisclosure, "DUPLICATE_BENEFICIAL_OWNER"),
    ],
)
async def test_duplicate_races_become_user_errors(demo_db: str, model: Any, code: str) -> None:
    """A duplicate that got past the mutation's check (a concurrent write) is refused by a UNIQUE
    constraint, and reported with the same code as the check's."""
    db = Database(demo_db)
    # as a request's context: the enabled plugins' constraint maps come with the app's plugins
    app = SimpleNamespace(plugins=make_plugin_manager(settings_for(demo_db)))
    try:
        values = await _first_row(db, model)
        result, errors = await in_transaction(
            SimpleNamespace(db=db, app=app),
            lambda conn: conn.execute(insert(model).values(**values)),
        )
    finally:
        await db.dispose()
    assert result is None
    assert [e.code for e in errors] == [code]


async def _country(db: Database, code: str) -> int:
    async with db.read() as conn:
        stmt = select(models.Country.id).where(models.Country.alpha2 == code)
        return (await conn.execute(stmt)).scalar_one()


async def test_database_refuses_invalid_rows(demo_db: str) -> None:
    """The mutations' checks are backed by CHECK and FOREIGN KEY constraints."""
    db = Database(demo_db)
    try:
        ghana, kenya = await _country(db, "GH"), await _country(db, "KE")
        validation = await _first_row(db, EitiValidation) | {"decided_on": date(2030, 1, 1)}
        contract = await _first_row(db, ContractDisclosure) | {"url": "https://example.org/new"}
        owner = await _first_row(db, BeneficialOwnershipDisclosure) | {"owner_name": "New"}
        invalid = [
            (EitiValidation, validation | {"transparency": 100.5}),
            (EitiValidation, validation | {"overall_score": -1}),
            (EitiValidation, validation | {"country_id": kenya}),  # not an EITI country
            (ContractDisclosure, contract | {"signed_on": date(2099, 1, 1)}),
            (BeneficialOwnershipDisclosure, owner | {"ownership_percent": 0}),
            (BeneficialOwnershipDisclosure, owner | {"ownership_percent": 100.01}),
            (BeneficialOwnershipDisclosure, owner | {"interest_since": date(2099, 1, 1)}),
            (
                ExtractiveProject,
                {"country_id": ghana, "name": "X", "commodity": "OIL", "operator_id": 999_999},
            ),
        ]
        for model, values in invalid:
            result, errors = await in_transaction(
                SimpleNamespace(db=db),
                lambda conn, model=model, values=values: conn.execute(
                    insert(model).values(**values)
                ),
            )
            assert result is None and [e.code for e in errors] == ["CONSTRAINT_VIOLATION"], values
    finally:
        await db.dispose()
