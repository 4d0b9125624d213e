"""Batch loaders of the assistance domain: requests (of visible groups only), offers, matches, their
topics, languages, groups, countries, reasons and history.

Each runs a fixed number of statements for all the parents a level of the query has
(core.loading), whatever the number of parents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.assistance.models import (
    AssistanceMatch,
    AssistanceMatchMove,
    AssistanceMatchReason,
    AssistanceOffer,
    AssistanceOfferCountry,
    AssistanceOfferGroup,
    AssistanceOfferLanguage,
    AssistanceOfferTopic,
    AssistanceRequest,
    AssistanceRequestLanguage,
    AssistanceRequestTopic,
)
from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import visible_theme
from core.hookspecs import BatchLoadFn
from core.people.models import Country
from core.rows import (
    PagesByKey,
    RowsByKey,
    RowsGroupedBy,
    pages_by_key,
    rows_by_key,
    values_grouped_by,
)
from core.schema.batch import fetch_rows, grouped


def visible_requests(ctx: Context) -> Any:
    """Ids of the requests whose group is visible (its theme's plugin enabled)."""
    return (
        select(AssistanceRequest.id)
        .join(WorkingGroup, WorkingGroup.id == AssistanceRequest.group_id)
        .where(visible_theme(ctx))
    )


def _request_visible(ctx: Context) -> Any:
    return AssistanceRequest.group_id.in_(select(WorkingGroup.id).where(visible_theme(ctx)))


def _match_visible(ctx: Context) -> Any:
    return AssistanceMatch.request_id.in_(visible_requests(ctx))


requests_by_id: RowsByKey[Any] = rows_by_key(
    AssistanceRequest.id, lambda: types.AssistanceRequest, where=_request_visible
)
offers_by_id: RowsByKey[Any] = rows_by_key(AssistanceOffer.id, lambda: types.AssistanceOffer)
matches_by_id: RowsByKey[Any] = rows_by_key(
    AssistanceMatch.id, lambda: types.AssistanceMatch, where=_match_visible
)

# newest first: what a group needs now before what it asked for years ago
requests_by_group: PagesByKey[Any] = pages_by_key(
    AssistanceRequest.group_id,
    lambda: types.AssistanceRequest,
    order_by=(AssistanceRequest.created_at.desc(), AssistanceRequest.id.desc()),
    filters={"status": AssistanceRequest.status},
)
# best first: the highest score, then the oldest match
MATCH_ORDER = (AssistanceMatch.score.desc(), AssistanceMatch.id)
matches_by_request: PagesByKey[Any] = pages_by_key(
    AssistanceMatch.request_id,
    lambda: types.AssistanceMatch,
    order_by=MATCH_ORDER,
    filters={"status": AssistanceMatch.status},
)
matches_by_offer: PagesByKey[Any] = pages_by_key(
    AssistanceMatch.offer_id,
    lambda: types.AssistanceMatch,
    order_by=MATCH_ORDER,
    where=_match_visible,
    filters={"status": AssistanceMatch.status},
)


topics_by_request: RowsGroupedBy[str] = values_grouped_by(
    AssistanceRequestTopic.request_id, AssistanceRequestTopic.topic
)
languages_by_request: RowsGroupedBy[str] = values_grouped_by(
    AssistanceRequestLanguage.request_id, AssistanceRequestLanguage.language
)
topics_by_offer: RowsGroupedBy[str] = values_grouped_by(
    AssistanceOfferTopic.offer_id, AssistanceOfferTopic.topic
)
languages_by_offer: RowsGroupedBy[str] = values_grouped_by(
    AssistanceOfferLanguage.offer_id, AssistanceOfferLanguage.language
)


async def countries_by_offer(ctx: Context, keys: list[int]) -> list[list[Any]]:
    from core.people import types as people_types

    stmt = (
        select(*Country.__table__.c, AssistanceOfferCountry.offer_id.label("_key"))
        .join(AssistanceOfferCountry, AssistanceOfferCountry.country_id == Country.id)
        .where(ctx.db.any_of(AssistanceOfferCountry.offer_id, keys))
        .order_by(Country.name, Country.id)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", people_types.Country.from_row)


async def groups_by_offer(ctx: Context, keys: list[int]) -> list[list[Any]]:
    """The visible groups an offer is for, by name: two statements."""
    from core.groups.loaders import groups_by_id

    stmt = (
        select(AssistanceOfferGroup.offer_id, AssistanceOfferGroup.group_id)
        .join(WorkingGroup, WorkingGroup.id == AssistanceOfferGroup.group_id)
        .where(ctx.db.any_of(AssistanceOfferGroup.offer_id, keys))
        .order_by(WorkingGroup.name, WorkingGroup.id)
    )
    rows = await fetch_rows(ctx, stmt)
    ids = list(dict.fromkeys(row.group_id for row in rows))
    groups = dict(zip(ids, await groups_by_id(ctx, ids), strict=True)) if ids else {}
    found: dict[int, list[Any]] = {}
    for row in rows:
        group = groups.get(row.group_id)
        if group is not None:
            found.setdefault(row.offer_id, []).append(group)
    return [found.get(key, []) for key in keys]


async def reasons_by_match(ctx: Context, keys: list[int]) -> list[list[Any]]:
    """Each match's reasons in order, with the names their words need: ONE statement."""
    r = AssistanceMatchReason
    stmt = (
        select(
            *r.__table__.c,
            WorkingGroup.name.label("group_name"),
            Country.name.label("country_name"),
        )
        .outerjoin(WorkingGroup, WorkingGroup.id == r.group_id)
        .outerjoin(Country, Country.id == r.country_id)
        .where(ctx.db.any_of(r.match_id, keys))
        .order_by(r.match_id, r.position)
    )
    rows = await fetch_rows(ctx, stmt)
    return grouped(rows, keys, "match_id", types.AssistanceMatchReason.from_row)


async def moves_by_match(ctx: Context, keys: list[int]) -> list[list[Any]]:
    m = AssistanceMatchMove
    stmt = select(*m.__table__.c).where(ctx.db.any_of(m.match_id, keys)).order_by(m.match_id, m.id)
    rows = await fetch_rows(ctx, stmt)
    return grouped(rows, keys, "match_id", types.AssistanceMatchMove.from_row)


async def explanations_by_match(ctx: Context, keys: list[int]) -> list[str]:
    from core.assistance.reasons import explain

    per_match = await reasons_by_match(ctx, keys)
    return [explain([reason.facts for reason in reasons]) for reasons in per_match]


LOADERS: dict[str, BatchLoadFn] = {
    "assistance_requests_by_id": requests_by_id,
    "assistance_offers_by_id": offers_by_id,
    "assistance_matches_by_id": matches_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: why, in core/groups/loaders.py.
from core.assistance import types  # noqa: E402
