"""Batch loaders of the groups domain: working groups (only those of visible themes), anchors,
members.

Each runs ONE statement for all the parents a level of the query has (core.loading); the
relation fields of core/groups/types.py and the other domains' types name them. Only groups of
visible themes are ever read (core/groups/visible.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, literal, null, select, type_coerce, union, union_all

from core.compiled.declare import CountsByKey, counts_by_key
from core.context import Context
from core.groups.models import (
    Anchor,
    AnchorTerm,
    GroupDecision,
    Membership,
    ProposedAnchor,
    WorkingGroup,
)
from core.groups.visible import in_visible_groups, visible_theme
from core.hookspecs import BatchLoadFn
from core.people.models import Organization
from core.rows import RowsByKey, RowsGroupedBy, rows_by_key, rows_grouped_by
from core.schema.batch import by_key, fetch_rows, grouped
from core.schema.pagination import paginate_children


def build_group(ctx: Context, row: Any) -> Any:
    """The concrete type of the group's theme (only visible themes are ever selected)."""
    return ctx.app.group_types[row.theme](**types.group_fields(row))


def group_variants(ctx: Context) -> tuple[str, tuple[str, ...]]:
    """A group's concrete type is its theme's (`build_group`): the compiled read path builds one
    JSON object per visible theme's type (core.compiled)."""
    return "theme", ctx.app.visible_themes


groups_by_id: RowsByKey[Any] = rows_by_key(
    WorkingGroup.id,
    build_with=build_group,
    variants=group_variants,
    where=visible_theme,
)
"""A group by its ID, of visible themes only (core/groups/visible.py), as its theme's type: a
declaration, so a meeting's, an anchor's or a member's `group` compiles (core.compiled)."""


GROUP_ORGANIZATIONS = union(
    select(Membership.group_id, Membership.organization_id),
    select(Anchor.group_id, Anchor.organization_id),
).subquery("group_organizations")
"""`(group_id, organization_id)`: each group's anchor and member organisations (observers
included), each pair once: a link for a declared load's `through=` (core.rows)."""
GROUP_COUNTRIES = union(
    *(
        select(link.group_id, Organization.country_id).join(
            Organization, Organization.id == link.organization_id
        )
        for link in (Membership, Anchor)
    )
).subquery("group_countries")
"""`(group_id, country_id)`: the countries of each group's anchor and member organisations,
each pair once (a NULL country for an organisation with none): a link for `through=`."""


def _groups_through(parent: Any, group_id: Any) -> RowsGroupedBy[Any]:
    """The visible groups linked to each parent by a link's `(parent, group_id)` pairs, by name,
    each of its theme's type."""
    return rows_grouped_by(
        WorkingGroup.id,
        build_with=build_group,
        variants=group_variants,
        where=visible_theme,
        order_by=(WorkingGroup.name, WorkingGroup.id),
        through=(parent, group_id),
    )


groups_by_organization: RowsGroupedBy[Any] = _groups_through(
    GROUP_ORGANIZATIONS.c.organization_id, GROUP_ORGANIZATIONS.c.group_id
)
"""The visible groups an organisation anchors or is a member of."""
groups_by_country: RowsGroupedBy[Any] = _groups_through(
    GROUP_COUNTRIES.c.country_id, GROUP_COUNTRIES.c.group_id
)
"""The visible groups anchored or joined by a country's organisations, each once."""


anchors_by_group: RowsGroupedBy[Any] = rows_grouped_by(
    Anchor.group_id, lambda: types.Anchor, order_by=(Anchor.role, Anchor.since, Anchor.id)
)
proposed_anchors_by_group: RowsGroupedBy[Any] = rows_grouped_by(
    ProposedAnchor.group_id, lambda: types.ProposedAnchor, order_by=(ProposedAnchor.id,)
)


async def anchor_history_by_group(ctx: Context, keys: list[int], first: int = 100) -> list[Any]:
    """Every term of each group, current (the anchors table) and ended (anchor_terms), by start
    (unknown first), then end (current last)."""
    terms = union_all(
        select(
            Anchor.group_id,
            Anchor.organization_id,
            Anchor.role,
            Anchor.since.label("started_on"),
            type_coerce(null(), Date).label("ended_on"),
            Anchor.source,
            literal(1).label("_open"),
            Anchor.id.label("_id"),
        ).where(ctx.db.any_of(Anchor.group_id, keys)),
        select(
            AnchorTerm.group_id,
            AnchorTerm.organization_id,
            AnchorTerm.role,
            AnchorTerm.started_on,
            AnchorTerm.ended_on,
            AnchorTerm.source,
            literal(0).label("_open"),
            AnchorTerm.id.label("_id"),
        ).where(ctx.db.any_of(AnchorTerm.group_id, keys)),
    ).subquery()
    stmt = select(terms).order_by(
        terms.c.started_on.is_not(None),
        terms.c.started_on,
        terms.c._open,
        terms.c.ended_on,
        terms.c._id,
    )
    found = grouped(await fetch_rows(ctx, stmt), keys, "group_id", types.AnchorTerm.from_row)
    return [terms_of[:first] for terms_of in found]  # a handful per group: cut here


async def decisions_by_group(
    ctx: Context,
    keys: list[int],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Any]:
    pages = await paginate_children(
        ctx.db,
        select(*GroupDecision.__table__.c),
        GroupDecision.group_id,
        keys,
        (GroupDecision.decided_on, GroupDecision.id),
        types.GroupDecision.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


async def decisions_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = in_visible_groups(ctx, GroupDecision, GroupDecision.group_id).where(
        ctx.db.any_of(GroupDecision.id, keys)
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.GroupDecision.from_row)


members_by_group: RowsGroupedBy[Any] = rows_grouped_by(
    Membership.group_id,
    lambda: types.Membership,
    order_by=(Membership.joined_at, Membership.id),
    filters={"role": Membership.role},
)


member_counts_by_group: CountsByKey = counts_by_key(Membership.group_id)
"""Members and observers per group (a declared count: the compiled read path counts in SQL)."""


async def anchors_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = in_visible_groups(ctx, Anchor, Anchor.group_id).where(ctx.db.any_of(Anchor.id, keys))
    return by_key(await fetch_rows(ctx, stmt), keys, types.Anchor.from_row)


async def memberships_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = in_visible_groups(ctx, Membership, Membership.group_id).where(
        ctx.db.any_of(Membership.id, keys)
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.Membership.from_row)


LOADERS: dict[str, BatchLoadFn] = {
    "groups_by_id": groups_by_id,
    "anchors_by_id": anchors_by_id,
    "memberships_by_id": memberships_by_id,
    "group_decisions_by_id": decisions_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: the types module needs this module's loaders while its classes are
# being defined, and the loaders above need `types` only when they run. Importing it here breaks
# the cycle whichever of the two modules is imported first (`from core import load_countries` in
# a fresh interpreter imports this one first).
from core.groups import types  # noqa: E402
