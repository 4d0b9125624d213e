"""Mutations of the open parliaments area (the write side): record and correct its data.

Each mutation takes one input object and runs in ONE transaction (`in_transaction`): any invalid
input raises `Rejected(user_error(...))`, which rolls everything back and comes out in the
payload's `userErrors`. The database constraints (see models.py) back every rule; the ones a race
could still hit are mapped to the same user errors below.

"Record" mutations are create-or-correct: a second record for the same thing (the legislature of
a country, a chamber of a kind, an organisation's endorsement, a PMO's legislature) is refused as a
duplicate unless `replace: true` says it is a correction, as the core's `anchorSet` does. An
openness indicator is always upserted: each record is a new check, and it may not be older than
the check it replaces.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import strawberry
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import Info

from core import (
    ConstraintError,
    Rejected,
    UserError,
    in_transaction,
    models,
    pk_of,
    prefetched,
    user_error,
    utcnow,
)
from plugins.open_parliaments.enums import (
    KINDS_FOR_STRUCTURE,
    ChamberKind,
    MonitoringScope,
    OpennessIndicator,
    OpennessStatus,
)
from plugins.open_parliaments.models import DECLARATION_LAUNCHED
from plugins.open_parliaments.models import Chamber as ChamberRow
from plugins.open_parliaments.models import Endorsement as EndorsementRow
from plugins.open_parliaments.models import Legislature as LegislatureRow
from plugins.open_parliaments.models import MonitoringOrganization as MonitoringRow
from plugins.open_parliaments.models import OpennessCheck as CheckRow
from plugins.open_parliaments.schema import (
    Chamber,
    ChamberOpennessIndicator,
    DeclarationEndorsement,
    Legislature,
    ParliamentaryMonitoringOrganization,
    country_condition,
)

# Constraint violations a concurrent writer could still cause, as user errors, by constraint
# name (the plugin's `ogp_wg_constraint_errors` hook).
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_open_parliaments_legislatures_country_id": ConstraintError(
        "DUPLICATE_LEGISLATURE",
        "the country's legislature is already recorded; pass replace: true to correct it",
        "country",
    ),
    "uq_open_parliaments_chambers_legislature_id_kind": ConstraintError(
        "DUPLICATE_CHAMBER",
        "this chamber is already recorded; pass replace: true to correct it",
        "kind",
    ),
    "ck_open_parliaments_chambers_kind_fits_structure": ConstraintError(
        "CHAMBER_KIND_MISMATCH",
        "the chamber's kind does not fit the legislature's number of chambers",
    ),
    "uq_open_parliaments_openness_indicators_chamber_id_indicator": ConstraintError(
        "DUPLICATE_INDICATOR",
        "another check of this indicator was recorded at the same time; try again",
        "indicator",
    ),
    "uq_open_parliaments_endorsements_organization_id": ConstraintError(
        "DUPLICATE_ENDORSEMENT",
        "the organisation's endorsement is already recorded; pass replace: true to correct it",
        "organizationId",
    ),
    "uq_open_parliaments_pmos_organization_id_legislature_id": ConstraintError(
        "DUPLICATE_PMO",
        "the organisation's monitoring of this legislature is already recorded; pass replace: "
        "true to correct it",
        "organizationId",
    ),
}

NAME_MAX = 200
URL_MAX = 500
NOTE_MAX = 500


# --- validation ----------------------------------------------------------------------------------


def _text(value: str, field: str, max_len: int) -> str:
    value = value.strip()
    if not value:
        raise Rejected(user_error("REQUIRED", f"{field} must not be blank", field))
    if len(value) > max_len:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {max_len} characters", field)
        )
    return value


def _note(value: str | None, field: str = "note") -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, field, NOTE_MAX)


def _url(value: str | None, field: str) -> str | None:
    """An absolute http(s) URL, or None when not given."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > URL_MAX:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {URL_MAX} characters", field)
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise Rejected(user_error("INVALID_URL", f"{field} must be an absolute http(s) URL", field))
    return value


