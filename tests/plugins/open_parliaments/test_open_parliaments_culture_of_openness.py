"""The provisions of the Declaration's "Promoting a Culture of Openness" as indicators, numbered as
the Declaration's draft commentary numbers them (open_parliaments_0005, and 0006 for provision
12); the migrations keep every recorded check."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from core.db import Database
from core.migrate import alembic_config, upgrade
from core.plugins import make_plugin_manager
from core.testing import GraphQLClient, settings_for
from plugins.open_parliaments.models import OpennessCheck

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same

INFO = """{ workingGroup(slug: "open-parliaments") { ... on OpenParliamentsGroup {
    opennessIndicators { indicator section provision provisionNumber groupOwn } } } }"""
# Title II of the draft commentary (publicmarkup.org, 2012), section by section.
CULTURE_OF_OPENNESS = [
    (1, "PUBLIC_OWNERSHIP", "Recognizing Public Ownership of Parliamentary Information"),
    (2, "OPENNESS_LEGISLATION", "Promoting a Culture of Openness through Legislation"),
    (3, "OPENNESS_OVERSIGHT", "Promoting a Culture of Openness through Oversight"),
    (4, "CIVIC_EDUCATION", "Promoting Civic Education"),
    (5, "CITIZEN_PARTICIPATION", "Encouraging Citizen Participation"),
    (6, "VIBRANT_CIVIL_SOCIETY", "Encouraging a Vibrant Civil Society"),
    (7, "PARLIAMENTARY_MONITORING", "Enabling Effective Parliamentary Monitoring"),
    (8, "SHARING_GOOD_PRACTICE", "Sharing Good Practice"),
    (9, "LEGAL_RECOURSE", "Ensuring Legal Recourse"),
    (10, "COMPLETE_INFORMATION", "Providing Complete Information"),
    (11, "TIMELY_INFORMATION", "Providing Information in a Timely Manner"),
    # Described, not titled: section 12's own page could not be read (see enums.py).
    (12, "ACCURATE_INFORMATION", "Accurate parliamentary information"),
]


async def test_the_section_is_modelled_as_numbered(client: GraphQLClient) -> None:
    data = await client.execute(INFO)
    info = data["workingGroup"]["opennessIndicators"]
    culture = [
        (i["provisionNumber"], i["indicator"], i["provision"])
        for i in info
        if i["section"] == "CULTURE_OF_OPENNESS"
    ]
    assert sorted(culture) == CULTURE_OF_OPENNESS
    # Only that section's provisions carry a number here; the group's own indicator none.
    assert all(i["provisionNumber"] is None for i in info if i["section"] != "CULTURE_OF_OPENNESS")
    api = next(i for i in info if i["indicator"] == "API")
    assert (api["groupOwn"], api["provisionNumber"]) == (True, None)


async def test_a_chamber_is_checked_on_a_new_provision(client: GraphQLClient) -> None:
    data = await client.execute('{ country(code: "GB") { legislature { houses { id kind } } } }')
    house = data["country"]["legislature"]["houses"][0]["id"]
    payload = await client.execute(
        """mutation($input: OpennessIndicatorRecordInput!) { opennessIndicatorRecord(input: $input) {
            opennessIndicator { indicator section provision provisionNumber status illustrative }
            userErrors { code } } }""",
        {
            "input": {
                "chamberId": house,
                "indicator": "CIVIC_EDUCATION",
                "status": "YES",
                "evidenceUrl": "https://example.org/parliament/education",
                "checkedOn": "2024-06-03",
                "illustrative": True,
            }
        },
    )
    result = payload["opennessIndicatorRecord"]
    assert result["userErrors"] == []
    assert result["opennessIndicator"] == {
        "indicator": "CIVIC_EDUCATION",
        "section": "CULTURE_OF_OPENNESS",
        "provision": "Promoting Civic Education",
        "provisionNumber": 4,
        "status": "YES",
        "illustrative": True,
    }


@pytest.mark.parametrize(
    ("revision", "refused"),
    [
        ("open_parliaments_0005", "ACCURATE_INFORMATION"),
        ("open_parliaments_0004", "CIVIC_EDUCATION"),
    ],
)
async def test_migration_keeps_every_check(demo_db: str, revision: str, refused: str) -> None:
    plugins = make_plugin_manager(settings_for(demo_db))
    config = alembic_config(plugins)
    db = Database(demo_db)

    async def counts() -> list[Any]:
        async with db.read() as conn:
            stmt = select(OpennessCheck.indicator, func.count()).group_by(OpennessCheck.indicator)
            return sorted(await conn.execute(stmt.order_by(OpennessCheck.indicator)))

    def downgrade(connection: Any) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    try:
        before = await counts()
        assert before  # the demo's checks
        async with db.engine.begin() as conn:
            await conn.run_sync(downgrade)
        # The older revision refuses the provisions added after it; the demo's rows are kept.
        with pytest.raises(sa.exc.IntegrityError, match=r"(?i)check"):
            async with db.write() as conn:
                chamber = (
                    await conn.execute(sa.text("SELECT min(id) FROM open_parliaments_chambers"))
                ).scalar()
                await conn.execute(
                    sa.text(
                        "INSERT INTO open_parliaments_openness_indicators (chamber_id, indicator, "
                        "status, evidence_url, checked_on, illustrative) VALUES (:c, "
                        ":i, 'YES', 'https://example.org', :d, :t)"
                    ).bindparams(c=chamber, i=refused, d=date(2024, 1, 1), t=True)
                )
    finally:
        await upgrade(db, plugins)  # the session's database is left at head whatever happened
    try:
        assert await counts() == before
    finally:
        await db.dispose()


async def test_a_check_of_provision_12_survives_the_upgrade_from_0005(demo_db: str) -> None:
    """A database at 0005 upgraded to head keeps its checks and accepts provision 12; downgraded
    again, only the checks of provision 12 go."""
    plugins = make_plugin_manager(settings_for(demo_db))
    config = alembic_config(plugins)
    db = Database(demo_db)

    def downgrade(connection: Any) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "open_parliaments_0005")

    async def rows() -> list[Any]:
        async with db.read() as conn:
            stmt = select(OpennessCheck.chamber_id, OpennessCheck.indicator, OpennessCheck.status)
            return sorted(tuple(row) for row in await conn.execute(stmt))

    try:
        before = await rows()
        async with db.engine.begin() as conn:
            await conn.run_sync(downgrade)
        assert await rows() == before
        await upgrade(db, plugins)
        assert await rows() == before
        async with db.write() as conn:
            chamber = (
                await conn.execute(sa.text("SELECT min(id) FROM open_parliaments_chambers"))
            ).scalar()
            await conn.execute(
                sa.text(
                    "INSERT INTO open_parliaments_openness_indicators (chamber_id, indicator, "
                    "status, evidence_url, checked_on, illustrative) VALUES (:c, "
                    "'ACCURATE_INFORMATION', 'PARTIAL', 'https://example.org', :d, :t)"
                ).bindparams(c=chamber, d=date(2024, 1, 1), t=True)
            )
        added = (chamber, "ACCURATE_INFORMATION", "PARTIAL")
        assert sorted([*before, added]) == await rows()
        async with db.engine.begin() as conn:
            await conn.run_sync(downgrade)
        assert await rows() == before
    finally:
        await upgrade(db, plugins)  # the session's database is left at head whatever happened
        await db.dispose()
