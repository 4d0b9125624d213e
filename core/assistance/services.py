"""Posting requests and offers, and closing a request: the writes of the assistance domain, each in
the caller's transaction (suggestions: `suggest.py`; a match's moves and its outcome:
`matches.py`).

A request is posted for a government or civil-society organisation (OrganizationKind GOVERNMENT
or CIVIL_SOCIETY, the issue's "a government or civil-society organisation") that takes part in
the group (a member, an observer, or an anchor); an offer by any organisation. A person acts for
their own organisation; staff may name another. Posting suggests matches at once (against every
open offer, or every open request).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.access.roles import refusal
from core.activity.services import record
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
from core.auth import Viewer
from core.db import utcnow
from core.enums import OrganizationKind
from core.errors import Rejected, user_error
from core.groups.models import Anchor, Membership, WorkingGroup
from core.knowledge import checks
from core.people.models import Country, Organization, Person
from core.topics import checked_topics
from core.transactions import ConstraintError

TITLE_MAX, TEXT_MAX = 300, 10_000
MAX_LANGUAGES, MAX_COUNTRIES, MAX_GROUPS = 10, 50, 20
REQUESTERS = (OrganizationKind.GOVERNMENT, OrganizationKind.CIVIL_SOCIETY)

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_assistance_matches_request_offer": ConstraintError(
        "MATCH_CONFLICT", "the matches of this request changed at the same time; try again"
    ),
    "ck_assistance_matches_allowed_transition": ConstraintError(
        "MATCH_WRONG_STATUS", "the match's status does not allow this move", "status"
    ),
    "ck_assistance_matches_mover_allowed": ConstraintError(
        "WRONG_SIDE", "this move is made by the other side of the match (or staff)", "status"
    ),
    "ck_assistance_matches_different_organizations": ConstraintError(
        "SAME_ORGANIZATION", "a request and an offer of the same organisation are never matched"
    ),
    "ck_assistance_matches_request_open": ConstraintError(
        "REQUEST_CLOSED", "the request is closed: its matches do not move forward", "status"
    ),
    "ck_assistance_matches_offer_open": ConstraintError(
        "OFFER_CLOSED", "the offer is closed: its matches do not move forward", "status"
    ),
    "ck_assistance_requests_requester_kind": ConstraintError(
        "NOT_GOVERNMENT_OR_CIVIL_SOCIETY",
        "a request is posted by a government or a civil-society organisation",
        "organizationId",
    ),
    "ck_assistance_matches_completed_with_outcome": ConstraintError(
        "REQUIRED", "a completed match needs a short outcome report", "outcomeReport"
    ),
    # core_0020: the ISO 639-1 list, as checks.languages (core_0017 took any two letters)
    "ck_assistance_request_languages_language": ConstraintError(
        "UNKNOWN_LANGUAGE", "a language is not an ISO 639-1 code", "languages"
    ),
    "ck_assistance_offer_languages_language": ConstraintError(
        "UNKNOWN_LANGUAGE", "a language is not an ISO 639-1 code", "languages"
    ),
}


# --- Checks ---------------------------------------------------------------------------------------


def text(value: str | None, field: str, max_len: int) -> str:
    if value is None or not value.strip():
        raise Rejected(user_error("REQUIRED", f"{field} must not be blank", field))
    if len(value) > max_len:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {max_len} characters", field)
        )
    return value.strip()


async def countries_of(conn: AsyncConnection, codes: list[str], field: str) -> list[int]:
    """Country ids of ISO alpha-2 `codes` (UNKNOWN_COUNTRY for one the table does not hold)."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes))
    if len(wanted) > MAX_COUNTRIES:
        raise Rejected(user_error("TOO_MANY", f"at most {MAX_COUNTRIES} countries", field))
    stmt = select(Country.alpha2, Country.id).where(Country.alpha2.in_(wanted))
    found = dict((await conn.execute(stmt)).all())
    unknown = [c for c in wanted if c not in found]
    if unknown:
        message = f"no country with code {', '.join(unknown)}"
        raise Rejected(user_error("UNKNOWN_COUNTRY", message, field))
    return [int(found[c]) for c in wanted]


async def viewer_organization(conn: AsyncConnection, viewer: Viewer) -> int | None:
    if viewer.person_id is None:
        return None
    org = await conn.scalar(select(Person.organization_id).where(Person.id == viewer.person_id))
    return None if org is None else int(org)


async def acting_organization(
    conn: AsyncConnection, viewer: Viewer, organization_id: str | None
) -> Any:
    """The organisation row the viewer acts for: their own, or (staff only: FORBIDDEN for
    others) the one named; REQUIRED when the viewer has none."""
    own = await viewer_organization(conn, viewer)
    if organization_id is not None:
        org = await lookups.organization(conn, organization_id, "organizationId")
        if org.id != own and not viewer.is_staff:
            raise refusal(viewer, "act for another organisation")
        return org
    if own is None:
        message = "you belong to no organisation: name one (staff)"
        raise Rejected(user_error("REQUIRED", message, "organizationId"))
    stmt = select(*Organization.__table__.c).where(Organization.id == own)
    return (await conn.execute(stmt)).one()