def _not_in_future(value: date, field: str) -> None:
    # Dates are local to whoever checked: the latest "today" on Earth is UTC+14.
    latest_today = (utcnow() + timedelta(hours=14)).date()
    if value > latest_today:
        raise Rejected(
            user_error("DATE_IN_FUTURE", f"{field} {value.isoformat()} is in the future", field)
        )


# --- lookups -------------------------------------------------------------------------------------


async def _country_id(conn: AsyncConnection, code: str) -> int:
    found = (await conn.execute(select(models.Country.id).where(country_condition(code)))).first()
    if found is None:
        raise Rejected(
            user_error("UNKNOWN_COUNTRY", f"no country with ISO code {code!r}", "country")
        )
    return found.id


async def _legislature_of(conn: AsyncConnection, code: str) -> Any:
    country_id = await _country_id(conn, code)
    stmt = select(*LegislatureRow.__table__.c).where(LegislatureRow.country_id == country_id)
    found = (await conn.execute(stmt)).first()
    if found is None:
        raise Rejected(
            user_error(
                "NOT_FOUND",
                f"no legislature recorded for {code!r}; record it with legislatureRecord first",
                "country",
            )
        )
    return found


async def _organization_id(conn: AsyncConnection, global_id: str) -> int:
    pk = pk_of(global_id, "Organization")
    stmt = select(models.Organization.id).where(models.Organization.id == pk)
    if pk is None or (await conn.execute(stmt)).first() is None:
        raise Rejected(
            user_error("NOT_FOUND", f"no Organization with id {global_id!r}", "organizationId")
        )
    return pk


async def _chamber(conn: AsyncConnection, global_id: str, field: str) -> Any:
    pk = pk_of(global_id, Chamber.node_type)
    found = None
    if pk is not None:
        stmt = select(*ChamberRow.__table__.c).where(ChamberRow.id == pk)
        found = (await conn.execute(stmt)).first()
    if found is None:
        raise Rejected(user_error("NOT_FOUND", f"no chamber with id {global_id!r}", field))
    return found


def _duplicate(code: str, subject: str, field: str) -> Rejected:
    message = f"{subject} is already recorded; pass replace: true to correct it"
    return Rejected(user_error(code, message, field))


# --- legislatures and chambers -------------------------------------------------------------------


@strawberry.input(description="A country's legislature, as IPU Parline describes it.")
class LegislatureRecordInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 or alpha-3 code.")
    name: str = strawberry.field(description='Official English name, e.g. "Parliament of Georgia".')
    chambers: int = strawberry.field(description="1 (unicameral) or 2 (bicameral).")
    replace: bool = strawberry.field(
        default=False, description="Correct the legislature already recorded for the country."
    )


@strawberry.type
class LegislaturePayload:
    legislature: Legislature | None
    user_errors: list[UserError]


async def record_legislature(conn: AsyncConnection, data: LegislatureRecordInput) -> Any:
    country_id = await _country_id(conn, data.country)
    name = _text(data.name, "name", NAME_MAX)
    if data.chambers > 2:
        raise Rejected(
            user_error("TOO_MANY_CHAMBERS", "a legislature has at most two chambers", "chambers")
        )
    if data.chambers < 1:
        raise Rejected(
            user_error("TOO_FEW_CHAMBERS", "a legislature has at least one chamber", "chambers")
        )
    table = LegislatureRow.__table__
    existing = (
        await conn.execute(
            select(*table.c).where(LegislatureRow.country_id == country_id).with_for_update()
        )
    ).first()
    if existing is None:
        stmt = insert(LegislatureRow).values(
            country_id=country_id, name=name, chambers=data.chambers
        )
        return (await conn.execute(stmt.returning(*table.c))).one()
    if not data.replace:
        raise _duplicate("DUPLICATE_LEGISLATURE", f"the legislature of {data.country!r}", "country")
    if data.chambers != existing.chambers:
        allowed = KINDS_FOR_STRUCTURE[data.chambers]
        misfits = (
            (
                await conn.execute(
                    select(ChamberRow.kind).where(
                        ChamberRow.legislature_id == existing.id, ChamberRow.kind.not_in(allowed)
                    )
                )
            )
            .scalars()
            .all()
        )
        if misfits:
            kinds = ", ".join(sorted(misfits))
            raise Rejected(
                user_error(
                    "CHAMBER_KIND_MISMATCH",
                    f"the recorded {kinds} chamber(s) do not fit a legislature of "
                    f"{data.chambers} chamber(s); remove them with chamberRemove first",
                    "chambers",
                )
            )
    # Changing `chambers` cascades to the chambers' copy of it (composite foreign key).
    stmt = (
        update(LegislatureRow)
        .where(LegislatureRow.id == existing.id)
        .values(name=name, chambers=data.chambers)
    )
    return (await conn.execute(stmt.returning(*table.c))).one()


