"""A completed match's outcome report made a resource: a DRAFT `LESSON_LEARNED` of the request's
group, authored by the requesting organisation, through the knowledge domain's
`core.knowledge.services.create_resource` (its drafts are seen by that organisation and the
group's anchors until published there), linked both ways: the match holds
`outcome_resource_id`.

The resource takes the request's topics, languages and country, the commitments the match's
PEER_COMPLETED reasons name, the report as its body (with where it comes from) and CC-BY-4.0
(the licence OGP publishes under). Errors: NOT_FOUND, NOT_A_PARTY, MATCH_WRONG_STATUS (not
COMPLETED), OUTCOME_ALREADY_PUBLISHED, TOO_LONG (title), and the knowledge domain's own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.assistance.matches import locked_match, sides_of
from core.assistance.models import (
    AssistanceMatch,
    AssistanceMatchReason,
    AssistanceOffer,
    AssistanceRequest,
    AssistanceRequestLanguage,
    AssistanceRequestTopic,
    MatchStatus,
)
from core.auth import Viewer
from core.errors import Rejected, user_error

LICENCE = "CC-BY-4.0"
TITLE_MAX, SUMMARY_MAX = 300, 500


async def publish(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    match_id: str,
    title: str | None,
    themes: tuple[str, ...],
) -> Any:
    """Make the COMPLETED match's outcome report a draft resource; returns the match's row."""
    from core.knowledge import services as knowledge
    from core.knowledge.models import ResourceKind

    match = await locked_match(conn, match_id, themes, "matchId")
    if not viewer.is_staff and not await sides_of(conn, viewer, match):
        message = "only the people of the requesting or the offering organisation (or staff)"
        raise Rejected(user_error("NOT_A_PARTY", message + " publish its outcome", "matchId"))
    if match.status is not MatchStatus.COMPLETED:
        message = f"the match is {match.status.value}; its outcome is published once COMPLETED"
        raise Rejected(user_error("MATCH_WRONG_STATUS", message, "matchId"))
    if match.outcome_resource_id is not None:
        message = "the outcome is already a resource (outcomeResourceId)"
        raise Rejected(user_error("OUTCOME_ALREADY_PUBLISHED", message, "matchId"))
    request = (
        await conn.execute(
            select(*AssistanceRequest.__table__.c).where(AssistanceRequest.id == match.request_id)
        )
    ).one()
    offer_title = await conn.scalar(
        select(AssistanceOffer.title).where(AssistanceOffer.id == match.offer_id)
    )
    topics = list(
        await conn.scalars(
            select(AssistanceRequestTopic.topic)
            .where(AssistanceRequestTopic.request_id == request.id)
            .order_by(AssistanceRequestTopic.topic)
        )
    )
    languages = list(
        await conn.scalars(
            select(AssistanceRequestLanguage.language)
            .where(AssistanceRequestLanguage.request_id == request.id)
            .order_by(AssistanceRequestLanguage.language)
        )
    )
    commitments: list[int] = list(
        await conn.scalars(
            select(AssistanceMatchReason.commitment_id)
            .where(AssistanceMatchReason.match_id == match.id)
            .where(AssistanceMatchReason.commitment_id.is_not(None))
            .order_by(AssistanceMatchReason.position)
        )
    )
    name = (title or "").strip() or f"Lessons from {request.title}"
    if len(name) > TITLE_MAX:
        message = f"title is longer than {TITLE_MAX} characters"
        raise Rejected(user_error("TOO_LONG", message, "title"))
    report = str(match.outcome_report)
    summary = report if len(report) <= SUMMARY_MAX else report[: SUMMARY_MAX - 1] + "…"
    body = (
        f"{report}\n\nFrom the {request.kind.value.lower().replace('_', ' ')} requested as "
        f"'{request.title}' and offered as '{offer_title}' (completed "
        f"{match.completed_at:%Y-%m-%d})."
    )
    resource_id = await knowledge.create_resource(
        conn,
        group_id=request.group_id,
        organization_id=request.organization_id,
        kind=ResourceKind.LESSON_LEARNED,
        title=name,
        summary=summary,
        licence=LICENCE,
        body=body,
        languages=languages,
        topics=topics,
        country_ids=[request.country_id],
        commitment_ids=list(dict.fromkeys(commitments)),
        group_ids=[request.group_id],
        created_by_person_id=viewer.person_id,
        illustrative=bool(match.illustrative),
    )
    stmt = (
        update(AssistanceMatch)
        .where(AssistanceMatch.id == match.id)
        .values(outcome_resource_id=resource_id)
        .returning(*AssistanceMatch.__table__.c)
    )
    return (await conn.execute(stmt)).one()
