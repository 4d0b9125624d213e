"""Root queries of the people domain: `countries`, `country`, `organizations`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, func, select
from strawberry.types import Info

from core.compiled.declare import COMPILED_ROOT, RootRead
from core.enums import OrganizationKind
from core.limits import MAX_PAGE_SIZE
from core.loading import prefetched
from core.people import types
from core.people.models import Country, Organization
from core.schema.filters import like_pattern
from core.schema.pagination import Connection, count_of, paginate


@strawberry.input
class OrganizationFilter:
    kind: list[OrganizationKind] | None = None
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    text: str | None = strawberry.field(default=None, description="Case-insensitive name match.")


def country_code(code: str) -> Any:
    """The condition on `countries` for an alpha-2 (2 letters) or alpha-3 code, any case."""
    code = code.strip().upper()
    return Country.alpha2 == code if len(code) == 2 else Country.alpha3 == code


def _countries_statement(ctx: Any, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every country `countries(region:)` lists, on both read paths."""
    stmt = select(*Country.__table__.c)
    region = arguments.get("region")
    return stmt if region is None else stmt.where(Country.region == region)


COUNTRIES = RootRead(
    statement=_countries_statement,
    make=lambda ctx, row: types.Country.from_row(row),
    order_by=(Country.name, Country.id),
    paging=frozenset({"first"}),
)
"""`countries` on both read paths (core.compiled): a list (the first `first`), by name."""


COUNTRY_BY_CODE = RootRead(
    statement=lambda ctx, arguments: select(*Country.__table__.c).where(
        country_code(arguments["code"])
    ),
    make=lambda ctx, row: types.Country.from_row(row),
    one=True,
)
"""`country(code:)` on both read paths (core.compiled): codes are unique, one row or none."""


def _organizations_statement(ctx: Any, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every organisation `organizations(filter:)` lists, on both read paths."""
    f = arguments.get("filter") or OrganizationFilter()
    stmt = select(*Organization.__table__.c)
    if f.kind:
        stmt = stmt.where(Organization.kind.in_(f.kind))
    if f.country:
        stmt = stmt.where(
            Organization.country_id.in_(select(Country.id).where(country_code(f.country)))
        )
    if f.text:
        stmt = stmt.where(func.lower(Organization.name).like(like_pattern(f.text), escape="\\"))
    return stmt


ORGANIZATIONS = RootRead(
    statement=_organizations_statement,
    make=lambda ctx, row: types.Organization.from_row(row),
    order_by=(Organization.name, Organization.id),
)
"""`organizations` on both read paths (core.compiled): the directory, by name."""


@strawberry.type
class Query:
    @strawberry.field(
        description="OGP participating countries, by name (`first`: 1..100).",
        metadata={COMPILED_ROOT: COUNTRIES},
    )
    async def countries(
        self, info: Info, region: str | None = None, first: int = MAX_PAGE_SIZE
    ) -> list[types.Country]:
        stmt = COUNTRIES.statement(info.context, {"region": region})
        stmt = stmt.order_by(None).order_by(*COUNTRIES.order_by).limit(first)
        async with info.context.db.read() as conn:
            countries = [types.Country.from_row(row) for row in await conn.execute(stmt)]
        return await prefetched(info, countries)

    @strawberry.field(
        description="One country by ISO 3166-1 alpha-2 or alpha-3 code.",
        metadata={COMPILED_ROOT: COUNTRY_BY_CODE},
    )
    async def country(self, info: Info, code: str) -> types.Country | None:
        stmt = COUNTRY_BY_CODE.statement(info.context, {"code": code})
        async with info.context.db.read() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else await prefetched(info, types.Country.from_row(row))

    @strawberry.field(
        description="Organisations, by name.", metadata={COMPILED_ROOT: ORGANIZATIONS}
    )
    async def organizations(
        self,
        info: Info,
        filter: OrganizationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[types.Organization]:
        stmt = ORGANIZATIONS.statement(info.context, {"filter": filter})
        db = info.context.db
        async with db.read() as conn:
            page = await paginate(
                conn,
                stmt,
                ORGANIZATIONS.order_by,
                types.Organization.from_row,
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(db.read, stmt),
            )
        return await prefetched(info, page)
