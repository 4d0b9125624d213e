"""A test-only plugin for the compiled read path (tests/test_compiled_nested.py): a country's
ODIN scores read again (the open data plugin's table) as objects holding OBJECTS built from the
same row (one by one or in a list), null by their builder's rule, in lists and pages ordered
by SQL expressions (a CASE ranking the editions), through the public API (`core`) only, as a
partner would write it; and a summary of a table with row rules, which the core refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import aliased

from core import (
    Connection,
    Theme,
    hookimpl,
    models,
    pages_by_key,
    relation,
    rows_by_key,
    rows_grouped_by,
    types,
)
from core.auth import Viewer
from core.auth.middleware import viewer_of
from core.meetings.models import Registration
from plugins.open_data.models import OdinScore as Row

KEY = "nested_views"
EDITIONS = ("2024/25", "2022/23", "2020/21", "2018/19", "2016", "2017")
EDITION_RANK = case({edition: i for i, edition in enumerate(EDITIONS)}, value=Row.edition, else_=99)
"""An order that is no column: the editions in a fixed order, any other last."""


@strawberry.type
class NestedViewsGroup(types.WorkingGroup):
    """The test theme's groups (it has none: the plugin only adds fields)."""


@strawberry.type
class NestedScore:
    value: float
    edition: str


@strawberry.type
class NestedPair:
    coverage: float | None
    openness: float | None
    inner: NestedScore
    note: str


@strawberry.type
class NestedOdin:
    edition: str
    overall: NestedScore
    coverage: NestedScore | None
    pair: NestedPair | None
    fixed: NestedScore
    coverage_required: float
    """Non-null from a nullable column: an error on the resolver path where it is NULL."""
    pair_required: NestedPair
    """Non-null, and its builder gives None: the same."""
    subscores: list[NestedScore | None]
    """A list of objects made from the row: coverage's and openness' (null where it is)."""
    present_subscores: list[NestedScore]
    """The same without its nulls: a list as long as the row decides (not compiled)."""
    gated: NestedScore | None
    """The overall score, null where coverage is: decided on a column it does not read."""
    gated_list: list[NestedScore]
    """The same as a list, empty where openness is null (neither compiled)."""

    @classmethod
    def from_row(cls, row: Any) -> NestedOdin:
        both_null = row.coverage is None and row.openness is None
        pair = (
            None
            if both_null
            else NestedPair(
                coverage=row.coverage,
                openness=row.openness,
                inner=NestedScore(value=row.overall, edition=row.edition),
                note="either",
            )
        )
        subscores = [
            None if value is None else NestedScore(value=value, edition=row.edition)
            for value in (row.coverage, row.openness)
        ]
        return cls(
            edition=row.edition,
            overall=NestedScore(value=row.overall, edition=row.edition),
            coverage=None
            if row.coverage is None
            else NestedScore(value=row.coverage, edition=row.edition),
            pair=pair,
            fixed=NestedScore(value=100.0, edition="all"),
            coverage_required=row.coverage,
            pair_required=pair,  # type: ignore[arg-type]
            subscores=subscores,
            present_subscores=[score for score in subscores if score is not None],
            gated=None if row.coverage is None else NestedScore(value=row.overall, edition="x"),
            gated_list=[]
            if row.openness is None
            else [NestedScore(value=row.overall, edition="x")],
        )


@strawberry.type
class NestedOdinRanked(NestedOdin):
    """The same, reached as a page: the list's type is its own."""


nested_odin = rows_grouped_by(
    Row.country_id, lambda: NestedOdin, order_by=(EDITION_RANK, Row.id.desc())
)
nested_odin_page = pages_by_key(
    Row.country_id, lambda: NestedOdinRanked, order_by=(EDITION_RANK, Row.id)
)


@relation(nested_odin, default=[], description="Test only: ODIN scores as nested objects.")
def nested_odin_scores(root: types.Country) -> list[NestedOdin]: ...


