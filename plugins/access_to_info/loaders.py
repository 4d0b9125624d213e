"""Batch loaders of the access to information area: one statement for all the keys of a level.

Every list below a result is a `@relation` (types.py): its load function reads the rows of ALL
parents in one statement and returns one value per key, in key order, so a page of 100 laws with
their ratings and statistics costs one statement per level, not one per law. The `*_by_id`
loaders serve `node(id:)`. The plain relations are declared (`core.rows_by_key`,
`core.rows_grouped_by`: table, key, order, filters); the others are functions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select, union

from core import MAX_PAGE_SIZE, Context, from_row, models, rows_by_key, rows_grouped_by
from plugins.access_to_info.models import RtiLaw as LawRow
from plugins.access_to_info.models import RtiRating as RatingRow
from plugins.access_to_info.models import RtiRequestStatistics as StatisticsRow

# --- Load functions: one statement for all keys --------------------------------------------------

load_laws_by_id = rows_by_key(LawRow.id, lambda: types.RightToInformationLaw)
load_rti_law_by_country = rows_by_key(LawRow.country_id, lambda: types.RightToInformationLaw)
load_ratings_by_law = rows_grouped_by(
    RatingRow.law_id,
    lambda: types.RtiRating,
    # In a year, HISTORICAL before COUNTRY_PAGE: the latest is the country page's.
    order_by=(RatingRow.edition, RatingRow.series.desc()),
)


# A law's latest rating: the last in `load_ratings_by_law`'s order (edition, series descending),
# i.e. the first in the reverse order. Declared (an order, not a Python pick of the last of a
# list), so the compiled read path answers `rating` in SQL too; `series` is stored as text
# (`enum_column`): COUNTRY_PAGE sorts before HISTORICAL on both databases.
load_latest_rating_by_law = rows_by_key(
    RatingRow.law_id,
    lambda: types.RtiRating,
    order_by=(RatingRow.edition.desc(), RatingRow.series),  # UNIQUE (law_id, series, edition)
)


async def load_latest_total_by_law(ctx: Context, keys: list[int]) -> list[int | None]:
    latest = await load_latest_rating_by_law(ctx, keys)
    return [None if rating is None else int(rating.score) for rating in latest]


load_statistics_by_country = rows_grouped_by(
    StatisticsRow.country_id,
    lambda: types.RtiRequestStatistics,
    order_by=(StatisticsRow.year,),  # one row per country and year
    filters={"year": StatisticsRow.year},
)


async def load_laws_by_group(
    ctx: Context, keys: list[int], first: int = MAX_PAGE_SIZE
) -> list[list[types.RightToInformationLaw]]:
    Anchor, Membership, Organization = models.Anchor, models.Membership, models.Organization
    taking_part = union(
        select(Membership.group_id, Membership.organization_id),
        select(Anchor.group_id, Anchor.organization_id),
    ).subquery()
    stmt = (
        select(taking_part.c.group_id, models.Country.name.label("country_name"))
        .add_columns(*LawRow.__table__.c)
        .distinct()
        .join(Organization, Organization.id == taking_part.c.organization_id)
        .join(LawRow, LawRow.country_id == Organization.country_id)
        .join(models.Country, models.Country.id == LawRow.country_id)
        .where(ctx.db.any_of(taking_part.c.group_id, keys))
        .order_by(taking_part.c.group_id, "country_name", LawRow.id)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found: dict[int, list[types.RightToInformationLaw]] = defaultdict(list)
    for row in rows:
        laws = found[row.group_id]
        if len(laws) < first:  # the field's `first`, which the limits layer keeps in 1..100
            laws.append(from_row(types.RightToInformationLaw, row))
    return [found.get(key, []) for key in keys]


# --- By primary key, for node(id:) -------------------------------------------------------------


ratings_by_id = rows_by_key(RatingRow.id, lambda: types.RtiRating)
statistics_by_id = rows_by_key(StatisticsRow.id, lambda: types.RtiRequestStatistics)


# Named loaders of the `ogp_wg_loaders` hook.
LOADERS: dict[str, Any] = {"access_to_info_rti_law_by_country": load_rti_law_by_country}

# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.access_to_info import types  # noqa: E402
