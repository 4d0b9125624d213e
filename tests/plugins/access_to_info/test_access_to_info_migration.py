"""Upgrading a database keeps its rows: from revision 0001 (SQLite: a file of its own, so the
shared test database is not reset under other tests), and from 0002 on each backend (the
session's database, downgraded and brought back to head: `core.testing.at_revision`)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import inspect, text

from core.testing import ClientFactory, at_revision


async def test_upgrade_from_0001_keeps_the_laws(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    async with at_revision(url, "access_to_info_0001") as old:
        async with old.db.write() as conn:
            await conn.execute(
                text(
                    "INSERT INTO countries (id, alpha2, alpha3, name, region) "
                    "VALUES (1, 'KE', 'KEN', 'Kenya', 'Africa and Middle East')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO access_to_info_rti_laws (country_id, year_adopted, rti_rating) "
                    "VALUES (1, 2016, 104)"
                )
            )

        await old.upgrade()

        async with old.db.read() as conn:
            row = (
                await conn.execute(
                    text("SELECT country_id, name, year_adopted FROM access_to_info_rti_laws")
                )
            ).one()
            columns = await conn.run_sync(
                lambda sync: {
                    c["name"] for c in inspect(sync).get_columns("access_to_info_rti_laws")
                }
            )
        assert (row.country_id, row.year_adopted) == (1, 2016)
        assert row.name == "Right-to-information law (name to be recorded)"
        assert "rti_rating" not in columns


def _table(name: str, *columns: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns))


CATEGORY_VALUES = {
    "right_of_access": 4,
    "scope": 29,
    "requesting_procedures": 19,
    "exceptions_and_refusals": 19,
    "appeals": 24,
    "sanctions_and_protections": 6,
    "promotional_measures": 12,
}


async def test_upgrade_from_0002_keeps_ratings_and_appeals(
    empty_db: str, make_client: ClientFactory
) -> None:
    """Each backend: the rows of 0002 are kept; its yearly ratings become HISTORICAL rows, the
    appeals' figures move to the names that say who won, and rows without a retrieval date are
    marked illustrative."""
    async with at_revision(empty_db, "access_to_info_0002") as old, old.db.write() as conn:
        await conn.execute(
            text(
                "INSERT INTO countries (id, alpha2, alpha3, name, region) "
                "VALUES (1, 'KE', 'KEN', 'Kenya', 'Africa and Middle East')"
            )
        )
        await conn.execute(
            _table("access_to_info_rti_laws", "id", "country_id", "name", "year_adopted")
            .insert()
            .values(id=1, country_id=1, name="Access to Information Act", year_adopted=2016)
        )
        await conn.execute(
            _table(
                "access_to_info_rti_ratings",
                *("id", "law_id", "edition", "methodology_version", "source_url", "total"),
                *CATEGORY_VALUES,
            )
            .insert()
            .values(
                id=1, law_id=1, edition=2016, methodology_version="2010",
                source_url="https://www.rti-rating.org/country-data/Kenya/", total=113,
                **CATEGORY_VALUES,
            )
        )  # fmt: skip
        await conn.execute(
            _table(
                "access_to_info_request_statistics",
                *("id", "country_id", "year", "coverage", "requests_received", "appeals"),
                *("appeals_upheld", "appeals_overturned", "notes"),
            )
            .insert()
            .values(
                id=1, country_id=1, year=2024, coverage="ALL_PUBLIC_BODIES",
                requests_received=100, appeals=10, appeals_upheld=6, appeals_overturned=3,
                notes="",
            )
        )  # fmt: skip
    # leaving the block upgraded the database to head

    client = make_client(empty_db)
    data = await client.execute(
        """{ country(code: "KE") { rightToInformation { name illustrative
               ratings { series edition lastUpdated score sourceUrl retrievedOn illustrative }
               requestStatistics { appeals appealsFavouringBody appealsFavouringRequester
                                   illustrative } } } }"""
    )
    law = data["country"]["rightToInformation"]
    assert (law["name"], law["illustrative"]) == ("Access to Information Act", True)
    assert law["ratings"] == [
        {
            "series": "HISTORICAL",
            "edition": "2016",
            "lastUpdated": None,
            "score": 113,
            "sourceUrl": "https://www.rti-rating.org/country-data/Kenya/",
            "retrievedOn": None,
            "illustrative": True,
        }
    ]
    assert law["requestStatistics"] == [
        {
            "appeals": 10,
            "appealsFavouringBody": 6,
            "appealsFavouringRequester": 3,
            "illustrative": True,
        }
    ]
