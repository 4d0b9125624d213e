"""A test-only plugin built with the core's shared helpers (core.rows, core.validation), over core
tables, as a partner would write it: declared loads (`rows_by_key`, `rows_grouped_by`,
`pages_by_key`), `from_row` with its conventions, `query_page`, `mutation_payload` and
`UserErrors`. tests/test_helpers.py compares what it answers with the core's own fields.
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select

from core import (
    Connection,
    Theme,
    UserError,
    UserErrors,
    enums,
    from_row,
    hookimpl,
    in_country,
    models,
    mutation_payload,
    pages_by_key,
    query_page,
    relation,
    rows_by_key,
    rows_grouped_by,
    types,
)

KEY = "helper_views"
Country, Organization = models.Country, models.Organization

country_by_id = rows_by_key(Country.id, lambda: HelperCountry)
orgs_by_country = rows_grouped_by(
    Organization.country_id,
    lambda: HelperOrganization,
    order_by=(Organization.name, Organization.id),
    filters={"kind": Organization.kind},
)
org_pages_by_country = pages_by_key(
    Organization.country_id,
    lambda: HelperOrganization,
    order_by=(Organization.name, Organization.id),
    filters={"kind": Organization.kind},
)
named_orgs = rows_by_key(
    Organization.id,
    build=lambda row: f"{row.name} ({row.kind.value})",
    where=Organization.website.is_not(None),
)


@strawberry.type
class HelperViewsGroup(types.WorkingGroup):
    """The test theme's groups (it has none)."""


@strawberry.type
class HelperOrganization:
    pk: strawberry.Private[int]  # from the column id
    country_pk: strawberry.Private[int | None]  # from the column country_id
    name: str
    website: str | None
    note: str = "default kept"  # no such column: the default

    @relation(country_by_id, key="country_pk")
    def country(self) -> HelperCountry | None: ...

    @relation(named_orgs)
    def label(self) -> str | None: ...


@strawberry.type
class HelperCountry:
    pk: strawberry.Private[int]
    code: str  # renamed: given explicitly where built from a row
    name: str

    @classmethod
    def from_row(cls, row: Any) -> HelperCountry:
        return from_row(cls, row, code=row.alpha2)

    @relation(orgs_by_country, default=[])
    def organizations(
        self, kind: enums.OrganizationKind | None = None
    ) -> list[HelperOrganization]: ...

    @relation(org_pages_by_country)
    def organization_page(
        self,
        kind: enums.OrganizationKind | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[HelperOrganization]: ...


@strawberry.field(description="Test only: countries by name, optionally one by ISO code.")
async def helper_countries(
    info: strawberry.Info,
    code: str | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[HelperCountry]:
    stmt = select(*Country.__table__.c)
    if code is not None:
        stmt = stmt.where(in_country(Country.id, code))
    return await query_page(
        info,
        stmt,
        (Country.name, Country.id),
        HelperCountry,
        first=first,
        after=after,
        last=last,
        before=before,
    )


@strawberry.input
class HelperCheckInput:
    country: str
    title: str | None = None
    url: str | None = None


@strawberry.type
class HelperPayload:
    country: HelperCountry | None
    user_errors: list[UserError]


@strawberry.mutation(description="Test only: checks the input, writes nothing.")
async def helper_check(info: strawberry.Info, input: HelperCheckInput) -> HelperPayload:
    async def work(conn: Any) -> Any:
        errors = UserErrors()
        errors.text(input.title, "title", 10)
        errors.url(input.url, "url", 40)
        pk = await errors.country(conn, input.country)
        errors.raise_if_any()
        return (await conn.execute(select(*Country.__table__.c).where(Country.id == pk))).one()

    return await mutation_payload(info, work, HelperPayload, country=HelperCountry)


class Plugin:
    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key=KEY, title="Helper views", summary="Test only.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        return HelperViewsGroup

    @hookimpl
    def ogp_wg_query_fields(self) -> list[Any]:
        return [helper_countries]

    @hookimpl
    def ogp_wg_mutation_fields(self) -> list[Any]:
        return [helper_check]


plugin = Plugin()
