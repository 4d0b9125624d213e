"""Kernel GraphQL types that know no domain: the `Node` interface every fetchable type implements,
the `Assessment` interface every plugin's index scores implement, and `Theme`.

Every domain's types (core/<domain>/types.py, plugins' types) build on these; the public
`core.types` namespace (core/schema/types.py) re-exports them with the core domains' types.
"""

from __future__ import annotations

from typing import ClassVar

import strawberry

from core.schema.ids import to_global_id


@strawberry.interface(description="An object with a global ID, fetchable with `node(id:)`.")
class Node:
    pk: strawberry.Private[int]
    node_type: ClassVar[str]
    """The type name in this object's global IDs."""

    @strawberry.field(description="Global ID: opaque, unique across types.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(self.node_type, self.pk))  # only when selected


@strawberry.interface(
    description="A score from a published index (Open Budget Index, RTI Rating, ODIN...). Every "
    "plugin's scores implement it, so a front end charts any index the same way; compare two "
    "scores only when their `methodologyVersion` is the same."
)
class Assessment:
    score: float
    scale_max: float = strawberry.field(description="The best possible score on this scale.")
    edition: str = strawberry.field(description="Edition or year of the index, e.g. '2023'.")
    methodology_version: str = strawberry.field(
        description="Scores from different methodology versions are not comparable."
    )
    source_url: str | None = strawberry.field(
        description="Where the published figure can be checked; null for an illustrative "
        "figure that cites no page."
    )


@strawberry.type(description="A thematic area served by an enabled plugin.")
class Theme:
    key: str
    title: str
    summary: str
    version: str
