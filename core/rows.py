"""Rows to GraphQL objects, declared rather than written: the read side every plugin shares.

- `from_row(Type, row, **values)`: a Strawberry type built from a row, column by field name.
- `rows_by_key(column, Type)`: a `@relation` / `node(id:)` load function, one object per key.
- `rows_grouped_by(column, Type, order_by=...)`: a load function, one list per key.
- `pages_by_key(column, Type, order_by=...)`: a load function, one connection page per key.
- `root_page(statement, order_by, Type)`: a root connection field declared as data (its
  `metadata` for `@strawberry.field`, its `page(info, arguments, first=, after=)` the answer):
  it compiles to one SQL statement on the compiled read path (core.compiled).
- `query_page(info, stmt, order_by, Type, first=, after=)`: a root field's connection from a
  statement built in the resolver (the resolver path only).
- `mutation_payload(info, work, Payload, field=Type)`: a mutation's payload with `userErrors`.

The three load functions are DECLARATIONS (table, key column, order, filter, type), not code:
each reads all the parents' rows of a query level in ONE statement, and their attributes say
what they read (`key`, `order_by`, `where`, `filters`, `type`), so a compiled read path can turn
the same declaration into SQL without a second description of the relation::

    laws_by_id = rows_by_key(LawRow.id, lambda: RightToInformationLaw)
    ratings_by_law = rows_grouped_by(RatingRow.law_id, lambda: RtiRating,
                                     order_by=(RatingRow.edition,))

    @strawberry.type
    class RightToInformationLaw(types.Node):
        node_type: ClassVar[str] = "RightToInformationLaw"
        country_pk: strawberry.Private[int]          # read from the column country_id
        name: str

        @relation(ratings_by_law, default=[])
        def ratings(self) -> list[RtiRating]: ...

The type may be given as a class or, when it is defined after the declaration (types refer to
their loaders and loaders to their types), as a function returning it (`lambda: Type`), called
once, at the first load.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, select

from core.access.rows import conditions_on
from core.compiled.declare import COMPILED_ROOT, RootRead
from core.db import UTCDateTime
from core.loading import prefetched
from core.schema.pagination import Connection, count_of, paginate, paginate_children
from core.transactions import in_transaction

if TYPE_CHECKING:
    from core.context import Context

T = TypeVar("T")
P = TypeVar("P")

KEY_LABEL = "ogp_key"
"""The label of the key column a grouped load adds to its rows (ignored by `from_row`)."""
RANK_LABEL = "ogp_rank"
"""The label of a row's place among its key's rows, when a grouped load takes `first`."""

TypeRef = type | Callable[[], type]
"""A Strawberry type, or a function of no arguments returning it (for types defined later)."""

Where = ColumnElement[bool] | Callable[["Context"], ColumnElement[bool]] | None
"""A fixed SQL condition, or a function of the request's Context returning one."""


# --- from_row ------------------------------------------------------------------------------------


def _column_for(field: str, columns: Sequence[str]) -> str | None:
    """The column a field reads: its own name; else `pk` <- `id` and `<name>_pk` <- `<name>_id`
    (the key attributes a `@relation(key=...)` reads are `strawberry.Private` `..._pk` fields)."""
    if field in columns:
        return field
    if field == "pk":
        return "id" if "id" in columns else None
    if field.endswith("_pk") and field[:-3] + "_id" in columns:
        return field[:-3] + "_id"
    return None


_PLANS: dict[tuple[type, tuple[str, ...], frozenset[str]], list[tuple[str, str]]] = {}


def _plan(type_: type, columns: tuple[str, ...], given: frozenset[str]) -> list[tuple[str, str]]:
    key = (type_, columns, given)
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    if not dataclasses.is_dataclass(type_):
        raise TypeError(f"from_row: {type_!r} is not a Strawberry type (a dataclass)")
    plan, missing = [], []
    for field in dataclasses.fields(type_):
        if not field.init or field.name in given:
            continue  # a resolver field, or given explicitly
        column = _column_for(field.name, columns)
        if column is not None:
            plan.append((field.name, column))
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            missing.append(field.name)
    if missing:
        raise TypeError(
            f"from_row({type_.__name__}): no column for field(s) {', '.join(missing)} among "
            f"{', '.join(columns)}; select them (or `<name>_id` for `<name>_pk`, `id` for `pk`), "
            f"or pass them as keywords: from_row({type_.__name__}, row, {missing[0]}=...)"
        )
    _PLANS[key] = plan
    return plan