async def takes_part(conn: AsyncConnection, group_pk: int, org_pk: int) -> bool:
    """Whether the organisation is a member or observer of the group, or anchors it."""
    member = select(Membership.id).where(
        Membership.group_id == group_pk, Membership.organization_id == org_pk
    )
    anchor = select(Anchor.id).where(Anchor.group_id == group_pk, Anchor.organization_id == org_pk)
    return (await conn.scalar(member.union_all(anchor).limit(1))) is not None


# --- Writes ---------------------------------------------------------------------------------------


async def post_request(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    group_id: str,
    title: str,
    needs: str,
    kind: AssistanceKind,
    country: str,
    topics: list[str],
    languages: list[str],
    needed_by: date | None,
    organization_id: str | None,
    themes: tuple[str, ...],
) -> Any:
    """A new OPEN request of the group, then its suggested matches. Errors: REQUIRED, TOO_LONG,
    TOO_MANY, INVALID_TOPIC, UNKNOWN_LANGUAGE, UNKNOWN_COUNTRY, NEEDED_BY_PAST, NOT_FOUND (the
    group), NOT_GOVERNMENT_OR_CIVIL_SOCIETY, NOT_A_MEMBER (the organisation in the group)."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    title = text(title, "title", TITLE_MAX)
    needs = text(needs, "needs", TEXT_MAX)
    topic_list = checked_topics(topics, "topics", required=True)
    language_list = checks.languages(languages, maximum=MAX_LANGUAGES)
    (country_pk,) = await countries_of(conn, [country], "country")
    if needed_by is not None and needed_by < utcnow().date():
        raise Rejected(user_error("NEEDED_BY_PAST", "neededBy is in the past", "neededBy"))
    org = await acting_organization(conn, viewer, organization_id)
    if org.kind not in REQUESTERS:
        message = "a request is posted by a government or a civil-society organisation"
        raise Rejected(user_error("NOT_GOVERNMENT_OR_CIVIL_SOCIETY", message, "organizationId"))
    if not await takes_part(conn, group.id, org.id):
        message = "the organisation is not a member, observer or anchor of the group"
        raise Rejected(user_error("NOT_A_MEMBER", message, "organizationId"))
    now = utcnow()
    stmt = (
        insert(AssistanceRequest)
        .values(
            group_id=group.id,
            organization_id=org.id,
            person_id=viewer.person_id,
            country_id=country_pk,
            title=title,
            needs=needs,
            needed_by=needed_by,
            kind=kind,
            status=AssistanceStatus.OPEN,
            created_at=now,
            illustrative=False,
        )
        .returning(*AssistanceRequest.__table__.c)
    )
    row = (await conn.execute(stmt)).one()
    await conn.execute(
        insert(AssistanceRequestTopic), [{"request_id": row.id, "topic": t} for t in topic_list]
    )
    await conn.execute(
        insert(AssistanceRequestLanguage),
        [{"request_id": row.id, "language": code} for code in language_list],
    )
    await record(
        conn,
        verb="ASSISTANCE_REQUEST_POSTED",
        subject_type="AssistanceRequest",
        subject_id=row.id,
        summary=f"{org.name} asked for {kind_words(kind)}: '{title}'",
        group_id=group.id,
        organization_id=org.id,
        actor_id=viewer.person_id,
    )
    await suggest.refresh(conn, request_ids=[row.id])
    return row


def kind_words(kind: AssistanceKind) -> str:
    return "a peer exchange" if kind is AssistanceKind.PEER_EXCHANGE else "technical assistance"


async def post_offer(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    title: str,
    description: str,
    topics: list[str],
    languages: list[str],
    group_ids: list[str],
    countries: list[str],
    organization_id: str | None,
    themes: tuple[str, ...],
) -> Any:
    """A new OPEN offer of the viewer's organisation, then its suggested matches. Errors:
    REQUIRED, TOO_LONG, TOO_MANY, INVALID_TOPIC, UNKNOWN_LANGUAGE, UNKNOWN_COUNTRY, NOT_FOUND
    (a group)."""
    title = text(title, "title", TITLE_MAX)
    description = text(description, "description", TEXT_MAX)
    topic_list = checked_topics(topics, "topics", required=True)
    language_list = checks.languages(languages, maximum=MAX_LANGUAGES)
    if len(set(group_ids)) > MAX_GROUPS:
        raise Rejected(user_error("TOO_MANY", f"at most {MAX_GROUPS} groups", "groupIds"))
    groups = [
        (await lookups.visible_group(conn, g, themes, "groupIds")).id
        for g in dict.fromkeys(group_ids)
    ]
    country_pks = await countries_of(conn, countries, "countries")
    org = await acting_organization(conn, viewer, organization_id)
    stmt = (
        insert(AssistanceOffer)
        .values(
            organization_id=org.id,
            person_id=viewer.person_id,
            title=title,
            description=description,
            status=AssistanceStatus.OPEN,
            created_at=utcnow(),
            illustrative=False,
        )
        .returning(*AssistanceOffer.__table__.c)
    )
    row = (await conn.execute(stmt)).one()
    await conn.execute(
        insert(AssistanceOfferTopic), [{"offer_id": row.id, "topic": t} for t in topic_list]
    )
    await conn.execute(
        insert(AssistanceOfferLanguage),
        [{"offer_id": row.id, "language": code} for code in language_list],
    )
    if groups:
        await conn.execute(
            insert(AssistanceOfferGroup), [{"offer_id": row.id, "group_id": g} for g in groups]
        )
    if country_pks:
        await conn.execute(
            insert(AssistanceOfferCountry),
            [{"offer_id": row.id, "country_id": c} for c in country_pks],
        )
    await record(
        conn,
        verb="ASSISTANCE_OFFER_POSTED",
        subject_type="AssistanceOffer",
        subject_id=row.id,
        summary=f"{org.name} offered expertise: '{title}'",
        group_id=groups[0] if groups else None,
        organization_id=org.id,
        actor_id=viewer.person_id,
    )
    await suggest.refresh(conn, offer_ids=[row.id])
    return row


async def locked_request(
    conn: AsyncConnection, global_id: str, themes: tuple[str, ...], field: str
) -> Any:
    """The request's row, locked until the transaction ends; NOT_FOUND if its group is hidden."""
    pk = lookups.decode(global_id, "AssistanceRequest", field)
    stmt = (
        select(*AssistanceRequest.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == AssistanceRequest.group_id)
        .where(AssistanceRequest.id == pk, WorkingGroup.theme.in_(themes))
        .with_for_update(of=AssistanceRequest)
    )
    return await lookups.one_or_reject(conn, stmt, "AssistanceRequest", global_id, field)


