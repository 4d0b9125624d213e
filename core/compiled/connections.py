"""Connections compiled (core.compiled.compiler's `Compiler` mixes this in): one page of a
root field's or a declared `pages_by_key` relation's rows as `core.schema.pagination.paginate`
cuts it: `nodes`, `edges { cursor node }`, `totalCount`, `pageInfo` (its cursors too), forwards
(`first`, `after`) and backwards (`last`, `before`: the rows nearest the cursor read in reverse,
handed out in the connection's order), between two cursors too. A cursor is built in SQL:
base64url of the compact JSON list of the row's sort keys, as core.schema.cursors.encode_cursor
writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError, GraphQLObjectType, get_named_type
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Numeric,
    Select,
    String,
    Text,
    case,
    func,
    select,
)
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import ColumnClause

from core.compiled.probe import NotCompilable, adapt_to, is_desc
from core.compiled.sqljson import Dialect, cat, const, json_list, raw
from core.db import UTCDateTime
from core.schema.cursors import ordering, resume_after, resume_before, sort_keys
from core.schema.pagination import PageRequest, page_request

PAGING = ("first", "after", "last", "before")
"""The paging arguments of a connection (and `first` of a list), not filters."""


class Connections:
    """The connection part of `Compiler` (which gives `d` and the methods declared below)."""

    d: Dialect

    if TYPE_CHECKING:

        def _collect(self, gtype: GraphQLObjectType, details: Any) -> dict[str, Any]: ...
        def _rows(
            self, where: str, gql_type: Any, details: Any, rows: Any, load: Any
        ) -> ColumnElement[str]: ...
        def _adapt(self, order_by: tuple[Any, ...], sub: Any) -> list[Any]: ...

    def _request(self, where: str, paging: dict[str, Any]) -> PageRequest:
        """The page a connection's paging arguments ask for, as the resolver path reads them
        (core.schema.pagination.page_request); what it refuses falls back, and it reports the
        error."""
        try:
            return page_request(*(paging.get(name) for name in PAGING))
        except GraphQLError as exc:
            raise NotCompilable(f"{where}: paging arguments refused", by_values=True) from exc

    def _connection(
        self,
        conn_type: Any,
        details: Any,
        stmt: Select[Any],
        order_by: tuple[Any, ...],
        made_by: Any,
        request: PageRequest,
        root: bool = False,
    ) -> ColumnElement[str]:
        """A `Connection`'s JSON: one page of `stmt` (filtered, unordered) in `order_by` order,
        as core.schema.pagination.paginate cuts it; `made_by`: the `RootRead` or declared load
        whose `make` builds a node from a row. A `root` connection's page (correlated with no
        outer row) is a common table expression, which PostgreSQL computes once however many
        parts (nodes, edges, cursors) read it; a relation's is a subquery of the parent row."""
        if not isinstance(conn_type, GraphQLObjectType):
            raise NotCompilable("not a connection")
        try:
            keys = sort_keys(order_by)
            bounded = resume_after(stmt.order_by(None), keys, request.after)
            bounded = resume_before(bounded, keys, request.before)
        except Exception as exc:  # INVALID_CURSOR: the resolver path reports it
            raise NotCompilable("a cursor refused", by_values=True) from exc
        # backwards: the `size` rows nearest `before`; every list below is in the connection's
        # order all the same (`order`)
        paged = bounded.order_by(*ordering(keys, backwards=request.backwards))
        # an order by a column the statement does not select (a country's name, an action
        # plan's cycle when only its country is selected): carried in the page's rows, so the
        # lists below and the cursors read it there, never a selected column of the same name
        selected = stmt.selected_columns
        carried = [k.column for k in keys if isinstance(k.column, ColumnClause)]
        carried = [column for column in carried if not selected.contains_column(column)]
        paged = paged.add_columns(*(c.label(f"_order_{i}") for i, c in enumerate(carried)))
        limited = paged.limit(request.size)
        page = limited.cte() if root else limited.subquery()
        order = self._adapt(order_by, page)

        def cursor() -> ColumnElement[str]:  # built only when asked for: a key of a type
            return self._cursor(keys, page)  # the cursor does not reproduce falls back then

        def node(node_type: Any, node_details: Any) -> ColumnElement[str]:
            return self._rows(f"{conn_type.name}.node", node_type, node_details, page, made_by)

        members: list[tuple[str, ColumnElement[str]]] = []
        for key, sub_details in self._collect(conn_type, details).items():
            name = sub_details[0].node.name.value
            field_type: Any = conn_type.fields[name].type if name in conn_type.fields else None
            if name == "__typename":
                members.append((key, const(conn_type.name)))
            elif name == "totalCount":
                members.append((key, self.d.count(stmt)))
            elif name == "pageInfo":
                rows = (cursor, page, order)
                info = self._page_info(field_type, sub_details, bounded, request, rows)
                members.append((key, info))
            elif name == "nodes":
                element = node(get_named_type(field_type), sub_details)
                members.append((key, self.d.array(element, select().select_from(page), order)))
            elif name == "edges":
                edge_type = get_named_type(field_type)
                if not isinstance(edge_type, GraphQLObjectType):
                    raise NotCompilable(f"{conn_type.name}.edges is not a list of objects")
                edge: list[tuple[str, ColumnElement[str]]] = []
                for edge_key, edge_details in self._collect(edge_type, sub_details).items():
                    edge_name = edge_details[0].node.name.value
                    if edge_name == "__typename":
                        edge.append((edge_key, const(edge_type.name)))
                    elif edge_name == "cursor":
                        edge.append((edge_key, cursor()))
                    elif edge_name == "node":
                        node_type = get_named_type(edge_type.fields["node"].type)
                        edge.append((edge_key, node(node_type, edge_details)))
                    else:
                        raise NotCompilable(f"{edge_type.name}.{edge_name}")
                source = select().select_from(page)
                members.append((key, self.d.array(self.d.obj(edge), source, order)))
            else:
                raise NotCompilable(f"{conn_type.name}.{name} not compiled")
        return self.d.obj(members)

    def _cursor(self, keys: list[Any], page: Any) -> ColumnElement[str]:
        """A row's cursor (core.schema.cursors.encode_cursor) as a JSON string: base64url of
        the compact JSON list of its sort keys, each as the leaf JSON of its value."""
        values: list[ColumnElement[str]] = []
        for key in keys:
            column = key.column  # a column or an expression over the row's (its value)
            where = f"a cursor of the order by {column}"
            values.append(self._leaf_of_type(where, column.type, adapt_to(column, page)))
        return cat(raw('"'), self.d.base64url(json_list(values)), raw('"'))

    def _leaf_of_type(self, where: str, sql_type: Any, column: Any) -> ColumnElement[str]:
        """A sort key's JSON as json.dumps prints `core.schema.cursors._plain(value)`."""
        if isinstance(sql_type, UTCDateTime):
            return self.d.datetime(column)
        if isinstance(sql_type, Date) and not isinstance(sql_type, DateTime):
            return self.d.date(column)
        if isinstance(sql_type, Enum | Float | Numeric):
            raise NotCompilable(f"{where}: its type is not reproduced in a cursor")
        if isinstance(sql_type, String | Text):
            return self.d.string(column)
        if isinstance(sql_type, Integer):
            return self.d.integer(column)
        if isinstance(sql_type, Boolean):
            return self.d.boolean(column)
        raise NotCompilable(f"{where}: its type is not reproduced in a cursor")

    def _page_info(
        self,
        info_type: Any,
        details: Any,
        bounded: Select[Any],
        request: PageRequest,
        rows: tuple[Callable[[], ColumnElement[str]], Any, list[Any]],
    ) -> ColumnElement[str]:
        """PageInfo's JSON; `rows`: a row's cursor (built when asked for), the page (subquery)
        and its order."""
        cursor, page, page_order = rows
        info_type = get_named_type(info_type)
        assert isinstance(info_type, GraphQLObjectType)
        members: list[tuple[str, ColumnElement[str]]] = []
        for key, sub_details in self._collect(info_type, details).items():
            name = sub_details[0].node.name.value
            if name == "__typename":
                members.append((key, const(info_type.name)))
            elif name in ("hasNextPage", "hasPreviousPage"):
                members.append((key, self._has_more(name, bounded, request)))
            elif name in ("startCursor", "endCursor"):
                order = list(page_order)
                if name == "endCursor":  # the page's last row: its order reversed
                    order = [o.element if is_desc(o) else o.desc() for o in order]
                one = select(cursor()).select_from(page).order_by(*order).limit(1)
                members.append((key, func.coalesce(one.scalar_subquery(), raw("null"))))
            else:
                raise NotCompilable(f"PageInfo.{name} not compiled")
        return self.d.obj(members)

    def _has_more(
        self, name: str, bounded: Select[Any], request: PageRequest
    ) -> ColumnElement[str]:
        """`hasNextPage` or `hasPreviousPage` as core.schema.pagination._page computes it: in
        the direction paged, whether rows remain beyond the page (the page read with one row
        more); in the other, whether a cursor was given."""
        if (name == "hasPreviousPage") != request.backwards:
            given = request.before if request.backwards else request.after
            return raw("true" if given is not None else "false")
        ahead = bounded.order_by(None).limit(request.size + 1).subquery()
        more = select(func.count()).select_from(ahead).scalar_subquery() > request.size
        return case((more, raw("true")), else_=raw("false"))
