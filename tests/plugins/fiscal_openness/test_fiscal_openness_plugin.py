"""The plugin as a whole: disabling it removes its schema but keeps its data, its migration
carries the superseded Open Budget Index rows over, and its demo data loads idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from core.db import Database
from core.migrate import upgrade
from core.plugins import make_plugin_manager
from core.testing import ClientFactory, seed_demo, settings_for

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


FIELDS = """{
  country(code: "BR") { openBudgetSurvey { edition } budgetDocuments { kind } }
  openBudgetSurveys { totalCount }
  budgetDocuments { totalCount }
}"""
RECORD = """mutation {
  openBudgetSurveyRecord(input: {country: "UY", edition: 2023, transparencyScore: 64,
                                 illustrative: true}) {
    openBudgetSurvey { edition } userErrors { code }
  }
}"""
SCHEMA_NAMES = """{
  survey: __type(name: "OpenBudgetSurvey") { name }
  commitment: __type(name: "FiscalCommitment") { name }
  country: __type(name: "Country") { fields { name } }
  query: __type(name: "Query") { fields { name } }
  mutation: __type(name: "Mutation") { fields { name } }
  themes { key }
}"""
OURS = {
    "openBudgetSurvey",
    "budgetDocuments",
    "openBudgetSurveys",
    "openBudgetSurveyRecord",
    "openBudgetSurveyCorrect",
    "budgetDocumentRecord",
    "budgetDocumentCorrect",
    "fiscalCommitmentRecord",
    "fiscalCommitmentCorrect",
}


async def _names(client) -> tuple[set[str], dict]:
    data = await client.execute(SCHEMA_NAMES)
    names = {f["name"] for key in ("country", "query", "mutation") for f in data[key]["fields"]}
    return names, data


async def test_disabling_removes_the_schema_and_keeps_the_data(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    enabled = make_client(demo_db)
    recorded = await enabled.execute(RECORD, token=role_tokens["staff"])
    assert recorded["openBudgetSurveyRecord"]["userErrors"] == []
    before = await enabled.execute(FIELDS)
    names, data = await _names(enabled)
    assert names >= OURS
    assert data["survey"] and data["commitment"]

    disabled = make_client(demo_db, plugins={"disabled": ["fiscal_openness"]})
    names, data = await _names(disabled)
    assert not OURS & names
    assert data["survey"] is None and data["commitment"] is None
    assert "fiscal_openness" not in {t["key"] for t in data["themes"]}
    errors = await disabled.errors(FIELDS)
    assert {e["extensions"]["code"] for e in errors} == {"GRAPHQL_VALIDATION_FAILED"}
    hidden = await disabled.execute('{ workingGroup(slug: "fiscal-openness") { id } }')
    assert hidden["workingGroup"] is None

    again = make_client(demo_db)
    assert await again.execute(FIELDS) == before
    uruguay = await again.execute('{ country(code: "UY") { openBudgetSurvey { edition } } }')
    assert uruguay["country"]["openBudgetSurvey"] == {"edition": 2023}


async def test_demo_is_idempotent(demo_db: str, make_client: ClientFactory) -> None:
    client = make_client(demo_db)
    query = """{ openBudgetSurveys { totalCount } budgetDocuments { totalCount }
      workingGroup(slug: "fiscal-openness") { ... on FiscalOpennessGroup {
        commitments { principles } } } }"""
    first = await client.execute(query)
    await seed_demo(demo_db)
    assert await client.execute(query) == first


async def test_migration_carries_open_budget_index_rows_over(tmp_path: Path) -> None:
    """A database at fiscal_openness_0001 with Open Budget Index rows keeps them as surveys."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    plugins = make_plugin_manager(settings_for(url))
    db = Database(url)
    try:
        await upgrade(db, plugins, "fiscal_openness_0001")
        async with db.write() as conn:
            await conn.execute(
                text(
                    "INSERT INTO countries (id, alpha2, alpha3, name, region) "
                    "VALUES (1, 'PH', 'PHL', 'Philippines', 'Asia and the Pacific')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO fiscal_openness_obs_scores (country_id, edition, "
                    "transparency_score) VALUES (1, 2012, 48), (1, 2019, 76)"
                )
            )
        await upgrade(db, plugins)
        async with db.read() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT country_id, edition, transparency_score, participation_score, "
                        "methodology_version, source_url FROM fiscal_openness_surveys "
                        "ORDER BY edition"
                    )
                )
            ).all()
            tables = (
                await conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
            ).scalars()
            assert "fiscal_openness_obs_scores" not in set(tables)
    finally:
        await db.dispose()
    url_obs = "https://internationalbudget.org/open-budget-survey"
    assert [tuple(r) for r in rows] == [
        (1, 2012, 48, None, "OBS 2012", url_obs),
        (1, 2019, 76, None, "OBS 2019", url_obs),
    ]
