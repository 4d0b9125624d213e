"""The kernel's root query fields, which know no domain: `themes`, `node`, `nodes`, `auditLog`.

The schema's `Query` puts them together with the domains' root fields (core.domains).
"""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.types import Info

from core.access import audit
from core.compiled.declare import COMPILED_ROOT, NODE_READ
from core.errors import api_error
from core.loading import prefetched
from core.schema.base import Node, Theme
from core.schema.ids import from_global_id
from core.schema.nodes import loader_name as node_loader_name
from core.schema.pagination import Connection

MAX_NODE_IDS = 100


async def _nothing() -> None:
    return None


@strawberry.type
class ThemesQuery:
    @strawberry.field(description="The enabled thematic areas, for navigation.")
    def themes(self, info: Info) -> list[Theme]:
        plugins = info.context.app.plugins
        return [
            Theme(key=t.key, title=t.title, summary=t.summary, version=t.version)
            for key, t in sorted(plugins.themes.items())
            if key in plugins.enabled
        ]


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global ID.", metadata={COMPILED_ROOT: NODE_READ}
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        decoded = from_global_id(id)
        if decoded is None:
            return None
        type_name, pk = decoded
        # every Node type has a loader (checked at start-up: core.schema.nodes); an unknown or
        # disabled plugin's type name has none, and is answered like a missing row
        loader = node_loader_name(type_name)
        if loader not in info.context.app.loaders:
            return None
        return await prefetched(info, await info.context.loader(loader).load(pk))

    @strawberry.field(
        description="Objects by their global IDs (at most 100), in order: null for an ID that "
        "names nothing (or nothing you may see), as `node` answers it."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODE_IDS:
            raise api_error("BAD_USER_INPUT", f"`ids`: at most {MAX_NODE_IDS} IDs")
        ctx = info.context
        pending = []
        for given in ids:
            decoded = from_global_id(given)
            loader = node_loader_name(decoded[0]) if decoded else None
            if decoded is None or loader not in ctx.app.loaders:
                pending.append(_nothing())
            else:
                pending.append(ctx.loader(loader).load(decoded[1]))  # one batch per type
        return await prefetched(info, list(await asyncio.gather(*pending)))


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Every mutation call, newest first. Staff only.")
    async def audit_log(
        self,
        info: Info,
        filter: audit.AuditLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[audit.AuditEntry] | None:
        return await audit.audit_log(info, filter, first, after, last, before)