@strawberry.input(description="One chamber of a recorded legislature.")
class ChamberRecordInput:
    country: str = strawberry.field(description="ISO code of the legislature's country.")
    kind: ChamberKind = strawberry.field(
        description="UNICAMERAL in a one-chamber legislature; LOWER or UPPER in a bicameral one."
    )
    name: str = strawberry.field(description='Official English name, e.g. "House of Commons".')
    website: str | None = None
    replace: bool = strawberry.field(
        default=False, description="Correct the chamber of this kind already recorded."
    )


@strawberry.input
class ChamberRemoveInput:
    id: strawberry.ID = strawberry.field(
        description="The chamber to remove, with its openness indicators."
    )


@strawberry.type
class ParliamentaryChamberPayload:
    chamber: Chamber | None
    user_errors: list[UserError]


async def record_chamber(conn: AsyncConnection, data: ChamberRecordInput) -> Any:
    legislature = await _legislature_of(conn, data.country)
    name = _text(data.name, "name", NAME_MAX)
    website = _url(data.website, "website")
    if data.kind not in KINDS_FOR_STRUCTURE[legislature.chambers]:
        allowed = " or ".join(KINDS_FOR_STRUCTURE[legislature.chambers])
        raise Rejected(
            user_error(
                "CHAMBER_KIND_MISMATCH",
                f"{legislature.name} has {legislature.chambers} chamber(s): its chambers are "
                f"{allowed}, not {data.kind.value}",
                "kind",
            )
        )
    table = ChamberRow.__table__
    existing = (
        await conn.execute(
            select(ChamberRow.id)
            .where(ChamberRow.legislature_id == legislature.id, ChamberRow.kind == data.kind)
            .with_for_update()
        )
    ).first()
    if existing is None:
        stmt = insert(ChamberRow).values(
            legislature_id=legislature.id,
            legislature_chambers=legislature.chambers,
            kind=data.kind,
            name=name,
            website=website,
        )
    elif not data.replace:
        raise _duplicate(
            "DUPLICATE_CHAMBER",
            f"the {data.kind.value} chamber of {data.country!r}",
            "kind",
        )
    else:
        stmt = (
            update(ChamberRow)
            .where(ChamberRow.id == existing.id)
            .values(name=name, website=website)
        )
    return (await conn.execute(stmt.returning(*table.c))).one()


async def remove_chamber(conn: AsyncConnection, data: ChamberRemoveInput) -> Any:
    chamber = await _chamber(conn, data.id, "id")
    # Its indicators go with it (ON DELETE CASCADE).
    await conn.execute(delete(ChamberRow).where(ChamberRow.id == chamber.id))
    return chamber


# --- openness indicators -------------------------------------------------------------------------


@strawberry.input(
    description="The result of checking one indicator on one chamber. Recording an indicator "
    "again replaces the earlier check (a correction, or a newer check)."
)
class OpennessIndicatorRecordInput:
    chamber_id: strawberry.ID
    indicator: OpennessIndicator
    status: OpennessStatus
    evidence_url: str = strawberry.field(description="The page that shows the status.")
    checked_on: date = strawberry.field(
        description="When it was checked: not in the future, not before the check it replaces."
    )
    note: str | None = strawberry.field(default=None, description="E.g. why it is PARTIAL.")


@strawberry.type
class ChamberOpennessIndicatorPayload:
    openness_indicator: ChamberOpennessIndicator | None
    user_errors: list[UserError]


