"""The abstract types' possible types, for the configuration actually running.

A normalised client cache must know which concrete types an interface or union stands for, or it
cannot match a fragment on the abstract type (`... on WorkingGroup`) against a concrete object
(`FiscalOpennessGroup`): Apollo Client then silently drops the fragment's fields. Which types
implement `WorkingGroup` depends on the plugins enabled, so the answer is served by the running
service (`GET /graphql/possible-types`) and printed by `ogp-wg schema --possible-types`, in
Apollo Client's `possibleTypes` shape: `{"WorkingGroup": ["FiscalOpennessGroup", ...], ...}`.
"""

from __future__ import annotations

import hashlib

import orjson
from graphql import GraphQLSchema, is_abstract_type
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["possible_types", "possible_types_endpoint", "possible_types_json"]


def possible_types(schema: GraphQLSchema) -> dict[str, list[str]]:
    """`{abstract type name: [concrete type names, sorted]}` for every interface and union of
    `schema` (introspection's own types left out), sorted by name; an interface no object
    implements gets `[]`."""
    return {
        name: sorted(t.name for t in schema.get_possible_types(type_))
        for name, type_ in sorted(schema.type_map.items())
        if is_abstract_type(type_) and not name.startswith("__")
    }


def possible_types_json(schema: GraphQLSchema) -> bytes:
    """`possible_types(schema)` as indented JSON text (UTF-8, a final newline)."""
    return orjson.dumps(possible_types(schema), option=orjson.OPT_INDENT_2) + b"\n"


async def possible_types_endpoint(request: Request) -> Response:
    """GET /graphql/possible-types: the JSON of `possible_types` for the schema this process
    serves, with an ETag (the schema only changes with a restart), `304` when it matches."""
    body: bytes | None = getattr(request.app.state, "possible_types", None)
    if body is None:
        body = possible_types_json(request.app.state.ogp.schema._schema)
        request.app.state.possible_types = body
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"etag": etag, "cache-control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
