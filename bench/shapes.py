"""Read pages of other shapes than the mix's five (issue 12, section 4: "the benchmark will also be
run on read pages of other shapes ... so make the design general"), for `bench.run --pages`:

- `organization_directory`: a directory paged by cursor (`organizations`, 50 a page by name);
- `webinar_list`: a root connection with a filter, paged by cursor (`meetings` of kind WEBINAR,
  20 a page, earliest first);
- `member_list`: a nested member list (one group's members, earliest first, with their
  organisations and countries).

They are not in the mix (bench.mix: the gate's and the soak's load) and the floor does not serve
them: `python -m bench.run --pages organization_directory,webinar_list,member_list --servers
ours,postgraphile`. Documents: bench/queries/shapes/ (ours), bench/postgraphile/queries/shapes/.

The paged pages' variables name a position, not a cursor: `{"after": None}` (the first page) or
`{"after": [sort key values of the row before the page]}`, read from the database in the order
both servers use; each server's dialect turns it into its own cursor (`ours_cursor`,
`postgraphile_cursor`), so the same variable set asks both for the same page and the runner's
data check compares them.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from core.schema.cursors import encode_cursor

BENCH = Path(__file__).parent
PAGES = ("organization_directory", "webinar_list", "member_list")

_PAGED: dict[str, tuple[int, str, tuple[str, ...]]] = {
    # page: (page size, the rows in the connection's order (sort key values), PostGraphile's
    # orderBy names as its cursors spell them)
    "organization_directory": (
        50,
        "SELECT name, id FROM organizations ORDER BY name, id",
        ("name_asc", "id_asc"),
    ),
    "webinar_list": (
        20,
        "SELECT starts_at, id FROM meetings WHERE kind = 'WEBINAR' ORDER BY starts_at, id",
        ("starts_at_asc", "id_asc"),
    ),
}


def documents(server: str) -> dict[str, str]:
    """Page -> document text, for `server` ("ours" or "postgraphile")."""
    folder = BENCH / ("postgraphile/queries" if server == "postgraphile" else "queries") / "shapes"
    return {page: (folder / f"{page}.graphql").read_text() for page in PAGES}


async def variables(database_url: str, page: str, n: int, seed: int = 1) -> list[dict[str, Any]]:
    """n variable sets for `page` (positions for the paged pages, slugs for `member_list`),
    cycling through a seeded shuffle of every page start / every group."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            if page == "member_list":
                found = await conn.execute(text("SELECT slug FROM working_groups ORDER BY id"))
                sets: list[dict[str, Any]] = [{"slug": slug} for (slug,) in found]
            else:
                size, rows_sql, _ = _PAGED[page]
                # instants as ISO 8601 text: the variables are JSON (the runner prints them)
                keys = [
                    [v.isoformat() if isinstance(v, datetime) else v for v in row]
                    for row in await conn.execute(text(rows_sql))
                ]
                # a page starts after each multiple of `size` rows; the first after none
                sets = [{"after": None}] + [
                    {"after": keys[i - 1]} for i in range(size, len(keys), size)
                ]
    finally:
        await engine.dispose()
    random.Random(seed).shuffle(sets)
    return [sets[i % len(sets)] for i in range(n)] if sets else []


def ours_cursor(page: str, variables: dict[str, Any]) -> dict[str, Any]:
    """A position as ogp-wg's cursor (core.schema.cursors: base64url of the key values)."""
    if page not in _PAGED or variables.get("after") is None:
        return variables
    return {**variables, "after": encode_cursor(variables["after"])}


def postgraphile_cursor(page: str, variables: dict[str, Any]) -> dict[str, Any]:
    """A position as PostGraphile 4's cursor: base64 of `[orderBy names..., [key values]]`."""
    if page not in _PAGED or variables.get("after") is None:
        return variables
    names = _PAGED[page][2]
    raw = json.dumps([*names, variables["after"]], separators=(",", ":"), ensure_ascii=False)
    return {**variables, "after": base64.b64encode(raw.encode()).decode()}
