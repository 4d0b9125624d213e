"""Batch loaders of the access to information area: one statement for all the keys of a level.

Every list below a result is a `@relation` (types.py): its load function reads the rows of ALL
parents in one statement and returns one value per key, in key order, so a page of 100 laws with
their ratings and statistics costs one statement per level, not one per law. The `*_by_id`
loaders serve `node(id:)`. The plain relations are declared (`core.rows_by_key`,
`core.rows_grouped_by`: table, key, order, filters); the others are functions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import (
    GROUP_COUNTRIES,
    models,
    rows_by_key,
    rows_grouped_by,
)
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


load_latest_total_by_law = rows_by_key(
    RatingRow.law_id,
    order_by=load_latest_rating_by_law.order_by,
    build=lambda row: row.total,
)
"""The latest rating's total of each law (the deprecated `rtiRating`)."""


load_statistics_by_country = rows_grouped_by(
    StatisticsRow.country_id,
    lambda: types.RtiRequestStatistics,
    order_by=(StatisticsRow.year,),  # one row per country and year
    filters={"year": StatisticsRow.year},
)


load_laws_by_group = rows_grouped_by(
    LawRow.country_id,
    lambda: types.RightToInformationLaw,
    # by the country's name: an order through another table, as an expression over the row
    order_by=(
        select(models.Country.name).where(models.Country.id == LawRow.country_id).scalar_subquery(),
        LawRow.id,
    ),
    through=(GROUP_COUNTRIES.c.group_id, GROUP_COUNTRIES.c.country_id),
)
"""The laws of the countries of each group's anchors and members, by country name."""


# --- By primary key, for node(id:) -------------------------------------------------------------


ratings_by_id = rows_by_key(RatingRow.id, lambda: types.RtiRating)
statistics_by_id = rows_by_key(StatisticsRow.id, lambda: types.RtiRequestStatistics)


# Named loaders of the `ogp_wg_loaders` hook.
LOADERS: dict[str, Any] = {"access_to_info_rti_law_by_country": load_rti_law_by_country}

# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.access_to_info import types  # noqa: E402
