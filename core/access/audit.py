"""The audit log: one row per mutation call, and the staff-only `auditLog` query.

Each call is recorded after the mutation's transaction, in one apart from it, so a refused or
failed call is recorded too (its own transaction rolled back); the rows of calls that end while
one is being written go together in the next (`core.grouping`: group commit). Nothing in the API
writes to this table except this module, and no mutation edits or deletes its rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import bindparam, insert, select
from strawberry.types import Info

from core.access.declare import Declaration, FieldRule
from core.access.rules import STAFF
from core.db import utcnow
from core.driver import DriverStatement
from core.loading import prefetched, relation
from core.observability.logs import current_request_id
from core.people import loaders as people_loaders
from core.schema.ids import to_global_id
from core.schema.pagination import Connection, count_of, paginate

if TYPE_CHECKING:
    from core.people.types import Person

log = logging.getLogger("ogp_wg.audit")

DECLARATIONS: list[Declaration] = [FieldRule("Query", "auditLog", STAFF, refuse=True)]
"""Staff only; no mutation writes this table (the audit log is appended to by the guards)."""
OUTCOMES = ("OK", "USER_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "ERROR")


def request_id(ctx: Any) -> str:
    """The request's ID, as its log lines and `X-Request-ID` response header carry it
    (core.observability.logs: the client's when it is a plain token, else a new one); kept on
    the context, so every call of one request shares it."""
    known: str | None = ctx.__dict__.get("_ogp_request_id")
    if known is None:
        known = ctx.__dict__["_ogp_request_id"] = current_request_id()
    return known


@dataclass
class Record:
    """One call, filled in as it goes."""

    mutation: str
    outcome: str = "ERROR"
    codes: list[str] = field(default_factory=list)
    object_type: str | None = None
    object_id: str | None = None

    def about(self, type_name: str, pk: int) -> None:
        self.object_type, self.object_id = type_name, to_global_id(type_name, pk)


@cache
def _insert() -> DriverStatement:
    """The audit row's INSERT, every column given (built on first use: core.models imports
    this package's declarations)."""
    from core.models import AuditEntry

    table = AuditEntry.__table__
    columns = [column.name for column in table.c if column.name != "id"]
    return DriverStatement(insert(table).values({name: bindparam(name) for name in columns}))


async def write(ctx: Any, record: Record) -> None:
    """Insert the record (a statement on the driver, grouped with other calls' records:
    `Database.grouped_writes`); a failure is logged, never raised (the call itself has already
    been answered for, and committed or rolled back). Once called, the row is written even if
    the caller is cancelled while it waits (its request's client gone)."""
    viewer = ctx.viewer
    values = {
        "at": utcnow(),
        "person_id": viewer.person_id,
        "token_id": viewer.token_id,
        "mutation": record.mutation,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "outcome": record.outcome,
        "codes": " ".join(record.codes)[:500],
        "request_id": request_id(ctx),
    }
    try:
        db = ctx.db
        await db.grouped_writes(*_insert().bind(db.engine.dialect, values))
    except Exception:
        log.exception("could not write the audit record of %s: %s", record.mutation, values)


# --- the staff-only query --------------------------------------------------------------------


@strawberry.type(description="One call of a mutation: who, what, when, on what, and how it ended.")
class AuditEntry:
    node_type: ClassVar[str] = "AuditEntry"
    pk: strawberry.Private[int]
    person_pk: strawberry.Private[int | None]
    at: datetime
    mutation: str = strawberry.field(description="The root mutation field, e.g. anchorSet.")
    outcome: str = strawberry.field(
        description="OK, USER_ERROR, UNAUTHENTICATED, FORBIDDEN or ERROR."
    )
    codes: list[str] = strawberry.field(description="userError or error codes of the call.")
    object_type: str | None
    object_id: strawberry.ID | None = strawberry.field(
        description="Global ID of the object acted on, when known."
    )
    request_id: str | None = strawberry.field(description="The request's X-Request-ID.")
    token_id: strawberry.Private[int | None] = None

    @classmethod
    def from_row(cls, row: Any) -> AuditEntry:
        return cls(
            pk=row.id,
            person_pk=row.person_id,
            at=row.at,
            mutation=row.mutation,
            outcome=row.outcome,
            codes=row.codes.split(),
            object_type=row.object_type,
            object_id=None if row.object_id is None else strawberry.ID(row.object_id),
            request_id=row.request_id,
            token_id=row.token_id,
        )

    @relation(people_loaders.people_by_id, key="person_pk", description="null: anonymous.")
    def person(self) -> Annotated[Person, strawberry.lazy("core.people.types")] | None: ...


@strawberry.input(description="Narrow the audit log; all given conditions apply.")
class AuditLogFilter:
    mutation: str | None = None
    outcome: str | None = None
    person_id: strawberry.ID | None = None


async def audit_log(
    info: Info,
    filter: AuditLogFilter | None,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[AuditEntry]:
    """Newest first. The `Query.auditLog` field rule (staff) is checked before this runs."""
    from core.models import AuditEntry as Row
    from core.schema.ids import pk_of

    f = filter or AuditLogFilter()
    stmt = select(*Row.__table__.c)
    if f.mutation is not None:
        stmt = stmt.where(Row.mutation == f.mutation)
    if f.outcome is not None:
        stmt = stmt.where(Row.outcome == f.outcome)
    if f.person_id is not None:
        stmt = stmt.where(Row.person_id == (pk_of(f.person_id, "Person") or 0))
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (Row.at.desc(), Row.id.desc()),
            AuditEntry.from_row,
            first=first,
            after=after,
            last=last,
            before=before,
            count=count_of(db.read, stmt),
        )
    return await prefetched(info, page)