async def record_indicator(conn: AsyncConnection, data: OpennessIndicatorRecordInput) -> Any:
    chamber = await _chamber(conn, data.chamber_id, "chamberId")
    evidence_url = _url(data.evidence_url, "evidenceUrl")
    _not_in_future(data.checked_on, "checkedOn")
    values = {
        "status": data.status,
        "evidence_url": evidence_url,
        "checked_on": data.checked_on,
        "note": _note(data.note),
    }
    table = CheckRow.__table__
    existing = (
        await conn.execute(
            select(CheckRow.id, CheckRow.checked_on)
            .where(CheckRow.chamber_id == chamber.id, CheckRow.indicator == data.indicator)
            .with_for_update()
        )
    ).first()
    if existing is None:
        stmt = insert(CheckRow).values(chamber_id=chamber.id, indicator=data.indicator, **values)
    elif data.checked_on < existing.checked_on:
        raise Rejected(
            user_error(
                "CHECKED_BEFORE_LAST_CHECK",
                f"checkedOn {data.checked_on.isoformat()} is before the recorded check of "
                f"{existing.checked_on.isoformat()}; a check replaces only an older or same-day "
                "one",
                "checkedOn",
            )
        )
    else:
        stmt = update(CheckRow).where(CheckRow.id == existing.id).values(**values)
    return (await conn.execute(stmt.returning(*table.c))).one()


# --- Declaration endorsements --------------------------------------------------------------------


@strawberry.input(description="An organisation's endorsement of the Declaration.")
class EndorsementRecordInput:
    organization_id: strawberry.ID
    endorsed_on: date = strawberry.field(
        description="Not before the launch (2012-09-15), not in the future."
    )
    source_url: str | None = strawberry.field(
        default=None, description="Where the endorsement is published."
    )
    note: str | None = None
    replace: bool = strawberry.field(
        default=False, description="Correct the organisation's endorsement already recorded."
    )


@strawberry.type
class DeclarationEndorsementPayload:
    endorsement: DeclarationEndorsement | None
    user_errors: list[UserError]


async def record_endorsement(conn: AsyncConnection, data: EndorsementRecordInput) -> Any:
    organization_id = await _organization_id(conn, data.organization_id)
    _not_in_future(data.endorsed_on, "endorsedOn")
    if data.endorsed_on < DECLARATION_LAUNCHED:
        raise Rejected(
            user_error(
                "DATE_BEFORE_DECLARATION",
                f"endorsedOn {data.endorsed_on.isoformat()} is before the Declaration's launch "
                f"on {DECLARATION_LAUNCHED.isoformat()}",
                "endorsedOn",
            )
        )
    values = {
        "endorsed_on": data.endorsed_on,
        "source_url": _url(data.source_url, "sourceUrl"),
        "note": _note(data.note),
    }
    table = EndorsementRow.__table__
    existing = (
        await conn.execute(
            select(EndorsementRow.id)
            .where(EndorsementRow.organization_id == organization_id)
            .with_for_update()
        )
    ).first()
    if existing is None:
        stmt = insert(EndorsementRow).values(organization_id=organization_id, **values)
    elif not data.replace:
        raise _duplicate(
            "DUPLICATE_ENDORSEMENT", "the organisation's endorsement", "organizationId"
        )
    else:
        stmt = update(EndorsementRow).where(EndorsementRow.id == existing.id).values(**values)
    return (await conn.execute(stmt.returning(*table.c))).one()


# --- parliamentary monitoring organisations ------------------------------------------------------


@strawberry.input(description="An organisation that monitors a country's legislature.")
class ParliamentaryMonitoringOrganizationRecordInput:
    organization_id: strawberry.ID
    country: str = strawberry.field(
        description="ISO code of the country whose (recorded) legislature it monitors."
    )
    scope: MonitoringScope
    website: str | None = strawberry.field(
        default=None, description="The monitoring website, if not the organisation's own."
    )
    replace: bool = strawberry.field(
        default=False, description="Correct the record of this organisation and legislature."
    )


@strawberry.type
class ParliamentaryMonitoringOrganizationPayload:
    monitoring_organization: ParliamentaryMonitoringOrganization | None
    user_errors: list[UserError]


