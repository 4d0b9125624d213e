"""Floats on the compiled read path (core.compiled.floats) print as orjson prints them.

Generated doubles (and the boundaries of orjson's notations) are written into the float columns
of a country's ODIN scores (the open data plugin's table, its 0-100 checks lifted for the test)
and read back through GraphQL by the three executors of tests/executors.py, which must answer
byte for byte the same; finite values compile to one statement, NaN and infinities (no GraphQL
Float) are answered by the resolver path, which reports them.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import literal_column, select, text, update

from core.db import Database
from plugins.open_data.models import OdinScore
from tests.executors import Trio

QUERY = (
    "query ($code: String!) { country(code: $code) { name odinScores { edition score "
    "coverage openness social economic environmental scaleMax } } }"
)
BOUNDARIES = [
    1e-5,
    9.999e-6,
    1e-4,
    9.999e-5,
    1e15,
    1e16,
    9999999999999998.0,
    -0.0,
    0.0,
    5e-324,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    100.0,
    0.1,
    123456789012345.67,
    1.2345e16,
    1.5e-7,
    2.2250738585072014e-308,
    -123.456,
]
SUBSCORES = ("coverage", "openness", "social", "economic", "environmental")


class Scores:
    """The country's ODIN rows, their range checks lifted (restored on close, rows deleted)."""

    def __init__(self, url: str, loop: asyncio.AbstractEventLoop) -> None:
        self.url, self.loop = url, loop
        self.sqlite = url.startswith("sqlite")
        self.checks: list[tuple[str, str]] = []
        self.code = ""  # the country with the most ODIN rows
        self.ids: list[int] = loop.run_until_complete(self._lift())
        assert len(self.ids) >= 1

    async def _lift(self) -> list[int]:
        db = Database(self.url)
        try:
            async with db.write() as conn:
                if not self.sqlite:
                    found = await conn.execute(
                        text(
                            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                            "WHERE conrelid = 'open_data_odin_scores'::regclass "
                            "AND contype = 'c' AND conname LIKE '%range%'"
                        )
                    )
                    self.checks = [(name, sql) for name, sql in found.all()]
                    for name, _ in self.checks:
                        await conn.execute(
                            text(f'ALTER TABLE open_data_odin_scores DROP CONSTRAINT "{name}"')
                        )
                most = text(
                    "SELECT c.id, c.alpha2 FROM countries c JOIN open_data_odin_scores o "
                    "ON o.country_id = c.id GROUP BY c.id, c.alpha2 "
                    "ORDER BY count(*) DESC, c.alpha2 LIMIT 1"
                )
                country_id, self.code = (await conn.execute(most)).one()
                rows = select(OdinScore.id).where(OdinScore.country_id == country_id)
                return list((await conn.execute(rows.order_by(OdinScore.id))).scalars())
        finally:
            await db.dispose()

    def write(self, values: list[dict[str, Any]]) -> None:
        async def go() -> None:
            db = Database(self.url)
            try:
                async with db.write() as conn:
                    if self.sqlite:
                        await conn.execute(text("PRAGMA ignore_check_constraints = ON"))
                    for row_id, row in zip(self.ids, values, strict=False):
                        listed = {k: self._sql(v) for k, v in row.items()}
                        await conn.execute(
                            update(OdinScore).where(OdinScore.id == row_id).values(**listed)
                        )
                    if self.sqlite:
                        await conn.execute(text("PRAGMA ignore_check_constraints = OFF"))
            finally:
                await db.dispose()

        self.loop.run_until_complete(go())

    def _sql(self, value: float | None) -> Any:
        """A value to write: NaN and infinities are literals (core.storable refuses them as
        parameters, the app never writes one: this checks the read path's defence)."""
        if value is None or math.isfinite(value):
            return value
        if math.isnan(value):
            return literal_column("NULL" if self.sqlite else "'NaN'::float8")
        sign = "-" if value < 0 else ""
        return literal_column(f"{sign}9e999" if self.sqlite else f"'{sign}Infinity'::float8")

    def close(self) -> None:
        async def restore() -> None:
            db = Database(self.url)
            try:
                async with db.write() as conn:
                    await conn.execute(text("DELETE FROM open_data_odin_scores"))
                    for name, sql in self.checks:
                        await conn.execute(
                            text(f'ALTER TABLE open_data_odin_scores ADD CONSTRAINT "{name}" {sql}')
                        )
            finally:
                await db.dispose()

        self.loop.run_until_complete(restore())


