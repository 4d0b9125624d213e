"""Writes of the open parliaments area: validation, look-ups and the statements of each mutation.

Each `record_*` function runs inside the mutation's ONE transaction (`core.in_transaction`): any
invalid input raises `Rejected(user_error(...))`, which rolls everything back and comes out in the
payload's `userErrors`. The database constraints (see models.py) back every rule; the ones a race
could still hit are mapped to the same user errors by `CONSTRAINT_ERRORS` (the plugin's
`ogp_wg_constraint_errors` hook).

"Record" functions are create-or-correct: a second record for the same thing (the legislature of
a country, a chamber of a kind, an organisation's endorsement, a PMO's legislature) is refused as a
duplicate unless `replace: true` says it is a correction, as the core's `anchorSet` does. An
openness indicator is always upserted: each record is a new check, and it may not be older than
the check it replaces. Each takes the mutation's input object (mutations.py) and returns the
saved row.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import (
    ConstraintError,
    Rejected,
    UserErrors,
    insert_row,
    models,
    provenance,
    row_by_id,
    update_row,
    url_problem,
    user_error,
    utcnow,
)
from core import country_id as _country_id
from plugins.open_parliaments.enums import KINDS_FOR_STRUCTURE
from plugins.open_parliaments.models import Chamber as ChamberRow
from plugins.open_parliaments.models import Endorsement as EndorsementRow
from plugins.open_parliaments.models import Legislature as LegislatureRow
from plugins.open_parliaments.models import MonitoringOrganization as MonitoringRow
from plugins.open_parliaments.models import OpennessCheck as CheckRow
from plugins.open_parliaments.types import Chamber

if TYPE_CHECKING:  # the input objects, for annotations only (mutations.py imports this module)
    from plugins.open_parliaments.mutations import (
        ChamberRecordInput,
        ChamberRemoveInput,
        EndorsementRecordInput,
        LegislatureRecordInput,
        OpennessIndicatorRecordInput,
        ParliamentaryMonitoringOrganizationRecordInput,
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
    **provenance.sourcing_error("open_parliaments_legislatures"),
    **provenance.sourcing_error("open_parliaments_chambers"),
    **provenance.sourcing_error("open_parliaments_openness_indicators"),
    **provenance.sourcing_error("open_parliaments_endorsements"),
    **provenance.sourcing_error("open_parliaments_pmos"),
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
    """An absolute http(s) URL, stripped, or None when not given."""
    if value is None:
        return None
    problem = url_problem(value, field, URL_MAX)
    if problem is not None:
        raise Rejected(problem)
    return value.strip()


def _sourcing(
    source_url: str | None, retrieved_on: date | None, illustrative: bool
) -> dict[str, Any]:
    """The source columns of a record (`provenance.check_sourcing`: SOURCE_REQUIRED, INVALID_URL,
    TOO_LONG, DATE_IN_FUTURE, all reported at once)."""
    errors = UserErrors()
    url = provenance.check_sourcing(errors, source_url, retrieved_on, illustrative)
    errors.raise_if_any()
    return {"source_url": url, "retrieved_on": retrieved_on, "illustrative": illustrative}


def _not_in_future(value: date, field: str) -> None:
    # Dates are local to whoever checked: the latest "today" on Earth is UTC+14.
    latest_today = (utcnow() + timedelta(hours=14)).date()
    if value > latest_today:
        raise Rejected(
            user_error("DATE_IN_FUTURE", f"{field} {value.isoformat()} is in the future", field)
        )


# --- lookups -------------------------------------------------------------------------------------


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
    organization = models.Organization
    row = await row_by_id(
        conn, organization, global_id, "Organization", "organizationId", for_update=False
    )
    return int(row.id)


async def _chamber(conn: AsyncConnection, global_id: str, field: str) -> Any:
    return await row_by_id(conn, ChamberRow, global_id, Chamber.node_type, field, for_update=False)


def _duplicate(code: str, subject: str, field: str) -> Rejected:
    message = f"{subject} is already recorded; pass replace: true to correct it"
    return Rejected(user_error(code, message, field))


# --- legislatures and chambers -------------------------------------------------------------------


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
    values = {
        "name": name,
        "chambers": data.chambers,
        **_sourcing(data.source_url, data.retrieved_on, data.illustrative),
    }
    existing = (
        await conn.execute(
            select(*LegislatureRow.__table__.c)
            .where(LegislatureRow.country_id == country_id)
            .with_for_update()
        )
    ).first()
    if existing is None:
        return await insert_row(conn, LegislatureRow, country_id=country_id, **values)
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
    return await update_row(conn, LegislatureRow, existing.id, **values)


async def record_chamber(conn: AsyncConnection, data: ChamberRecordInput) -> Any:
    legislature = await _legislature_of(conn, data.country)
    name = _text(data.name, "name", NAME_MAX)
    values = {
        "name": name,
        "website": _url(data.website, "website"),
        **_sourcing(data.source_url, data.retrieved_on, data.illustrative),
    }
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
    existing = (
        await conn.execute(
            select(ChamberRow.id)
            .where(ChamberRow.legislature_id == legislature.id, ChamberRow.kind == data.kind)
            .with_for_update()
        )
    ).first()
    if existing is None:
        return await insert_row(
            conn,
            ChamberRow,
            legislature_id=legislature.id,
            legislature_chambers=legislature.chambers,
            kind=data.kind,
            **values,
        )
    if not data.replace:
        raise _duplicate(
            "DUPLICATE_CHAMBER",
            f"the {data.kind.value} chamber of {data.country!r}",
            "kind",
        )
    return await update_row(conn, ChamberRow, existing.id, **values)


async def remove_chamber(conn: AsyncConnection, data: ChamberRemoveInput) -> Any:
    chamber = await _chamber(conn, data.id, "id")
    # Its indicators go with it (ON DELETE CASCADE).
    await conn.execute(delete(ChamberRow).where(ChamberRow.id == chamber.id))
    return chamber


# --- openness indicators -------------------------------------------------------------------------


async def record_indicator(conn: AsyncConnection, data: OpennessIndicatorRecordInput) -> Any:
    chamber = await _chamber(conn, data.chamber_id, "chamberId")
    evidence_url = _url(data.evidence_url, "evidenceUrl")
    _not_in_future(data.checked_on, "checkedOn")
    values = {
        "status": data.status,
        "evidence_url": evidence_url,
        "checked_on": data.checked_on,
        "note": _note(data.note),
        # By default the source is the evidence page, read on the day of the check.
        **_sourcing(
            evidence_url if data.source_url is None else data.source_url,
            data.checked_on if data.retrieved_on is None else data.retrieved_on,
            data.illustrative,
        ),
    }
    existing = (
        await conn.execute(
            select(CheckRow.id, CheckRow.checked_on)
            .where(CheckRow.chamber_id == chamber.id, CheckRow.indicator == data.indicator)
            .with_for_update()
        )
    ).first()
    if existing is None:
        return await insert_row(
            conn, CheckRow, chamber_id=chamber.id, indicator=data.indicator, **values
        )
    if data.checked_on < existing.checked_on:
        raise Rejected(
            user_error(
                "CHECKED_BEFORE_LAST_CHECK",
                f"checkedOn {data.checked_on.isoformat()} is before the recorded check of "
                f"{existing.checked_on.isoformat()}; a check replaces only an older or same-day "
                "one",
                "checkedOn",
            )
        )
    return await update_row(conn, CheckRow, existing.id, **values)


# --- Declaration endorsements --------------------------------------------------------------------


async def record_endorsement(conn: AsyncConnection, data: EndorsementRecordInput) -> Any:
    organization_id = await _organization_id(conn, data.organization_id)
    # Any date up to today: the text circulated before its launch (15 September 2012), and
    # endorsements of the draft are recorded as such (`endorsedBeforeLaunch`).
    _not_in_future(data.endorsed_on, "endorsedOn")
    values = {
        "endorsed_on": data.endorsed_on,
        "note": _note(data.note),
        **_sourcing(data.source_url, data.retrieved_on, data.illustrative),
    }
    existing = (
        await conn.execute(
            select(EndorsementRow.id)
            .where(EndorsementRow.organization_id == organization_id)
            .with_for_update()
        )
    ).first()
    if existing is None:
        return await insert_row(conn, EndorsementRow, organization_id=organization_id, **values)
    if not data.replace:
        raise _duplicate(
            "DUPLICATE_ENDORSEMENT", "the organisation's endorsement", "organizationId"
        )
    return await update_row(conn, EndorsementRow, existing.id, **values)


# --- parliamentary monitoring organisations ------------------------------------------------------


async def record_monitoring_organization(
    conn: AsyncConnection, data: ParliamentaryMonitoringOrganizationRecordInput
) -> Any:
    organization_id = await _organization_id(conn, data.organization_id)
    legislature = await _legislature_of(conn, data.country)
    values = {
        "scope": data.scope,
        "website": _url(data.website, "website"),
        **_sourcing(data.source_url, data.retrieved_on, data.illustrative),
    }
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
        return await insert_row(
            conn,
            MonitoringRow,
            organization_id=organization_id,
            legislature_id=legislature.id,
            **values,
        )
    if not data.replace:
        raise _duplicate(
            "DUPLICATE_PMO",
            f"the organisation's monitoring of {legislature.name}",
            "organizationId",
        )
    return await update_row(conn, MonitoringRow, existing.id, **values)
