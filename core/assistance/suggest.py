"""Making suggestions: load the facts of the OPEN requests and offers concerned in a fixed number
of statements (whatever their number), score every pair with the pure `scoring.reasons`, and
store the result as SUGGESTED matches with their reasons.

When: a request is posted (against every open offer), an offer is posted (against every open
request), and `assistanceMatchesSuggest(requestId)` (again, for one request: offers or
commitments may have changed since). A SUGGESTED match of the pairs looked at gets its score and
reasons rewritten, or is deleted when the pair no longer qualifies; a match that has moved on
(PROPOSED and later) keeps the score and reasons it was proposed with.

The peer reasons come from core/commitments' tables: a commitment whose IRM assessment's
completion is COMPLETE, in an action plan of the country, with the topic; the year is the one
the plan's cycle ended (`action_plans.cycle_end`); per (country, topic) the latest counts (then
the lowest commitment id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.assistance import scoring
from core.assistance.models import (
    AssistanceMatch,
    AssistanceMatchReason,
    AssistanceOffer,
    AssistanceOfferCountry,
    AssistanceOfferGroup,
    AssistanceOfferLanguage,
    AssistanceOfferTopic,
    AssistanceRequest,
    AssistanceRequestLanguage,
    AssistanceRequestTopic,
    AssistanceStatus,
    MatchStatus,
)
from core.commitments.models import ActionPlan, Commitment, CommitmentTopic, IrmAssessment
from core.commitments.models import Completion as IrmCompletion
from core.db import utcnow
from core.groups.models import WorkingGroup
from core.people.models import Organization


def _sets(rows: Iterable[Any]) -> dict[int, frozenset[Any]]:
    found: dict[int, set[Any]] = defaultdict(set)
    for key, value in rows:
        found[key].add(value)
    return {key: frozenset(values) for key, values in found.items()}


async def requests_facts(
    conn: AsyncConnection, ids: list[int] | None
) -> list[scoring.RequestFacts]:
    """The OPEN requests (all, or those of `ids`), as scoring facts: 3 statements."""
    r = AssistanceRequest
    stmt = (
        select(r.id, r.organization_id, r.group_id, WorkingGroup.theme)
        .join(WorkingGroup, WorkingGroup.id == r.group_id)
        .where(r.status == AssistanceStatus.OPEN)
    )
    if ids is not None:
        stmt = stmt.where(r.id.in_(ids))
    rows = (await conn.execute(stmt.order_by(r.id))).all()
    keys = [row.id for row in rows]
    topics = _sets(
        await conn.execute(
            select(AssistanceRequestTopic.request_id, AssistanceRequestTopic.topic).where(
                AssistanceRequestTopic.request_id.in_(keys)
            )
        )
    )
    languages = _sets(
        await conn.execute(
            select(AssistanceRequestLanguage.request_id, AssistanceRequestLanguage.language).where(
                AssistanceRequestLanguage.request_id.in_(keys)
            )
        )
    )
    return [
        scoring.RequestFacts(
            id=row.id,
            organization_id=row.organization_id,
            group_id=row.group_id,
            theme=row.theme,
            topics=topics.get(row.id, frozenset()),
            languages=languages.get(row.id, frozenset()),
        )
        for row in rows
    ]


async def offers_facts(conn: AsyncConnection, ids: list[int] | None) -> list[scoring.OfferFacts]:
    """The OPEN offers (all, or those of `ids`), as scoring facts: 5 statements."""
    o = AssistanceOffer
    stmt = (
        select(o.id, o.organization_id, Organization.country_id)
        .join(Organization, Organization.id == o.organization_id)
        .where(o.status == AssistanceStatus.OPEN)
    )
    if ids is not None:
        stmt = stmt.where(o.id.in_(ids))
    rows = (await conn.execute(stmt.order_by(o.id))).all()
    keys = [row.id for row in rows]
    topics = _sets(
        await conn.execute(
            select(AssistanceOfferTopic.offer_id, AssistanceOfferTopic.topic).where(
                AssistanceOfferTopic.offer_id.in_(keys)
            )
        )
    )
    languages = _sets(
        await conn.execute(
            select(AssistanceOfferLanguage.offer_id, AssistanceOfferLanguage.language).where(
                AssistanceOfferLanguage.offer_id.in_(keys)
            )
        )
    )
    countries = _sets(
        await conn.execute(
            select(AssistanceOfferCountry.offer_id, AssistanceOfferCountry.country_id).where(
                AssistanceOfferCountry.offer_id.in_(keys)
            )
        )
    )
    groups: dict[int, dict[int, str]] = defaultdict(dict)
    for offer_id, group_id, theme in await conn.execute(
        select(AssistanceOfferGroup.offer_id, AssistanceOfferGroup.group_id, WorkingGroup.theme)
        .join(WorkingGroup, WorkingGroup.id == AssistanceOfferGroup.group_id)
        .where(AssistanceOfferGroup.offer_id.in_(keys))
    ):
        groups[offer_id][group_id] = theme
    facts = []
    for row in rows:
        own = {row.country_id} if row.country_id is not None else set()
        facts.append(
            scoring.OfferFacts(
                id=row.id,
                organization_id=row.organization_id,
                groups=dict(groups.get(row.id, {})),
                topics=topics.get(row.id, frozenset()),
                languages=languages.get(row.id, frozenset()),
                countries=frozenset(own | countries.get(row.id, frozenset())),
            )
        )
    return facts


async def completions(
    conn: AsyncConnection, countries: set[int], topics: set[str]
) -> dict[tuple[int, str], scoring.Completion]:
    """Each (country, topic)'s latest completed commitment, among `countries` x `topics`: ONE
    statement."""
    if not countries or not topics:
        return {}
    stmt = (
        select(ActionPlan.country_id, CommitmentTopic.topic, ActionPlan.cycle_end, Commitment.id)
        .join(Commitment, Commitment.action_plan_id == ActionPlan.id)
        .join(CommitmentTopic, CommitmentTopic.commitment_id == Commitment.id)
        .join(IrmAssessment, IrmAssessment.commitment_id == Commitment.id)
        .where(IrmAssessment.completion == IrmCompletion.COMPLETE)
        .where(ActionPlan.country_id.in_(sorted(countries)))
        .where(CommitmentTopic.topic.in_(sorted(topics)))
    )
    found: dict[tuple[int, str], tuple[Any, int]] = {}
    for country, topic, ended, commitment in await conn.execute(stmt):
        best = found.get((country, topic))
        if best is None or (ended, -commitment) > (best[0], -best[1]):
            found[(country, topic)] = (ended, commitment)
    return {key: scoring.Completion(c, ended.year) for key, (ended, c) in found.items()}


def _reason_rows(match_id: int, found: list[scoring.Reason]) -> list[dict[str, Any]]:
    return [
        {
            "match_id": match_id,
            "position": position,
            "code": r.code,
            "points": r.points,
            "group_id": r.group_id,
            "theme": r.theme,
            "topic": r.topic,
            "language": r.language,
            "country_id": r.country_id,
            "commitment_id": r.commitment_id,
            "year": r.year,
        }
        for position, r in enumerate(found, start=1)
    ]


async def refresh(
    conn: AsyncConnection,
    *,
    request_ids: list[int] | None = None,
    offer_ids: list[int] | None = None,
    illustrative: bool = False,
    at: datetime | None = None,
) -> int:
    """Suggest matches between the open requests of `request_ids` (None: all) and the open
    offers of `offer_ids` (None: all); returns how many SUGGESTED matches the pairs now have.
    `illustrative`: new matches are demo content; `at`: when (default now; the demo's date)."""
    requests = await requests_facts(conn, request_ids)
    offers = await offers_facts(conn, offer_ids)
    if not requests or not offers:
        return 0
    done = await completions(
        conn,
        {c for offer in offers for c in offer.countries},
        {t for request in requests for t in request.topics},
    )
    m = AssistanceMatch
    existing = {
        (row.request_id, row.offer_id): row
        for row in await conn.execute(
            select(m.id, m.request_id, m.offer_id, m.status)
            .where(m.request_id.in_([r.id for r in requests]))
            .where(m.offer_id.in_([o.id for o in offers]))
        )
    }
    now, suggested = at or utcnow(), 0
    for request in requests:
        for offer in offers:
            found = scoring.reasons(request, offer, done)
            match = existing.get((request.id, offer.id))
            if match is not None and match.status is not MatchStatus.SUGGESTED:
                continue  # moved on: kept as proposed
            if not found:
                if match is not None:
                    await conn.execute(delete(m).where(m.id == match.id))
                continue
            suggested += 1
            score = scoring.score(found)
            if match is None:
                match_id = await conn.scalar(
                    insert(m)
                    .values(
                        request_id=request.id,
                        offer_id=offer.id,
                        status=MatchStatus.SUGGESTED,
                        score=score,
                        suggested_at=now,
                        moved_at=now,
                        illustrative=illustrative,
                    )
                    .returning(m.id)
                )
                assert match_id is not None
            else:
                match_id = match.id
                await conn.execute(
                    update(m).where(m.id == match_id).values(score=score, suggested_at=now)
                )
                await conn.execute(
                    delete(AssistanceMatchReason).where(AssistanceMatchReason.match_id == match_id)
                )
            await conn.execute(insert(AssistanceMatchReason), _reason_rows(match_id, found))
    return suggested
