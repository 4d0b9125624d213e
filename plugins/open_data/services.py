"""Recording and correcting the open data area's records: validation, then one write.

Each function runs inside the mutation's transaction (`core.in_transaction`). Every invalid input
is reported at once as `Rejected(user_error(...))`, so nothing is written; the unique constraints
that a concurrent write could still hit are mapped to the same codes below.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import (
    ConstraintError,
    Rejected,
    UserErrors,
    insert_row,
    pk_of,
    provenance,
    row_by_id,
    update_row,
    user_error,
)
from plugins.open_data import models as tables
from plugins.open_data.models import (
    CHARTER_LAUNCHED,
    ODIN_SCALE_MAX,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
)

# Constraint name -> the user error of a concurrent write that slips past the checks (the
# plugin's `ogp_wg_constraint_errors` hook).
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_open_data_charter_adopters_country_id_government": ConstraintError(
        "DUPLICATE_ADOPTION", "this government's adoption is already recorded", "government"
    ),
    "uq_open_data_charter_adopters_national": ConstraintError(
        "DUPLICATE_NATIONAL_ADOPTION",
        "the country's national government already has an adoption recorded",
        "level",
    ),
    "uq_open_data_portals_url": ConstraintError(
        "DUPLICATE_PORTAL", "a portal with this URL is already recorded", "url"
    ),
    "uq_open_data_high_value_datasets_url": ConstraintError(
        "DUPLICATE_DATASET", "a dataset with this URL is already recorded", "url"
    ),
    "uq_open_data_odin_scores_country_id_edition": ConstraintError(
        "DUPLICATE_ODIN_SCORE",
        "the country's ODIN scores for this edition are already recorded",
        "edition",
    ),
    "uq_open_data_charter_endorsers_name": ConstraintError(
        "DUPLICATE_ENDORSEMENT", "this organisation's endorsement is already recorded", "name"
    ),
    **{
        name: error
        for table in (
            "open_data_charter_adopters",
            "open_data_charter_endorsers",
            "open_data_portals",
            "open_data_high_value_datasets",
            "open_data_odin_scores",
        )
        for name, error in provenance.sourcing_error(table).items()
    },
}

UNSET: Any = object()
"""A field left out of an update: keep the stored value."""


# --- checks --------------------------------------------------------------------------------------


def score_in_range(check: UserErrors, value: float, field: str) -> None:
    """An ODIN score: 0-100 (NaN and infinities are out of range too)."""
    check.in_range(value, field, 0, ODIN_SCALE_MAX, "SCORE_OUT_OF_RANGE")


def _count(check: UserErrors, value: int | None, field: str) -> None:
    if value is not None and value < 0:
        check.add("NEGATIVE_COUNT", f"{field} must not be negative, got {value}", field)


async def save(
    conn: AsyncConnection, model: Any, existing_id: int | None, values: dict[str, Any]
) -> Any:
    """Insert a row, or replace the stored values of `existing_id`; return the row."""
    if existing_id is None:
        return await insert_row(conn, model, **values)
    return await update_row(conn, model, existing_id, **values)


def duplicate(code: str, message: str, field: str) -> Rejected:
    return Rejected(user_error(code, f"{message}; pass replace: true to correct it", field))


# --- Charter adoptions ---------------------------------------------------------------------------


@dataclass
class Adoption:
    country: str
    government: str
    level: OpenDataCharterLevel
    adopted_on: date
    source_url: str | None = None
    retrieved_on: date | None = None
    illustrative: bool = False
    replace: bool = False


def provenance_values(data: Any, check: UserErrors) -> dict[str, Any]:
    """The three provenance values of an input (checked), as stored."""
    values = {
        "source_url": data.source_url,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    values["source_url"] = provenance.check_values(check, values, today=date.today())
    return values


async def record_adoption(conn: AsyncConnection, data: Adoption) -> Any:
    check = UserErrors()
    check.text(data.government, "government", 200)
    if data.adopted_on < CHARTER_LAUNCHED:
        check.add(
            "DATE_BEFORE_CHARTER",
            "the International Open Data Charter was first adopted in October 2015",
            "adoptedOn",
        )
    provenance = provenance_values(data, check)
    country_id = await check.country(conn, data.country)
    check.raise_if_any()

    adopter = tables.CharterAdopter
    government = data.government.strip()
    existing = (
        await conn.execute(
            select(adopter.id).where(
                adopter.country_id == country_id, adopter.government == government
            )
        )
    ).scalar()
    if existing is not None and not data.replace:
        raise duplicate(
            "DUPLICATE_ADOPTION",
            f"the adoption by {government!r} is already recorded",
            "government",
        )
    if data.level == OpenDataCharterLevel.NATIONAL:
        national = select(adopter.government).where(
            adopter.country_id == country_id,
            adopter.level == OpenDataCharterLevel.NATIONAL,
            adopter.id != (existing or 0),
        )
        other = (await conn.execute(national)).scalar()
        if other is not None:
            raise Rejected(
                user_error(
                    "DUPLICATE_NATIONAL_ADOPTION",
                    f"the national adopter of this country is already recorded as {other!r}",
                    "level",
                )
            )
    values = {
        "country_id": country_id,
        "government": government,
        "level": data.level,
        "adopted_on": data.adopted_on,
        **provenance,
    }
    return await save(conn, adopter, existing, values)


# --- Data portals --------------------------------------------------------------------------------


@dataclass
class PortalChanges:
    """Fields of a portal; UNSET ones (only in updates) keep their stored value."""

    name: Any = UNSET
    url: Any = UNSET
    platform: Any = UNSET
    dataset_count: Any = UNSET
    has_api: Any = UNSET
    checked_on: Any = UNSET
    notes: Any = UNSET
    source_url: Any = UNSET
    retrieved_on: Any = UNSET
    illustrative: Any = UNSET

    def validate(self, check: UserErrors, stored: dict[str, Any] | None = None) -> None:
        """Check the given fields; the provenance rule on them merged over `stored` (a row's
        values, for an update)."""
        given = self.values()
        merged = {"illustrative": False, **(stored or {}), **given}
        if merged["illustrative"] is None:  # REQUIRED below; judge the source by the stored flag
            merged["illustrative"] = (stored or {}).get("illustrative", False)
        provenance.check_values(check, merged, today=date.today())
        for name in ("name", "url", "platform", "has_api", "illustrative"):
            if name in given and given[name] is None:
                field = _camel(name)
                check.add("REQUIRED", f"{field} cannot be null", field)
        check.text(given.get("name"), "name", 200)
        check.url(given.get("url"), "url")
        _count(check, given.get("dataset_count"), "datasetCount")
        check.text(given.get("notes"), "notes", 500, required=False)

    def values(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out = {name: value for name, value in out.items() if value is not UNSET}
        for name in ("name", "url", "source_url"):
            if isinstance(out.get(name), str):
                out[name] = out[name].strip()
        if out.get("source_url") == "":
            out["source_url"] = None  # a blank source is no source
        if "notes" in out and out["notes"] is None:
            out["notes"] = ""
        return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def _portal_url_taken(conn: AsyncConnection, url: str, other_than: int = 0) -> None:
    portal = tables.DataPortal
    stmt = select(portal.id).where(portal.url == url, portal.id != other_than)
    if (await conn.execute(stmt)).first() is not None:
        raise Rejected(
            user_error("DUPLICATE_PORTAL", f"the portal {url!r} is already recorded", "url")
        )


async def record_portal(conn: AsyncConnection, country: str, changes: PortalChanges) -> Any:
    check = UserErrors()
    changes.validate(check)
    country_id = await check.country(conn, country)
    check.raise_if_any()
    values: dict[str, Any] = {"notes": "", "illustrative": False} | changes.values()
    await _portal_url_taken(conn, values["url"])
    return await save(conn, tables.DataPortal, None, {"country_id": country_id, **values})


async def update_portal(conn: AsyncConnection, portal_id: str, changes: PortalChanges) -> Any:
    portal = tables.DataPortal
    row = await row_by_id(conn, portal, portal_id, "DataPortal", for_update=False)
    check = UserErrors()
    changes.validate(check, row._asdict())
    check.raise_if_any()
    values = changes.values()
    if "url" in values:
        await _portal_url_taken(conn, values["url"], other_than=row.id)
    if not values:
        return row
    return await save(conn, portal, row.id, values)


# --- High-value datasets -------------------------------------------------------------------------


@dataclass
class Dataset:
    country: str
    title: str
    category: HighValueDatasetCategory
    url: str
    machine_readable: bool
    non_proprietary_format: bool
    metadata_available: bool
    download_or_api: bool
    open_licence: bool
    checked_on: date
    portal_id: str | None = None
    licence: str | None = None
    last_updated_on: date | None = None
    notes: str | None = None
    source_url: str | None = None
    retrieved_on: date | None = None
    illustrative: bool = False
    replace: bool = False


async def record_dataset(conn: AsyncConnection, data: Dataset) -> Any:
    check = UserErrors()
    check.text(data.title, "title", 300)
    provenance = provenance_values(data, check)
    check.url(data.url, "url")
    check.text(data.licence, "licence", 200, required=False)
    check.text(data.notes, "notes", 500, required=False)
    if data.last_updated_on is not None and data.last_updated_on > data.checked_on:
        check.add(
            "DATES_OUT_OF_ORDER",
            "lastUpdatedOn is after checkedOn: a dataset is checked after its last update",
            "lastUpdatedOn",
        )
    country_id = await check.country(conn, data.country)
    portal_pk = None
    if data.portal_id is not None:
        portal = tables.DataPortal
        pk = pk_of(data.portal_id, "DataPortal")
        stmt = select(portal.id, portal.country_id).where(portal.id == (pk or 0))
        found = (await conn.execute(stmt)).first()
        if found is None:
            check.add("NOT_FOUND", f"no DataPortal with id {data.portal_id!r}", "portalId")
        elif country_id and found.country_id != country_id:
            check.add(
                "PORTAL_COUNTRY_MISMATCH",
                "the portal belongs to another country than the dataset",
                "portalId",
            )
        else:
            portal_pk = found.id
    check.raise_if_any()

    dataset = tables.HighValueDataset
    url = data.url.strip()
    existing = (await conn.execute(select(dataset.id).where(dataset.url == url))).scalar()
    if existing is not None and not data.replace:
        raise duplicate("DUPLICATE_DATASET", f"the dataset {url!r} is already recorded", "url")
    values = {
        "country_id": country_id,
        "portal_id": portal_pk,
        "title": data.title.strip(),
        "category": data.category,
        "url": url,
        "machine_readable": data.machine_readable,
        "non_proprietary_format": data.non_proprietary_format,
        "metadata_available": data.metadata_available,
        "download_or_api": data.download_or_api,
        "open_licence": data.open_licence,
        "licence": data.licence,
        "checked_on": data.checked_on,
        "last_updated_on": data.last_updated_on,
        "notes": data.notes or "",
        **provenance,
    }
    return await save(conn, dataset, existing, values)