def from_row(type_: type[T], row: Any, /, **values: Any) -> T:
    """`type_(...)` with each dataclass field of the Strawberry type read from the row's column of
    the same name. Conventions: the field `pk` reads the column `id`, and a field `<name>_pk`
    (the `strawberry.Private` key a `@relation(key="<name>_pk")` reads) the column `<name>_id`
    when the row has no `<name>_pk`. Keywords give a field's value explicitly (a renamed or
    computed field: `from_row(Rating, row, score=row.total, scale_max=150)`); they win over
    columns. Columns no field reads are ignored; a field with a default may be absent from the
    row. Resolver fields (`@strawberry.field` methods, `@relation`s) are never read.

    `row`: a SQLAlchemy `Row` (as `conn.execute(select(...))` yields) or a mapping of column
    names to values. Errors: `TypeError` naming the fields that have no column, no default and
    no keyword (a programming error: raised on the first row, whatever the data).
    """
    mapping: Mapping[str, Any] = getattr(row, "_mapping", row)
    plan = _plan(type_, tuple(mapping.keys()), frozenset(values))
    kwargs = {field: mapping[column] for field, column in plan}
    kwargs.update(values)
    return type_(**kwargs)


def _builder(of: TypeRef | None, build: Callable[[Any], T] | None) -> Callable[[Any], Any]:
    """How rows become objects: `build` if given; else the type's own `from_row` classmethod if
    it has one (the core's types do), else `from_row(type, row)`."""
    if build is not None:
        return build
    if of is None:
        raise TypeError("give the type the rows become (or build=)")
    type_ = of if isinstance(of, type) else of()
    own = getattr(type_, "from_row", None)
    if callable(own):
        return own  # type: ignore[no-any-return]
    return lambda row: from_row(type_, row)


def request_now(offset: timedelta = timedelta(0)) -> BindParameter[datetime]:
    """The time a statement runs, plus `offset` (aware UTC, a `UTCDateTime` parameter), read
    from the clock each time the statement is executed, not when it is built: a declared
    filter on "now" (`Meeting.ends_at >= request_now()`) stays right in a statement the
    compiled read path builds once and runs many times."""
    return bindparam(None, callable_=Clock(offset), type_=UTCDateTime(), unique=True)


@dataclasses.dataclass(frozen=True)
class Clock:
    """`request_now`'s reading of the clock: the only value a kept statement reads when it runs
    (core.compiled.template `Template.foreign`)."""

    offset: timedelta

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


# --- Declared loads ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class WhenAbsent:
    """A filter of a declared load that still filters when its argument is absent (None):
    see `when_absent`."""

    given: Any
    absent: ColumnElement[bool] | Callable[[Context], ColumnElement[bool]]


def when_absent(
    given: Any, absent: ColumnElement[bool] | Callable[[Context], ColumnElement[bool]]
) -> WhenAbsent:
    """A `filters` entry whose argument, when absent (None), still filters: given, it keeps the
    rows as `given` says (a column equal to it, or `(ctx, value) -> condition`); absent, the rows
    meeting `absent` (a condition, or `ctx -> condition`). E.g. each country's survey of
    `edition`, or its latest when none is given: `filters={"edition": when_absent(
    surveys.c.edition, surveys.c.latest)}` over a derived table whose `latest` column says so.
    The resolver path and the compiled path apply it alike (it is part of `statement`)."""
    return WhenAbsent(given=given, absent=absent)