async def requester_or_staff(
    conn: AsyncConnection, viewer: Viewer, request: Any, field: str
) -> None:
    if viewer.is_staff or await viewer_organization(conn, viewer) == request.organization_id:
        return
    message = "only the requesting organisation's people (or staff) do this"
    raise Rejected(user_error("NOT_A_PARTY", message, field))


async def close_request(
    conn: AsyncConnection, viewer: Viewer, request_id: str, themes: tuple[str, ...]
) -> Any:
    """OPEN -> CLOSED, by the requesting organisation's people or staff (NOT_A_PARTY, else
    REQUEST_CLOSED when already closed). Its matches stay as they are; no new ones are made."""
    request = await locked_request(conn, request_id, themes, "id")
    await requester_or_staff(conn, viewer, request, "id")
    if request.status is AssistanceStatus.CLOSED:
        raise Rejected(user_error("REQUEST_CLOSED", "the request is already closed", "id"))
    stmt = (
        update(AssistanceRequest)
        .where(AssistanceRequest.id == request.id)
        .values(status=AssistanceStatus.CLOSED, closed_at=utcnow())
        .returning(*AssistanceRequest.__table__.c)
    )
    return (await conn.execute(stmt)).one()


async def close_offer(conn: AsyncConnection, viewer: Viewer, offer_id: str) -> Any:
    """OPEN -> CLOSED (withdrawn), by the offering organisation's people or staff (NOT_FOUND,
    NOT_A_PARTY, else OFFER_CLOSED when already closed). It is suggested no more; its SUGGESTED
    and PROPOSED matches may only be DECLINED (core_0017), the others go on."""
    pk = lookups.decode(offer_id, "AssistanceOffer", "id")
    stmt = (
        select(*AssistanceOffer.__table__.c)
        .where(AssistanceOffer.id == pk)
        .with_for_update(of=AssistanceOffer)
    )
    offer = await lookups.one_or_reject(conn, stmt, "AssistanceOffer", offer_id, "id")
    if not viewer.is_staff and await viewer_organization(conn, viewer) != offer.organization_id:
        message = "only the offering organisation's people (or staff) do this"
        raise Rejected(user_error("NOT_A_PARTY", message, "id"))
    if offer.status is AssistanceStatus.CLOSED:
        raise Rejected(user_error("OFFER_CLOSED", "the offer is already closed", "id"))
    closing = (
        update(AssistanceOffer)
        .where(AssistanceOffer.id == offer.id)
        .values(status=AssistanceStatus.CLOSED, closed_at=utcnow())
        .returning(*AssistanceOffer.__table__.c)
    )
    return (await conn.execute(closing)).one()


async def suggest_for_request(
    conn: AsyncConnection, viewer: Viewer, request_id: str, themes: tuple[str, ...]
) -> Any:
    """Suggest again for an OPEN request (after offers or commitments changed): by the
    requesting organisation's people or staff (NOT_A_PARTY); REQUEST_CLOSED when closed."""
    request = await locked_request(conn, request_id, themes, "requestId")
    await requester_or_staff(conn, viewer, request, "requestId")
    if request.status is AssistanceStatus.CLOSED:
        message = "the request is closed: no new matches are suggested"
        raise Rejected(user_error("REQUEST_CLOSED", message, "requestId"))
    await suggest.refresh(conn, request_ids=[request.id])
    return request