async def record_monitoring_organization(
    conn: AsyncConnection, data: ParliamentaryMonitoringOrganizationRecordInput
) -> Any:
    organization_id = await _organization_id(conn, data.organization_id)
    legislature = await _legislature_of(conn, data.country)
    values = {"scope": data.scope, "website": _url(data.website, "website")}
    table = MonitoringRow.__table__
    existing = (
        await conn.execute(
            select(MonitoringRow.id)
            .where(
                MonitoringRow.organization_id == organization_id,
                MonitoringRow.legislature_id == legislature.id,
            )
            .with_for_update()
        )
    ).first()
    if existing is None:
        stmt = insert(MonitoringRow).values(
            organization_id=organization_id, legislature_id=legislature.id, **values
        )
    elif not data.replace:
        raise _duplicate(
            "DUPLICATE_PMO",
            f"the organisation's monitoring of {legislature.name}",
            "organizationId",
        )
    else:
        stmt = update(MonitoringRow).where(MonitoringRow.id == existing.id).values(**values)
    return (await conn.execute(stmt.returning(*table.c))).one()


# --- root mutation fields ------------------------------------------------------------------------


@strawberry.mutation(
    description="Record a country's legislature, or correct it with replace: true."
)
async def legislature_record(info: Info, input: LegislatureRecordInput) -> LegislaturePayload:
    row, errors = await in_transaction(info.context, lambda c: record_legislature(c, input))
    legislature = None if row is None else Legislature.from_row(row)
    return await prefetched(info, LegislaturePayload(legislature=legislature, user_errors=errors))


@strawberry.mutation(description="Record a chamber of a legislature, or correct it.")
async def chamber_record(info: Info, input: ChamberRecordInput) -> ParliamentaryChamberPayload:
    row, errors = await in_transaction(info.context, lambda c: record_chamber(c, input))
    chamber = None if row is None else Chamber.from_row(row)
    return await prefetched(info, ParliamentaryChamberPayload(chamber=chamber, user_errors=errors))


@strawberry.mutation(description="Remove a chamber recorded by mistake, with its indicators.")
async def chamber_remove(info: Info, input: ChamberRemoveInput) -> ParliamentaryChamberPayload:
    row, errors = await in_transaction(info.context, lambda c: remove_chamber(c, input))
    chamber = None if row is None else Chamber.from_row(row)
    return await prefetched(info, ParliamentaryChamberPayload(chamber=chamber, user_errors=errors))


@strawberry.mutation(
    description="Record the check of an openness indicator on a chamber (replacing any earlier "
    "check of it)."
)
async def openness_indicator_record(
    info: Info, input: OpennessIndicatorRecordInput
) -> ChamberOpennessIndicatorPayload:
    row, errors = await in_transaction(info.context, lambda c: record_indicator(c, input))
    indicator = None if row is None else ChamberOpennessIndicator.from_row(row)
    return await prefetched(
        info, ChamberOpennessIndicatorPayload(openness_indicator=indicator, user_errors=errors)
    )


@strawberry.mutation(
    description="Record an organisation's endorsement of the Declaration on Parliamentary "
    "Openness, or correct it."
)
async def endorsement_record(
    info: Info, input: EndorsementRecordInput
) -> DeclarationEndorsementPayload:
    row, errors = await in_transaction(info.context, lambda c: record_endorsement(c, input))
    endorsement = None if row is None else DeclarationEndorsement.from_row(row)
    return await prefetched(
        info, DeclarationEndorsementPayload(endorsement=endorsement, user_errors=errors)
    )


@strawberry.mutation(
    description="Record an organisation as monitoring a country's legislature, or correct it."
)
async def parliamentary_monitoring_organization_record(
    info: Info, input: ParliamentaryMonitoringOrganizationRecordInput
) -> ParliamentaryMonitoringOrganizationPayload:
    row, errors = await in_transaction(
        info.context, lambda c: record_monitoring_organization(c, input)
    )
    pmo = None if row is None else ParliamentaryMonitoringOrganization.from_row(row)
    return await prefetched(
        info,
        ParliamentaryMonitoringOrganizationPayload(monitoring_organization=pmo, user_errors=errors),
    )


MUTATION_FIELDS = [
    legislature_record,
    chamber_record,
    chamber_remove,
    openness_indicator_record,
    endorsement_record,
    parliamentary_monitoring_organization_record,
]
