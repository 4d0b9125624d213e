"""Root mutations of the assistance domain: thin wrappers over services.py, matches.py and
outcome.py, one transaction each (core.transactions). Who may call each: access.py; which side
makes which move: moves.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from core.assistance import matches, outcome, services, types
from core.assistance.models import AssistanceKind, MatchStatus
from core.errors import UserError
from core.loading import prefetched
from core.transactions import in_transaction


@strawberry.input
class AssistanceRequestPostInput:
    group_id: strawberry.ID
    title: str
    needs: str = strawberry.field(description="What you need, in a few lines.")
    kind: AssistanceKind
    country: str = strawberry.field(description="ISO alpha-2 code of the country it is for.")
    topics: list[str] = strawberry.field(description="Topic slugs, e.g. beneficial-ownership.")
    languages: list[str] = strawberry.field(description="ISO 639-1 codes you work in.")
    needed_by: date | None = strawberry.field(default=None, description="Today or later.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: your organisation (only staff may name another)."
    )


@strawberry.input
class AssistanceOfferPostInput:
    title: str
    description: str
    topics: list[str] = strawberry.field(description="Topic slugs, e.g. beneficial-ownership.")
    languages: list[str] = strawberry.field(description="ISO 639-1 codes you work in.")
    group_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Groups whose members it is for."
    )
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO alpha-2 codes of countries you have worked in."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: your organisation (only staff may name another)."
    )


@strawberry.input
class AssistanceRequestCloseInput:
    id: strawberry.ID


@strawberry.input
class AssistanceOfferCloseInput:
    id: strawberry.ID


@strawberry.input
class AssistanceMatchesSuggestInput:
    request_id: strawberry.ID


@strawberry.input
class AssistanceMatchMoveInput:
    match_id: strawberry.ID
    status: MatchStatus = strawberry.field(description="Where to move it.")
    note: str | None = strawberry.field(default=None, description="Why (kept in its history).")
    outcome_report: str | None = strawberry.field(
        default=None, description="Required for COMPLETED: what came of it, in a few lines."
    )


@strawberry.input
class AssistanceMatchPublishOutcomeInput:
    match_id: strawberry.ID
    title: str | None = strawberry.field(
        default=None, description="Default: 'Lessons from <the request's title>'."
    )


@strawberry.type
class AssistanceRequestPayload:
    request: types.AssistanceRequest | None
    user_errors: list[UserError]


@strawberry.type
class AssistanceOfferPayload:
    offer: types.AssistanceOffer | None
    user_errors: list[UserError]


@strawberry.type
class AssistanceMatchPayload:
    match: types.AssistanceMatch | None
    user_errors: list[UserError]


def _request(row: Any) -> types.AssistanceRequest | None:
    return row and types.AssistanceRequest.from_row(row)


def _match(row: Any) -> types.AssistanceMatch | None:
    return row and types.AssistanceMatch.from_row(row)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Ask for technical assistance or a peer exchange, for your organisation "
        "(a government or civil society's, in the group); matches are suggested at once."
    )
    async def assistance_request_post(
        self, info: Info, input: AssistanceRequestPostInput
    ) -> AssistanceRequestPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.post_request(
                conn,
                ctx.viewer,
                group_id=input.group_id,
                title=input.title,
                needs=input.needs,
                kind=input.kind,
                country=input.country,
                topics=input.topics,
                languages=input.languages,
                needed_by=input.needed_by,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info, AssistanceRequestPayload(request=_request(row), user_errors=errors)
        )

    @strawberry.mutation(description="Close your organisation's request (its matches stay).")
    async def assistance_request_close(
        self, info: Info, input: AssistanceRequestCloseInput
    ) -> AssistanceRequestPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.close_request(conn, ctx.viewer, input.id, ctx.app.visible_themes),
        )
        return await prefetched(
            info, AssistanceRequestPayload(request=_request(row), user_errors=errors)
        )

    @strawberry.mutation(
        description="Offer your organisation's expertise; matches are suggested at once."
    )
    async def assistance_offer_post(
        self, info: Info, input: AssistanceOfferPostInput
    ) -> AssistanceOfferPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.post_offer(
                conn,
                ctx.viewer,
                title=input.title,
                description=input.description,
                topics=input.topics,
                languages=input.languages,
                group_ids=[str(g) for g in input.group_ids],
                countries=input.countries,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
            ),
        )
        offer = row and types.AssistanceOffer.from_row(row)
        return await prefetched(info, AssistanceOfferPayload(offer=offer, user_errors=errors))

    @strawberry.mutation(
        description="Close (withdraw) your organisation's offer: it is suggested no more, and "
        "its SUGGESTED or PROPOSED matches may only be DECLINED."
    )
    async def assistance_offer_close(
        self, info: Info, input: AssistanceOfferCloseInput
    ) -> AssistanceOfferPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx, lambda conn: services.close_offer(conn, ctx.viewer, input.id)
        )
        offer = row and types.AssistanceOffer.from_row(row)
        return await prefetched(info, AssistanceOfferPayload(offer=offer, user_errors=errors))

    @strawberry.mutation(
        description="Suggest matches for an open request again (offers and completed "
        "commitments may have changed); answers the request, its matches best first."
    )
    async def assistance_matches_suggest(
        self, info: Info, input: AssistanceMatchesSuggestInput
    ) -> AssistanceRequestPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.suggest_for_request(
                conn, ctx.viewer, input.request_id, ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info, AssistanceRequestPayload(request=_request(row), user_errors=errors)
        )

    @strawberry.mutation(
        description="Move a match (SUGGESTED -> PROPOSED -> ACCEPTED -> IN_PROGRESS -> "
        "COMPLETED, or DECLINED), as the side allowed to make the move."
    )
    async def assistance_match_move(
        self, info: Info, input: AssistanceMatchMoveInput
    ) -> AssistanceMatchPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: matches.move(
                conn,
                ctx.viewer,
                match_id=input.match_id,
                to=input.status,
                note=input.note,
                outcome_report=input.outcome_report,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(info, AssistanceMatchPayload(match=_match(row), user_errors=errors))

    @strawberry.mutation(
        description="Make a COMPLETED match's outcome report a draft LESSON_LEARNED resource of "
        "the request's group, linked to the match."
    )
    async def assistance_match_publish_outcome(
        self, info: Info, input: AssistanceMatchPublishOutcomeInput
    ) -> AssistanceMatchPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: outcome.publish(
                conn,
                ctx.viewer,
                match_id=input.match_id,
                title=input.title,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(info, AssistanceMatchPayload(match=_match(row), user_errors=errors))
