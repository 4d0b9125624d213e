"""The demo's request, offer and suggested match (issue 10, section 5), all illustrative
(`illustrative: true` on each row; no real request or offer is quoted):

- the Government of Uruguay (AGESIC), a member of the open data pilot group, asks that group for
  a PEER_EXCHANGE on publishing beneficial-ownership data, in Spanish;
- Fundación Ciudadano Inteligente (Chile) offers its experience of beneficial ownership and open
  data, in Spanish and English, to the open data and extractive industries groups.

The match between them is made by the service itself (`suggest.refresh`), so its score and
reasons are computed from the data like any other: same group, shared topics and language, and
Chile's completed beneficial-ownership commitment (CL0061, from core/commitments/demo.py, whose
completion is itself illustrative). Called by core/demo.py after the commitments' demo; does
nothing when the open data group is absent (plugin disabled); idempotent (looked up by title).
No activity event is recorded (the demo's feeds stay as the other demos leave them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.assistance import suggest
from core.assistance.models import (
    AssistanceKind,
    AssistanceOffer,
    AssistanceOfferCountry,
    AssistanceOfferGroup,
    AssistanceOfferLanguage,
    AssistanceOfferTopic,
    AssistanceRequest,
    AssistanceRequestLanguage,
    AssistanceRequestTopic,
    AssistanceStatus,
)
from core.groups.models import WorkingGroup
from core.people.models import Country, Organization

UY_AGESIC = "Government of Uruguay (AGESIC)"
CIUDADANO = "Fundación Ciudadano Inteligente"
REQUEST_TITLE = "Peer exchange: publishing beneficial ownership data"
OFFER_TITLE = "Beneficial ownership and open data: what we learnt in Chile"
REQUESTED_AT = datetime(2024, 3, 4, 14, 0, tzinfo=UTC)
OFFERED_AT = datetime(2024, 2, 12, 10, 0, tzinfo=UTC)
"""Illustrative dates (the offer first: the request's posting suggests the match)."""


async def load(conn: AsyncConnection) -> int:
    """Add the request, the offer and their suggested match; returns how many matches the demo
    request has (0 when the open data group or the organisations are absent)."""
    groups = dict(
        (
            await conn.execute(
                select(WorkingGroup.slug, WorkingGroup.id).where(
                    WorkingGroup.slug.in_(["open-data", "extractive-industries"])
                )
            )
        ).all()
    )
    orgs = dict(
        (
            await conn.execute(
                select(Organization.name, Organization.id).where(
                    Organization.name.in_([UY_AGESIC, CIUDADANO])
                )
            )
        ).all()
    )
    countries = dict(
        (
            await conn.execute(
                select(Country.alpha2, Country.id).where(Country.alpha2.in_(["UY", "CL"]))
            )
        ).all()
    )
    if "open-data" not in groups or len(orgs) < 2 or len(countries) < 2:
        return 0
    found = await conn.scalar(
        select(AssistanceRequest.id).where(AssistanceRequest.title == REQUEST_TITLE)
    )
    if found is not None:
        return 0
    offer = await conn.scalar(
        insert(AssistanceOffer)
        .values(
            organization_id=orgs[CIUDADANO],
            title=OFFER_TITLE,
            description="How civil society and public institutions built Chile's proposal for a "
            "register of beneficial owners (2018-2020), and how we publish and reuse open data "
            "on companies and public procurement: a call, documents, and a visit if useful. "
            "(Illustrative.)",
            status=AssistanceStatus.OPEN,
            created_at=OFFERED_AT,
            illustrative=True,
        )
        .returning(AssistanceOffer.id)
    )
    assert offer is not None
    await conn.execute(
        insert(AssistanceOfferTopic),
        [{"offer_id": offer, "topic": t} for t in ("beneficial-ownership", "open-data")],
    )
    await conn.execute(
        insert(AssistanceOfferLanguage), [{"offer_id": offer, "language": c} for c in ("en", "es")]
    )
    await conn.execute(
        insert(AssistanceOfferGroup),
        [{"offer_id": offer, "group_id": g} for g in sorted(groups.values())],
    )
    await conn.execute(
        insert(AssistanceOfferCountry), [{"offer_id": offer, "country_id": countries["CL"]}]
    )
    request = await conn.scalar(
        insert(AssistanceRequest)
        .values(
            group_id=groups["open-data"],
            organization_id=orgs[UY_AGESIC],
            country_id=countries["UY"],
            title=REQUEST_TITLE,
            needs="We are preparing to open Uruguay's register of beneficial owners as data. We "
            "would like to talk with a team that has been through it: what to publish, in which "
            "format, and how to work with civil society on it. (Illustrative.)",
            needed_by=None,  # no date: an OPEN request never reads as overdue
            kind=AssistanceKind.PEER_EXCHANGE,
            status=AssistanceStatus.OPEN,
            created_at=REQUESTED_AT,
            illustrative=True,
        )
        .returning(AssistanceRequest.id)
    )
    assert request is not None
    await conn.execute(
        insert(AssistanceRequestTopic),
        [{"request_id": request, "topic": t} for t in ("beneficial-ownership", "open-data")],
    )
    await conn.execute(
        insert(AssistanceRequestLanguage), [{"request_id": request, "language": "es"}]
    )
    return await suggest.refresh(conn, request_ids=[request], illustrative=True, at=REQUESTED_AT)