@relation(nested_odin_page, description="Test only: the same, paged.")
def nested_odin_page_of(
    root: types.Country,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[NestedOdinRanked]: ...


# Each country linked to itself twice (UNION ALL): a link holding a pair twice
TWICE = union_all(
    *(select(Row.country_id.label("parent"), Row.country_id.label("child")) for _ in range(2))
).subquery("twice")
# A link through a table with row rules (a person's registrations): refused
BY_REGISTRATIONS = select(
    Registration.person_id.label("parent"), Registration.meeting_id.label("child")
).subquery("by_registrations")


@relation(
    rows_grouped_by(
        Row.country_id,
        lambda: NestedOdin,
        order_by=(EDITION_RANK, Row.id.desc()),
        through=(TWICE.c.parent, TWICE.c.child),
    ),
    default=[],
    description="Test only: nestedOdinScores through a link holding each pair twice.",
)
def nested_odin_linked_twice(root: types.Country) -> list[NestedOdin]: ...


@relation(
    rows_grouped_by(
        Row.country_id,
        lambda: NestedOdin,
        order_by=(Row.id,),
        through=(BY_REGISTRATIONS.c.parent, BY_REGISTRATIONS.c.child),
    ),
    default=[],
    description="Test only: rows through a link over a table with row rules (refused).",
)
def nested_governed_link(root: types.Country) -> list[NestedOdin]: ...


DERIVED = (
    select(Row.id, Row.country_id, Row.edition, Row.overall, models.Country.name.label("country"))
    .join(models.Country, models.Country.id == Row.country_id)
    .subquery("nested_derived")
)
"""A derived table of the ODIN scores and their countries: a declaration reading a subquery of
two tables, not a table."""
_LATER = aliased(Row)
LATER_EDITIONS = (
    select(func.count())
    .select_from(_LATER)
    .where(_LATER.country_id == DERIVED.c.country_id, _LATER.edition > DERIVED.c.edition)
    .scalar_subquery()
)
"""An order term correlated to the derived table's row: how many of its country's scores are
of a later edition (so: latest edition first)."""


@relation(
    rows_grouped_by(
        DERIVED.c.country_id,
        build=lambda row: NestedScore(value=row.overall, edition=row.edition),
        order_by=(LATER_EDITIONS, DERIVED.c.id),
    ),
    default=[],
    description="Test only: ODIN scores from a derived table, ordered by a correlated count.",
)
def nested_derived_scores(root: types.Country) -> list[NestedScore]: ...


@strawberry.type
class NestedCount:
    count: int


REGISTRATIONS_PER_MEETING = (
    select(Registration.meeting_id, func.count().label("count"))
    .group_by(Registration.meeting_id)
    .subquery()
)
"""A summary of a table with row rules (registrations): refused by core.access.rows."""


@relation(
    rows_by_key(REGISTRATIONS_PER_MEETING.c.meeting_id, NestedCount),
    description="Test only: a summary over a governed table (refused).",
)
def nested_governed_summary(root: types.Country) -> NestedCount | None: ...


def _edition(person_id: int | None) -> str:
    return EDITIONS[(person_id or 0) % len(EDITIONS)]


VIEWER_READS: dict[str, Callable[[Any], Any]] = {
    # the viewer's id, read as a declaration would
    "byId": lambda ctx: Row.edition == _edition(ctx.viewer.person_id),
    # the viewer the middleware left in the request's scope
    "byRequest": lambda ctx: Row.edition == _edition(viewer_of(ctx.request).person_id),
    # the viewer compared, not read
    "byComparison": lambda ctx: (
        Row.edition == (EDITIONS[0] if ctx.viewer == Viewer(person_id=1) else EDITIONS[1])
    ),
}
"""Declarations whose SQL depends on the viewer through something other than the core's rules,
each in its own way: a statement kept for one person must not serve another
(core.compiled.watch)."""


def _chosen_by_viewer(way: str) -> Any:
    @relation(
        rows_grouped_by(
            Row.country_id,
            lambda: NestedScore,
            build=lambda row: NestedScore(value=row.overall, edition=row.edition),
            where=VIEWER_READS[way],
            order_by=(Row.id,),
        ),
        default=[],
        name=f"nestedScores{way[0].upper()}{way[1:]}",
        description="Test only: the ODIN scores of one edition, chosen by who is asking.",
    )
    def scores(root: types.Country) -> list[NestedScore]: ...

    return scores


class Plugin:
    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key=KEY, title="Nested views", summary="Test only.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        return NestedViewsGroup

    @hookimpl
    def ogp_wg_type_fields(self) -> dict[str, list[Any]]:
        return {
            "Country": [
                nested_odin_scores,
                nested_odin_page_of,
                nested_governed_summary,
                nested_odin_linked_twice,
                nested_derived_scores,
                nested_governed_link,
                *(_chosen_by_viewer(way) for way in VIEWER_READS),
            ]
        }


plugin = Plugin()
