"""Thematic records as evidence of commitments: the core API any plugin uses (issue 10, section 3:
"records of the plugins (a budget document, an RTI law, a beneficial-ownership disclosure) can be
linked to the commitments they evidence").

- A plugin declares which of its `Node` types are evidence (hook `ogp_wg_evidence_types`);
  `evidence_types()` checks the declarations when the schema is built (a class that is not a
  fetchable Node type stops start-up, naming the plugin).
- A link is a `commitment_evidence` row: the commitment, the record's type name and global ID
  (stored as given, so any plugin's record fits without a foreign key into its tables), who
  added it and when; UNIQUE (commitment_id, record_id).
- `link_evidence(conn, reference, record_id)`: for a plugin's demo data (public as
  `core.link_evidence`), idempotent.
- `link()` / `unlink()`: the mutations' services; `evidence_by_commitment`: the loader of
  `Commitment.evidence`, records fetched through their node loaders (one statement per type),
  those the viewer may not see left out of pages and `totalCount` alike.

Who may link: staff, and the anchors of a group the commitment is linked to (commitment_groups):
anchors answer for what their group follows. A commitment may be followed by several groups, so
the rule is checked here rather than by a declared `MutationRule` target (a Scope has one group).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.access.roles import access_of, refusal
from core.commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentEvidence,
    CommitmentGroup,
    CommitmentTopic,
)
from core.db import utcnow
from core.errors import Rejected, user_error
from core.hookspecs import BatchLoadFn
from core.models import Country
from core.plugins import PluginError, PluginSet
from core.schema.base import Node
from core.schema.cursors import resume_after, resume_before, sort_keys
from core.schema.ids import from_global_id, pk_of
from core.schema.nodes import loader_name
from core.schema.pagination import Connection, Edge, PageInfo, PageRequest, page_request
from core.transactions import ConstraintError

if TYPE_CHECKING:
    from core.context import Context

HOOK = "ogp_wg_evidence_types"
ORDER = (CommitmentEvidence.added_at, CommitmentEvidence.id)
"""Oldest link first."""

ALREADY_LINKED = ConstraintError(
    "ALREADY_LINKED", "the record is already evidence of this commitment", "recordId"
)
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_commitment_evidence_commitment_id_record_id": ALREADY_LINKED,
}


# --- declarations --------------------------------------------------------------------------------


def evidence_types(plugins: PluginSet, loaders: Mapping[str, BatchLoadFn]) -> dict[str, str]:
    """{node type name: plugin key} of the evidence types the enabled plugins declare, checked:
    each a class implementing `Node` with a `node_type` that `node(id:)` can fetch (`loaders`:
    the app's, after core.schema.nodes). Raises PluginError naming the plugin and the hook."""
    found: dict[str, str] = {}
    for key, declared in plugins.call(HOOK):
        if isinstance(declared, str | bytes) or not hasattr(declared, "__iter__"):
            raise PluginError(f"plugin '{key}' (hook {HOOK}) must return a list of Node classes")
        for cls in declared:
            node_type = getattr(cls, "node_type", None)
            if not (isinstance(cls, type) and issubclass(cls, Node) and isinstance(node_type, str)):
                raise PluginError(
                    f"plugin '{key}' (hook {HOOK}): {cls!r} is not a Strawberry type "
                    "implementing core.types.Node with a node_type"
                )
            if loader_name(node_type) not in loaders:
                raise PluginError(
                    f"plugin '{key}' (hook {HOOK}): {node_type} has no node loader; declare "
                    f"it in ogp_wg_node_loaders so its records can be fetched"
                )
            if found.setdefault(node_type, key) != key:
                raise PluginError(
                    f"plugins '{found[node_type]}' and '{key}' both declare {node_type} "
                    f"(hook {HOOK})"
                )
    return found


def declared_types(ctx: Context) -> Mapping[str, str]:
    """The evidence types of the request's app (checked when its schema was built)."""
    found: Mapping[str, str] = getattr(ctx.app.schema, "evidence_types", {})
    return found


# --- the plugins' API ----------------------------------------------------------------------------


async def _commitment_by_reference(
    conn: AsyncConnection, reference: str, country: str | None
) -> int | None:
    stmt = select(Commitment.id).where(Commitment.reference == reference)
    if country is not None:
        stmt = (
            stmt.join(ActionPlan, ActionPlan.id == Commitment.action_plan_id)
            .join(Country, Country.id == ActionPlan.country_id)
            .where(Country.alpha2 == country.upper())
        )
    found = (await conn.execute(stmt.limit(2))).scalars().all()
    if len(found) > 1:
        raise ValueError(
            f"several action plans hold a commitment {reference!r}: give country= to choose"
        )
    return found[0] if found else None


class CommitmentRef(NamedTuple):
    """A commitment as a plugin's demo data finds it (`find_commitments`)."""

    reference: str
    country: str
    cycle_start: date
    cycle_end: date


async def find_commitments(
    conn: AsyncConnection, *, country: str, topics: Iterable[str]
) -> list[CommitmentRef]:
    """The commitments of `country` (ISO alpha-2) that have any of `topics` among their themes,
    oldest plan first, with their plan's cycle: what a plugin's demo data links its records to
    (`link_evidence`) without knowing which commitments the demo holds."""
    stmt = (
        select(Commitment.reference, Country.alpha2, ActionPlan.cycle_start, ActionPlan.cycle_end)
        .join(ActionPlan, ActionPlan.id == Commitment.action_plan_id)
        .join(Country, Country.id == ActionPlan.country_id)
        .where(
            Country.alpha2 == country.upper(),
            Commitment.id.in_(
                select(CommitmentTopic.commitment_id).where(CommitmentTopic.topic.in_(list(topics)))
            ),
        )
        .order_by(ActionPlan.cycle_start, Commitment.position, Commitment.id)
    )
    return [CommitmentRef(*row) for row in (await conn.execute(stmt)).all()]


async def link_evidence(
    conn: AsyncConnection,
    commitment_reference: str,
    record_id: str,
    *,
    country: str | None = None,
    added_by_person_id: int | None = None,
) -> bool:
    """Link the record with global ID `record_id` (e.g. `core.to_global_id("BudgetDocument",
    pk)`) as evidence of the commitment whose OGP reference is `commitment_reference` ("CL0061";
    `country`, an ISO alpha-2 code, when the reference is not unique), in the caller's
    transaction. Idempotent: True when the link exists afterwards, False when no such
    commitment is loaded (e.g. the commitments' demo data is not there). Raises ValueError for a
    `record_id` that is not a global ID, or an ambiguous reference: a programming error in demo
    data, not a user's. The record's type is not checked here (demo data runs without the app);
    a type no enabled plugin declares is simply not listed by `Commitment.evidence`."""
    decoded = from_global_id(record_id)
    if decoded is None:
        raise ValueError(f"{record_id!r} is not a global ID (core.to_global_id(type, pk))")
    commitment = await _commitment_by_reference(conn, commitment_reference, country)
    if commitment is None:
        return False
    exists = await conn.scalar(
        select(CommitmentEvidence.id).where(
            CommitmentEvidence.commitment_id == commitment,
            CommitmentEvidence.record_id == record_id,
        )
    )
    if exists is None:
        await conn.execute(
            insert(CommitmentEvidence).values(
                commitment_id=commitment,
                record_type=decoded[0],
                record_id=record_id,
                added_by_person_id=added_by_person_id,
                added_at=utcnow(),
            )
        )
    return True


# --- the mutations' services ---------------------------------------------------------------------


async def _commitment(conn: AsyncConnection, global_id: str) -> Any:
    pk = pk_of(global_id, "Commitment")
    row = None
    if pk is not None:
        stmt = select(*Commitment.__table__.c).where(Commitment.id == pk)
        row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(
            user_error("NOT_FOUND", f"no commitment with id {global_id!r}", "commitmentId")
        )
    return row


async def _may_link(ctx: Context, conn: AsyncConnection, commitment_id: int) -> None:
    """Staff, or an anchor of a group the commitment is linked to; else FORBIDDEN."""
    access = access_of(ctx)
    roles = await access.roles()
    if roles.staff:
        return
    groups = (
        await conn.execute(
            select(CommitmentGroup.group_id).where(CommitmentGroup.commitment_id == commitment_id)
        )
    ).scalars()
    if not any(group in roles.anchor_of for group in groups):
        raise refusal(
            ctx.viewer,
            "change this commitment's evidence (staff, or an anchor of a group it is linked to)",
        )


async def _record(ctx: Context, record_id: str) -> tuple[str, Any]:
    """(type name, object) of a record the viewer may see, of a declared evidence type."""
    decoded = from_global_id(record_id)
    if decoded is not None and decoded[0] not in declared_types(ctx):
        message = f"{decoded[0]} is not a type of commitment evidence of an enabled plugin"
        raise Rejected(user_error("NOT_EVIDENCE_TYPE", message, "recordId"))
    found = None if decoded is None else await ctx.loader(loader_name(decoded[0])).load(decoded[1])
    if decoded is None or found is None:
        raise Rejected(user_error("NOT_FOUND", f"no object with id {record_id!r}", "recordId"))
    return decoded[0], found


async def link(
    ctx: Context, conn: AsyncConnection, commitment_id: str, record_id: str
) -> tuple[Any, Any]:
    """Link a record as evidence of a commitment: (the commitment's row, the record). User
    errors: NOT_FOUND (commitmentId; recordId: no such object, or one the viewer may not see),
    NOT_EVIDENCE_TYPE (recordId of a type no enabled plugin declares), ALREADY_LINKED. GraphQL
    error FORBIDDEN: neither staff nor an anchor of a group the commitment is linked to."""
    commitment = await _commitment(conn, commitment_id)
    await _may_link(ctx, conn, commitment.id)
    type_name, record = await _record(ctx, record_id)
    key = (CommitmentEvidence.commitment_id == commitment.id) & (
        CommitmentEvidence.record_id == record_id
    )
    if await conn.scalar(select(CommitmentEvidence.id).where(key)) is not None:
        raise Rejected(user_error(ALREADY_LINKED.code, ALREADY_LINKED.message, "recordId"))
    await conn.execute(
        insert(CommitmentEvidence).values(
            commitment_id=commitment.id,
            record_type=type_name,
            record_id=record_id,
            added_by_person_id=ctx.viewer.person_id,
            added_at=utcnow(),
        )
    )
    return commitment, record


async def unlink(
    ctx: Context, conn: AsyncConnection, commitment_id: str, record_id: str
) -> tuple[Any, Any]:
    """Remove a record from a commitment's evidence: (the commitment's row, the record, or None
    when the viewer may no longer see it). User errors: NOT_FOUND (commitmentId), NOT_LINKED.
    GraphQL error FORBIDDEN as for `link`."""
    commitment = await _commitment(conn, commitment_id)
    await _may_link(ctx, conn, commitment.id)
    removed = await conn.execute(
        delete(CommitmentEvidence).where(
            CommitmentEvidence.commitment_id == commitment.id,
            CommitmentEvidence.record_id == record_id,
        )
    )
    if not removed.rowcount:
        message = "the record is not evidence of this commitment"
        raise Rejected(user_error("NOT_LINKED", message, "recordId"))
    decoded = from_global_id(record_id)
    record = None
    if decoded is not None and loader_name(decoded[0]) in ctx.app.loaders:
        record = await ctx.loader(loader_name(decoded[0])).load(decoded[1])
    return commitment, record


# --- reading -------------------------------------------------------------------------------------


async def evidence_by_commitment(
    ctx: Context,
    keys: list[int],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[Any]]:
    """One page of each commitment's evidence records that the viewer may see, oldest link
    first; `totalCount` counts the same records, so pages and count agree with `node(id:)`.

    Whether a record is visible is its own plugin's rule (its node loader answers None for a
    record the viewer may not see, as `node(id:)` does), which no single SQL statement can
    apply across every plugin's tables. So the links are read whole and filtered before they
    are counted and paged: ONE statement for every link of the commitments asked for (only of
    types an enabled plugin declares), one for the ids between the page's cursors, then each
    linked record through its node loader, one statement per type. The cost grows with the
    number of links of the commitments in the batch (a commitment's evidence is a handful of
    records, not a growing list), not with the page size.

    Errors as for any connection: INVALID_ARGUMENT (`first`, `last`), INVALID_CURSOR."""
    request = page_request(first, after, last, before)
    sort = sort_keys(ORDER)
    links = select(*CommitmentEvidence.__table__.c).where(
        ctx.db.any_of(CommitmentEvidence.record_type, list(declared_types(ctx))),
        ctx.db.any_of(CommitmentEvidence.commitment_id, list(dict.fromkeys(keys))),
    )
    window = resume_before(resume_after(links, sort, request.after), sort, request.before)
    async with ctx.db.read() as conn:
        rows = (await conn.execute(links.order_by(*ORDER))).all()
        between = set(
            (await conn.execute(window.with_only_columns(CommitmentEvidence.id))).scalars()
        )
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        decoded = from_global_id(row.record_id)
        if decoded is not None:
            wanted[decoded[0]].add(decoded[1])
    loaded: dict[tuple[str, int], Any] = {}
    for type_name, pks in wanted.items():
        ordered = sorted(pks)
        objects = await ctx.loader(loader_name(type_name)).load_many(ordered)
        loaded.update({(type_name, pk): obj for pk, obj in zip(ordered, objects, strict=True)})
    visible: dict[int, list[Edge[Any]]] = {key: [] for key in keys}
    for row in rows:
        decoded = from_global_id(row.record_id)
        record = loaded.get(decoded) if decoded is not None else None
        if record is not None:
            visible[row.commitment_id].append(Edge(node=record, keys=(row.added_at, row.id)))
    inside = {key: [e for e in edges if e.keys[1] in between] for key, edges in visible.items()}
    return [_page_of(inside[key], len(visible[key]), request) for key in keys]


def _page_of(edges: list[Edge[Any]], total: int, request: PageRequest) -> Connection[Any]:
    """The page of the visible `edges` between the cursors, as core.schema.pagination pages
    (hasNextPage / hasPreviousPage as the Relay specification computes them)."""
    more = len(edges) > request.size
    taken = edges[-request.size :] if request.backwards else edges[: request.size]
    if request.size == 0:
        taken = []

    async def count() -> int:
        return total

    return Connection(
        edges=taken,
        nodes=[edge.node for edge in taken],
        page_info=PageInfo(
            has_next_page=request.before is not None if request.backwards else more,
            has_previous_page=more if request.backwards else request.after is not None,
            start_cursor=taken[0].cursor() if taken else None,
            end_cursor=taken[-1].cursor() if taken else None,
        ),
        total_count_fn=count,
    )