@pytest.fixture
def scores(trio: Trio, demo_db: str) -> Iterator[Scores]:
    lifted = Scores(demo_db, trio.loop)
    yield lifted
    lifted.close()


def _check(trio: Trio, scores: Scores, overall: list[float], subs: list[float | None]) -> None:
    rows = []  # every row of the country written: the values cycled
    for i in range(len(scores.ids)):
        row: dict[str, Any] = {"overall": overall[i % len(overall)]}
        for j, name in enumerate(SUBSCORES):
            row[name] = subs[(i * len(SUBSCORES) + j) % len(subs)] if subs else None
        rows.append(row)
    scores.write(rows)
    written = [v for row in rows for v in row.values() if v is not None]
    # NaN is NULL to SQLite: what is read back is what both paths answer
    finite = all(math.isfinite(v) for v in written)
    response = trio.compare(QUERY, {"code": scores.code})
    body = response.json()
    (plan,) = trio.plans(QUERY, {"code": scores.code})
    assert plan.statement is not None, plan.reason
    if finite or (scores.sqlite and all(not math.isinf(v) for v in written)):
        assert "errors" not in body, body
        assert response.headers["x-sql-statements"] == "1"
        listed = body["data"]["country"]["odinScores"]
        assert sorted(s["score"] for s in listed) == sorted(r["overall"] for r in rows)
    else:  # the resolver path answered, and reports the value
        assert "Float cannot represent non numeric value" in response.text


def test_the_boundaries_of_orjsons_notations(trio: Trio, scores: Scores) -> None:
    for start in range(0, len(BOUNDARIES), len(scores.ids)):
        overall = (BOUNDARIES[start:] + BOUNDARIES)[: len(scores.ids)]
        _check(trio, scores, overall, [*BOUNDARIES[::-1], None])
    text = trio.compare(QUERY, {"code": scores.code}).text
    assert '"scaleMax":100.0' in text


finite = st.floats(allow_nan=False, allow_infinity=False)


def test_generated_floats_print_as_orjson_prints_them(trio: Trio, scores: Scores) -> None:
    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        overall=st.lists(finite | st.floats(allow_nan=False), min_size=1, max_size=4),
        subs=st.lists(st.none() | st.floats(), min_size=1, max_size=10),
    )
    @example(overall=[math.inf], subs=[None])
    @example(overall=[1.0], subs=[math.nan, -math.inf])
    def check(overall: list[float], subs: list[float | None]) -> None:
        _check(trio, scores, overall, subs)

    check()


def test_floats_whatever_the_sessions_extra_float_digits(demo_db: str) -> None:
    """PostgreSQL prints rounded digits with extra_float_digits <= 0: the compiled expression
    sets it for its own transaction (a database default of 0 changes nothing)."""
    if demo_db.startswith("sqlite"):
        pytest.skip("PostgreSQL's setting")
    name = demo_db.rsplit("/", 1)[1].split("?")[0]

    async def set_default(value: str) -> None:
        db = Database(demo_db)
        try:
            async with db.write() as conn:
                setting = (
                    f"SET extra_float_digits = {value}" if value else "RESET extra_float_digits"
                )
                await conn.execute(text(f'ALTER DATABASE "{name}" {setting}'))
        finally:
            await db.dispose()

    asyncio.run(set_default("0"))
    try:
        executors = Trio(demo_db)
        lifted = Scores(demo_db, executors.loop)
        try:
            _check(executors, lifted, [0.1 + 0.2, 1 / 3, 1e-7 / 3], [2 / 3, 1e300 / 7])
            body = executors.compare(QUERY, {"code": lifted.code}).text
            assert "0.30000000000000004" in body
        finally:
            lifted.close()
            executors.close()
    finally:
        asyncio.run(set_default(""))
