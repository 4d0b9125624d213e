"""Root queries of the assistance domain: `assistanceRequests(filter)` and
`assistanceOffers(filter)`, newest first. A group's requests are also
`WorkingGroup.assistanceRequests`; matches are read through their request or offer (`matches`,
best first) and `node(id:)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core.assistance import types
from core.assistance.models import (
    AssistanceKind,
    AssistanceOffer,
    AssistanceOfferGroup,
    AssistanceOfferLanguage,
    AssistanceOfferTopic,
    AssistanceRequest,
    AssistanceRequestLanguage,
    AssistanceRequestTopic,
    AssistanceStatus,
)
from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import visible_theme
from core.people.models import Country
from core.rows import root_page
from core.schema.ids import pk_of


@strawberry.input(description="Keeps the requests that match every field given.")
class AssistanceRequestFilter:
    group_id: strawberry.ID | None = None
    status: AssistanceStatus | None = None
    kind: AssistanceKind | None = None
    topic: str | None = strawberry.field(default=None, description="A topic slug it names.")
    language: str | None = strawberry.field(default=None, description="An ISO 639-1 code.")
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 code.")


@strawberry.input(description="Keeps the offers that match every field given.")
class AssistanceOfferFilter:
    group_id: strawberry.ID | None = strawberry.field(
        default=None, description="A group it is for."
    )
    status: AssistanceStatus | None = None
    topic: str | None = None
    language: str | None = None


def _requests(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every request `assistanceRequests(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or AssistanceRequestFilter()
    r = AssistanceRequest
    stmt = (
        select(*r.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == r.group_id)
        .where(visible_theme(ctx))
    )
    if f.group_id is not None:
        stmt = stmt.where(r.group_id == (pk_of(str(f.group_id), "WorkingGroup") or 0))
    if f.status is not None:
        stmt = stmt.where(r.status == f.status)
    if f.kind is not None:
        stmt = stmt.where(r.kind == f.kind)
    if f.topic is not None:
        t = AssistanceRequestTopic
        stmt = stmt.where(r.id.in_(select(t.request_id).where(t.topic == f.topic)))
    if f.language is not None:
        lang = AssistanceRequestLanguage
        stmt = stmt.where(r.id.in_(select(lang.request_id).where(lang.language == f.language)))
    if f.country is not None:
        code = f.country.upper()
        stmt = stmt.where(r.country_id.in_(select(Country.id).where(Country.alpha2 == code)))
    return stmt


def _offers(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every offer `assistanceOffers(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or AssistanceOfferFilter()
    o = AssistanceOffer
    stmt = select(*o.__table__.c)
    if f.group_id is not None:
        g = AssistanceOfferGroup
        pk = pk_of(str(f.group_id), "WorkingGroup") or 0
        stmt = stmt.where(o.id.in_(select(g.offer_id).where(g.group_id == pk)))
    if f.status is not None:
        stmt = stmt.where(o.status == f.status)
    if f.topic is not None:
        t = AssistanceOfferTopic
        stmt = stmt.where(o.id.in_(select(t.offer_id).where(t.topic == f.topic)))
    if f.language is not None:
        lang = AssistanceOfferLanguage
        stmt = stmt.where(o.id.in_(select(lang.offer_id).where(lang.language == f.language)))
    return stmt


REQUESTS = root_page(
    _requests,
    (AssistanceRequest.created_at.desc(), AssistanceRequest.id.desc()),
    types.AssistanceRequest,
)
OFFERS = root_page(
    _offers,
    (AssistanceOffer.created_at.desc(), AssistanceOffer.id.desc()),
    types.AssistanceOffer,
)


@strawberry.type
class Query:
    @strawberry.field(
        description="Requests for assistance or a peer exchange, newest first.",
        metadata=REQUESTS.metadata,
    )
    async def assistance_requests(
        self,
        info: Info,
        filter: AssistanceRequestFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> types.AssistanceRequestConnection:
        return await REQUESTS.page(  # type: ignore[return-value]
            info, {"filter": filter}, first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="Offers of expertise, newest first.", metadata=OFFERS.metadata)
    async def assistance_offers(
        self,
        info: Info,
        filter: AssistanceOfferFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> types.AssistanceOfferConnection:
        return await OFFERS.page(  # type: ignore[return-value]
            info, {"filter": filter}, first=first, after=after, last=last, before=before
        )