@dataclasses.dataclass(eq=False)
class _Declared(Generic[T]):
    key: Any
    type: TypeRef | None = None
    build: Callable[[Any], T] | None = None
    order_by: tuple[Any, ...] = ()
    where: Where = None
    filters: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    columns: tuple[Any, ...] | None = None
    build_with: Callable[[Context, Any], T] | None = None
    variants: Callable[[Context], tuple[str, Sequence[Any]]] | None = None
    through: tuple[Any, Any] | None = None
    _build: Callable[[Any], T] | None = dataclasses.field(default=None, repr=False)

    @property
    def table(self) -> Any:
        """The table the rows come from (the key column's)."""
        return getattr(self.key, "expression", self.key).table

    def link_rules(self, ctx: Context) -> list[ColumnElement[bool]]:
        """The row rules of the `through` link's table for the viewer (a TypeError for a
        governed table read inside a link subquery: core.access.rows.conditions_on)."""
        assert self.through is not None
        return conditions_on(ctx, self.through[1].table)

    def linked(self, ctx: Context, stmt: Select[Any]) -> tuple[Select[Any], Any]:
        """`stmt` and the column a parent's key is matched against: `key`, or with `through`
        the parent column of the link's (parent, child) pairs the viewer may see, each pair
        once (so a link holding one twice lists no row twice), joined to `stmt`."""
        if self.through is None:
            return stmt, self.key
        parent, child = self.through
        pairs = (
            select(parent.label("parent"), child.label("child"))
            .where(*self.link_rules(ctx))
            .distinct()
            .subquery("link")
        )
        return stmt.join(pairs, pairs.c.child == self.key), pairs.c.parent

    def make(self, ctx: Context, row: Any) -> T:
        """The object a row becomes (`build_with(ctx, row)`, else as `_builder` says)."""
        if self.build_with is not None:
            return self.build_with(ctx, row)
        if self._build is None:
            self._build = _builder(self.type, self.build)
        return self._build(row)

    def statement(self, ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
        """The rows of every parent, before the key restriction: columns, `where`, filters."""
        stmt = select(*(self.columns or self.table.c))
        where = self.where
        if where is not None:
            stmt = stmt.where(where(ctx) if callable(where) else where)
        # the table's row rules, whatever the declaration says: a list hides what node(id:) hides
        # (a summary of a governed table in a subquery is refused: core.access.rows)
        for rule in conditions_on(ctx, self.table):
            stmt = stmt.where(rule)
        unknown = set(arguments) - set(self.filters)
        if unknown:
            raise TypeError(f"{self!r} has no filter for argument(s) {', '.join(sorted(unknown))}")
        for name, condition in self.filters.items():
            value = arguments.get(name)
            if isinstance(condition, WhenAbsent):
                if value is None:
                    absent = condition.absent
                    stmt = stmt.where(absent(ctx) if callable(absent) else absent)
                    continue
                condition = condition.given
            if value is None:
                continue
            if callable(condition):  # a function of the request and the argument
                stmt = stmt.where(condition(ctx, value))
            else:  # a column (or an expression) the argument equals
                stmt = stmt.where(condition == value)
        return stmt

    async def rows(self, ctx: Context, stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:
        async with ctx.db.read() as conn:
            return (await conn.execute(stmt)).all()


class RowsByKey(_Declared[T]):
    """`load(ctx, keys, **filters) -> [object or None per key]`; see `rows_by_key`."""

    async def __call__(self, ctx: Context, keys: list[Any], **arguments: Any) -> list[T | None]:
        stmt = self.statement(ctx, arguments).add_columns(self.key.label(KEY_LABEL))
        stmt = stmt.where(ctx.db.any_of(self.key, keys))
        # Several rows per key (`order_by`): the first of each in that order. Its rows are read
        # and the others skipped, not ranked by the database: a window over a subquery costs
        # more to build, per request, than a key's handful of rows (editions) cost to read.
        found: dict[Any, T] = {}
        for row in await self.rows(ctx, stmt.order_by(*self.order_by)):
            key = row._mapping[KEY_LABEL]
            if key not in found:
                found[key] = self.make(ctx, row)
        return [found.get(key) for key in keys]


class RowsGroupedBy(_Declared[T]):
    """`load(ctx, keys, first=None, **filters) -> [list per key]`; see `rows_grouped_by`."""

    async def __call__(
        self, ctx: Context, keys: list[Any], first: int | None = None, **arguments: Any
    ) -> list[list[T]]:
        stmt, parent = self.linked(ctx, self.statement(ctx, arguments))
        stmt = stmt.add_columns(parent.label(KEY_LABEL)).where(ctx.db.any_of(parent, keys))
        if first is None:
            stmt = stmt.order_by(*self.order_by)
        else:
            # At most `first` rows per key, numbered in order by the database, so a parent with
            # many children costs `first` rows, not all of them.
            rank = func.row_number().over(partition_by=parent, order_by=self.order_by or None)
            ranked = stmt.add_columns(rank.label(RANK_LABEL)).subquery()
            stmt = select(*ranked.c).where(ranked.c[RANK_LABEL] <= first)
            stmt = stmt.order_by(ranked.c[RANK_LABEL])
        found: dict[Any, list[T]] = defaultdict(list)
        for row in await self.rows(ctx, stmt):
            found[row._mapping[KEY_LABEL]].append(self.make(ctx, row))
        return [found.get(key, []) for key in keys]


class PagesByKey(_Declared[T]):
    """`load(ctx, keys, first=None, after=None, last=None, before=None, **filters) ->
    [Connection per key]`; see `pages_by_key`."""

    async def __call__(
        self,
        ctx: Context,
        keys: list[Any],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **arguments: Any,
    ) -> list[Connection[T]]:
        stmt, parent = self.linked(ctx, self.statement(ctx, arguments))
        pages = await paginate_children(
            ctx.db,
            stmt,
            parent,
            keys,
            self.order_by,
            lambda row: self.make(ctx, row),
            first=first,
            after=after,
            last=last,
            before=before,
        )
        return [pages[key] for key in keys]


def rows_by_key(
    key: Any,
    type_: TypeRef | None = None,
    *,
    build: Callable[[Any], T] | None = None,
    build_with: Callable[[Context, Any], T] | None = None,
    variants: Callable[[Context], tuple[str, Sequence[Any]]] | None = None,
    where: Where = None,
    order_by: Sequence[Any] = (),
    filters: Mapping[str, Any] | None = None,
    columns: Sequence[Any] | None = None,
) -> RowsByKey[Any]:
    """A load function for `@relation(...)` and `ogp_wg_node_loaders`: one object (or None) per
    key, in the keys' order, from ONE statement for all keys.

    - `key`: the column the keys are matched against: the primary key (`LawRow.id`, for
      `node(id:)` and to-one relations) or a UNIQUE column (`LawRow.country_id` for a country's
      one law), or any column with `order_by`. The rows come from this column's table.
    - `order_by`: for a `key` that is NOT unique, which of a key's rows it gets: the first in
      this order (columns, ascending or `.desc()`; end with one unique among a key's rows, so
      both read paths pick the same row). For keys with a handful of rows each (editions): the
      resolver path reads them all and keeps the first. E.g. a country's latest survey:
      `rows_by_key(Survey.country_id, lambda: OpenBudgetSurvey, order_by=(Survey.edition.desc(),))`.
    - `filters`: `{argument name: column or (ctx, value) -> condition}` for the relation
      field's arguments, as for `rows_grouped_by`: with `filters={"edition": Survey.edition}`,
      `def open_budget_survey(self, edition: int | None = None)` answers that edition's row, or
      the latest when none is given.
    - `type_`: the Strawberry type each row becomes (`from_row(type_, row)`, or the type's own
      `from_row` classmethod if it has one), or `lambda: Type` for a type defined later.
    - `build`: instead of `type_`, a function `row -> value`.
    - `build_with`: instead of both, a function `(ctx, row) -> value`, for an object whose type
      the request's app decides (a working group's: its theme's plugin type,
      `core.groups.loaders.build_group`).
    - `variants`: for rows of an interface's types, `ctx -> (column name, values)`: the column
      that decides the concrete type and each value it takes (`("theme", the enabled themes)`),
      so the compiled read path builds each type's JSON (core.compiled); without it a relation
      to an interface falls back to the resolver path.
    - `where`: a condition every row must meet (`LawRow.withdrawn.is_(False)`), or a function
      `ctx -> condition` for one that depends on the request.
    - `columns`: the columns to select (default: all of the table's), e.g. to keep one private.

    A key with no row gets None. Errors: none of its own; a database error propagates.
    """
    return RowsByKey(
        key=key,
        type=type_,
        build=build,
        build_with=build_with,
        variants=variants,
        where=where,
        order_by=tuple(order_by),
        filters=dict(filters or {}),
        columns=tuple(columns) if columns else None,
    )


def rows_grouped_by(
    key: Any,
    type_: TypeRef | None = None,
    *,
    order_by: Sequence[Any] = (),
    where: Where = None,
    filters: Mapping[str, Any] | None = None,
    build: Callable[[Any], T] | None = None,
    build_with: Callable[[Context, Any], T] | None = None,
    variants: Callable[[Context], tuple[str, Sequence[Any]]] | None = None,
    columns: Sequence[Any] | None = None,
    through: tuple[Any, Any] | None = None,
) -> RowsGroupedBy[Any]:
    """A load function for a list relation (`@relation(load, default=[])`): every row whose
    `key` column equals a parent's key, one list per key (empty when none), in `order_by`
    order, from ONE statement for all parents.

    - `key`: the child table's column holding the parent's key (`RatingRow.law_id`); the rows
      come from its table. Use `@relation(..., key="law_pk")` on the parent to say which parent
      attribute holds the key (default `pk`).
    - `order_by`: columns, each ascending or `.desc()`; end with a unique one (the id) so the
      order never depends on the database.
    - `first`: a relation field that declares `first: int = 100` (the most items of a list a
      query may ask for: `core.limits`) gets at most that many rows per parent, in order.
    - `filters`: `{argument name: column}` for the relation field's arguments: an argument given
      (not None) keeps the rows whose column equals it: `filters={"year": StatisticsRow.year}`
      with `def request_statistics(self, year: int | None = None) -> ...`. Instead of a
      column, a function `(ctx, value) -> condition` (an input object's fields, a range); a
      condition on the time of the request binds it with `core.rows.request_now()`, so a
      statement the compiled read path keeps reads the clock when it runs. An argument that
      filters even when absent is a `when_absent(...)` entry. An argument the declaration does
      not name is a `TypeError`.
    - `through=(link.c.parent, link.c.child)`: the rows reach their parents through a link
      table (or subquery): a parent's rows are those whose `key` is among its link's child
      keys, each row once however many links lead to it (a country reached through two member
      organisations). A link table's row rules apply to the link (a link subquery reading a
      governed table is refused, as a summary is: `TypeError`). E.g. the charter adopters
      among a group's countries: `rows_grouped_by(Adopter.country_id, AdopterType,
      order_by=..., through=(GROUP_COUNTRIES.c.group_id, GROUP_COUNTRIES.c.country_id))`
      (`core.GROUP_COUNTRIES`, `core.GROUP_ORGANIZATIONS`). The compiled read path matches a
      parent's rows by key against its links (`key = ANY(ARRAY(links))` on PostgreSQL,
      core.columns.in_rows), so an index on the link's (parent, child) and one on the key
      serve a parent's rows, however large the table.
    - `type_`, `build`, `build_with`, `variants`, `where`, `columns`: as for `rows_by_key` (an
      organisation's working groups, each of its theme's type: `core.groups.loaders`).
    """
    return RowsGroupedBy(
        key=key,
        type=type_,
        build=build,
        build_with=build_with,
        variants=variants,
        order_by=tuple(order_by),
        where=where,
        filters=dict(filters or {}),
        columns=tuple(columns) if columns else None,
        through=through,
    )


def values_grouped_by(
    key: Any, value: Any, order_by: Sequence[Any] | None = None
) -> RowsGroupedBy[Any]:
    """A load function for a list of plain values kept one per row of a child table (a
    `list[str]` of topic slugs, a list of an enum): each parent's values of the column `value`,
    sorted by it or in `order_by` order (a `case` ranking an enum's values), empty when none,
    from ONE statement for all parents. `key`: the child table's column holding the parent's
    key. E.g. a resource's topics::

        tags_by_resource = values_grouped_by(ResourceTopic.resource_id, ResourceTopic.topic)

        @relation(tags_by_resource, default=[])
        def tags(self) -> list[str]: ...

    The compiled read path reads them in SQL (an enum column prints as its GraphQL names)."""
    name = getattr(value, "expression", value).name
    # the value itself breaks ties of `order_by` (a rank two values share)
    order = (*order_by, value) if order_by else (value,)
    return rows_grouped_by(
        key, build=lambda row: getattr(row, name), columns=(value,), order_by=order
    )


def pages_by_key(
    key: Any,
    type_: TypeRef | None = None,
    *,
    order_by: Sequence[Any],
    where: Where = None,
    filters: Mapping[str, Any] | None = None,
    build: Callable[[Any], T] | None = None,
    columns: Sequence[Any] | None = None,
    through: tuple[Any, Any] | None = None,
) -> PagesByKey[Any]:
    """A load function for a nested connection: one page (`core.Connection`) of each parent's
    children, from ONE statement for all parents (`paginate_children`), with a keyset cursor:

        laws_page = pages_by_key(LawRow.country_id, lambda: Law, order_by=(LawRow.id,))

        @relation(laws_page)
        def laws(
            self, first: int | None = None, after: str | None = None,
            last: int | None = None, before: str | None = None,
        ) -> Connection[Law]: ...

    The field must take `first`, `after`, `last` and `before`, all nullable with default None
    (forwards and backwards, as Relay expects; neither `first` nor `last`: the first 20), and may
    take the arguments named in `filters`. `totalCount` is each parent's total over all pages.
    `order_by`: columns, ascending or `.desc()`, NOT NULL, the last one unique. Errors (GraphQL,
    at the field): `INVALID_ARGUMENT` for `first` or `last` outside 0..100 or both given,
    `INVALID_CURSOR` for a cursor this connection did not hand out.
    Other parameters (`through=` a link table included) as for `rows_grouped_by`.
    """
    return PagesByKey(
        key=key,
        type=type_,
        build=build,
        order_by=tuple(order_by),
        where=where,
        filters=dict(filters or {}),
        columns=tuple(columns) if columns else None,
        through=through,
    )


# --- Root fields ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class RootPage(RootRead):
    """A root connection field declared as data (see `root_page`)."""

    @property
    def metadata(self) -> dict[str, Any]:
        """The field metadata that names this declaration to the compiled read path:
        `@strawberry.field(..., metadata=PAGE.metadata)`."""
        return {COMPILED_ROOT: self}

    async def page(
        self,
        info: Any,
        arguments: Mapping[str, Any],
        *,
        first: int | None,
        after: str | None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Any]:
        """The field's answer on the resolver path: one page of `statement(ctx, arguments)`,
        as `query_page` answers it. `arguments`: the field's arguments other than the four of
        paging, by Python name (`{"filter": filter}`), as the compiler passes them."""
        ctx = info.context
        return await _page(
            info,
            self.statement(ctx, arguments),
            self.order_by,
            partial(self.make, ctx),
            first=first,
            after=after,
            last=last,
            before=before,
        )


def root_page(
    statement: Callable[[Context, Mapping[str, Any]], Select[Any]],
    order_by: Sequence[Any],
    type_: TypeRef | None = None,
    *,
    build: Callable[[Any], T] | None = None,
) -> RootPage:
    """A root connection field declared as data, answered alike by the resolver path
    (`PAGE.page(...)`) and the compiled read path (one SQL statement for the whole field,
    core.compiled)::

        def _laws(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
            f = arguments.get("filter") or LawFilter()
            stmt = select(*LawRow.__table__.c)
            if f.country is not None:
                stmt = stmt.where(in_country(LawRow.country_id, f.country))
            return stmt

        LAWS = root_page(_laws, (LawRow.name, LawRow.id), RightToInformationLaw)

        @strawberry.field(description="...", metadata=LAWS.metadata)
        async def rti_laws(info: Info, filter: LawFilter | None = None, first: int | None = None,
                           after: str | None = None, last: int | None = None,
                           before: str | None = None) -> Connection[RightToInformationLaw]:
            return await LAWS.page(info, {"filter": filter}, first=first, after=after,
                                   last=last, before=before)

    - `statement(ctx, arguments) -> Select`: every row the field may answer (all columns of
      one table, filtered, unordered), from the field's arguments other than `first`, `after`,
      `last`, `before` (a dict by Python name: `{"filter": LawFilter(...) or None}`); it may
      raise a GraphQL error (`api_error`) for an argument it refuses. The tables' row rules
      (core.access) are added to it, as `query_page` adds them.
    - `order_by`, `type_`, `build`: as for `query_page`.

    The fields a selection reads compile when they are columns, declared loads and computed
    fields; anything else (a Python resolver below the page, a permission on the field) makes
    that root field fall back to the resolver path, which answers the same (`ogp-wg explain`
    says why). Errors: as `query_page`'s.
    """
    if type_ is None and build is None:
        raise TypeError("give the type the rows become (or build=)")
    # built at the first row, not now: `type_` may be `lambda: Type` for a type defined later
    builder = cache(lambda: _builder(type_, build))

    def rows(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
        stmt = statement(ctx, arguments)
        for rule in conditions_on(ctx, *stmt.get_final_froms()):
            stmt = stmt.where(rule)
        return stmt

    return RootPage(statement=rows, make=lambda _ctx, row: builder()(row), order_by=tuple(order_by))


async def query_page(
    info: Any,
    stmt: Select[Any],
    order_by: Sequence[Any],
    type_: TypeRef | None = None,
    *,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
    build: Callable[[Any], T] | None = None,
) -> Connection[Any]:
    """A root connection field's answer: one page of `stmt` (filtered, unordered) in `order_by`
    order, rows made into `type_` as `rows_by_key` does, `totalCount` counted only when
    selected, and every relation the query selects below the page loaded a level at a time::

        @strawberry.field
        async def entries(
            info: strawberry.Info, first: int | None = None, after: str | None = None,
            last: int | None = None, before: str | None = None,
        ) -> Connection[EntryType]:
            stmt = select(*Entry.__table__.c)
            return await query_page(info, stmt, (Entry.year.desc(), Entry.id), EntryType,
                                    first=first, after=after, last=last, before=before)

    `order_by`: as for `core.paginate` (ascending or `.desc()`, NOT NULL, the last unique);
    `first`/`after` and `last`/`before` as for `core.paginate`. Errors (GraphQL):
    `INVALID_ARGUMENT` for `first` or `last` outside 0..100 or both given, `INVALID_CURSOR`.
    """
    # the row rules of the tables it reads, as a declared load applies them (core.access.rows)
    for rule in conditions_on(info.context, *stmt.get_final_froms()):
        stmt = stmt.where(rule)
    return await _page(
        info,
        stmt,
        order_by,
        _builder(type_, build),
        first=first,
        after=after,
        last=last,
        before=before,
    )


async def _page(
    info: Any,
    stmt: Select[Any],
    order_by: Sequence[Any],
    make: Callable[[Any], Any],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            order_by,
            make,
            first=first,
            after=after,
            last=last,
            before=before,
            count=count_of(db.read, stmt),
        )
    return await prefetched(info, page)


async def mutation_payload(
    info: Any,
    work: Callable[..., Awaitable[Any]],
    payload: Callable[..., P],
    /,
    *args: Any,
    **field: type | Callable[[Any], Any],
) -> P:
    """Run `work(conn, *args)` in one write transaction (`core.in_transaction`) and answer
    `payload(<field>=object or None, user_errors=[...])`, its relations loaded::

        return await mutation_payload(info, services.record, EntryPayload, input, entry=EntryType)

    `work` returns the written row (a `Row`, as `core.insert_row` gives), which becomes the one
    keyword's value: made into its type (a class) as `rows_by_key` makes it, or passed to it
    when it is a plain function `row -> value`; or it raises `core.Rejected(user_error(...),
    ...)`: nothing is written, the field is None and `user_errors` lists them. A violated
    constraint is the user error the plugin's `ogp_wg_constraint_errors` maps it to.
    """
    if len(field) != 1:
        raise TypeError("mutation_payload takes exactly one field=Type keyword")
    ((name, of),) = field.items()
    row, errors = await in_transaction(info.context, lambda conn: work(conn, *args))
    if row is None:
        value = None
    elif isinstance(of, type):
        value = _builder(of, None)(row)
    else:
        value = of(row)
    return await prefetched(info, payload(**{name: value}, user_errors=errors))
