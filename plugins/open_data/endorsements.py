"""Recording an organisation's endorsement of the International Open Data Charter (the write of
`charterEndorsementRecord`). Governments adopt the Charter; organisations that are not
governmental or intergovernmental (NGOs, companies, professional bodies...) endorse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import Rejected, UserErrors, insert_row, models, pk_of, provenance, update_row, user_error
from plugins.open_data import models as tables
from plugins.open_data.models import CHARTER_LAUNCHED


@dataclass
class Endorsement:
    name: str
    organization_id: str | None = None
    country: str | None = None
    endorsed_on: date | None = None
    source_url: str | None = None
    retrieved_on: date | None = None
    illustrative: bool = False
    replace: bool = False


async def _organization(conn: AsyncConnection, global_id: str, check: UserErrors) -> Any:
    """(id, country_id) of the organisation with this global ID; NOT_FOUND if none."""
    pk = pk_of(global_id, "Organization")
    org = models.Organization
    stmt = select(org.id, org.country_id).where(org.id == (pk or 0))
    found = (await conn.execute(stmt)).first()
    if found is None:
        check.add("NOT_FOUND", f"no Organization with id {global_id!r}", "organizationId")
    return found


async def record_endorsement(conn: AsyncConnection, data: Endorsement) -> Any:
    """Add an endorsement, or (`replace`) correct the one of the same name. Errors: REQUIRED,
    TOO_LONG (name), NOT_FOUND (organisation), UNKNOWN_COUNTRY, DATE_BEFORE_CHARTER,
    DATE_IN_FUTURE, INVALID_URL, SOURCE_REQUIRED, DUPLICATE_ENDORSEMENT."""
    check = UserErrors()
    name = check.text(data.name, "name", 200)
    today = date.today()
    if data.endorsed_on is not None and data.endorsed_on < CHARTER_LAUNCHED:
        check.add(
            "DATE_BEFORE_CHARTER",
            "the International Open Data Charter was launched in October 2015",
            "endorsedOn",
        )
    elif data.endorsed_on is not None and data.endorsed_on > today:
        check.add("DATE_IN_FUTURE", "endorsedOn is in the future", "endorsedOn")
    values: dict[str, Any] = {
        "source_url": data.source_url,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    values["source_url"] = provenance.check_values(check, values, today=today)
    organization = None
    if data.organization_id is not None:
        organization = await _organization(conn, data.organization_id, check)
    country_id = None
    if data.country is not None:
        country_id = await check.country(conn, data.country)
    elif organization is not None:
        country_id = organization.country_id  # where the organisation is based
    check.raise_if_any()

    endorser = tables.CharterEndorser
    existing = (await conn.execute(select(endorser.id).where(endorser.name == name))).scalar()
    if existing is not None and not data.replace:
        raise Rejected(
            user_error(
                "DUPLICATE_ENDORSEMENT",
                f"the endorsement by {name!r} is already recorded; pass replace: true to correct "
                "it",
                "name",
            )
        )
    values |= {
        "name": name,
        "organization_id": None if organization is None else organization.id,
        "country_id": country_id,
        "endorsed_on": data.endorsed_on,
    }
    if existing is None:
        return await insert_row(conn, endorser, **values)
    return await update_row(conn, endorser, existing, **values)
