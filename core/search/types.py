"""GraphQL types of the search domain: `SearchHit`, `SearchFilter`, `SearchKind`."""

from __future__ import annotations

import html

import strawberry

from core.knowledge.models import ResourceKind
from core.schema.base import Node
from core.search.models import SearchKind
from core.search.statements import START, STOP


def marked(raw: str) -> str:
    """A snippet as HTML: the text escaped (`&`, `<`, `>`, quotes), each match in
    `<mark>...</mark>` (the only markup; safe to insert into a page as is)."""
    escaped = html.escape(raw, quote=True)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


@strawberry.type(
    description="One object a search found: a group, priority area, resource or "
    "declared expertise, with its score and a highlighted extract."
)
class SearchHit:
    kind: SearchKind = strawberry.field(description="What the hit is.")
    score: int = strawberry.field(
        description="The rank: for each word searched, 2 when it is in the object's title (name) "
        "and 1 when in its text. Hits come by score, highest first; equal scores by kind "
        "(GROUP, PRIORITY_AREA, RESOURCE, EXPERTISE), then oldest object first."
    )
    snippet: str = strawberry.field(
        description="An extract of the matching text (its text, or its title when only that "
        "matched) as HTML: the text escaped, each matched word in <mark>...</mark>."
    )
    language: str = strawberry.field(
        description="The language of the text that matched: for a group or priority area, "
        "its original's or a translation's (ISO 639-1); for a resource or expertise, one of the "
        "languages it is declared available in (its one text is indexed once per language), "
        "`und` when it declares none."
    )
    node: Node | None = strawberry.field(
        description="The object (WorkingGroup, PriorityArea...); null only if it was deleted "
        "between the search and its loading."
    )


@strawberry.input(description="Narrow a search; all given conditions apply.")
class SearchFilter:
    kinds: list[SearchKind] | None = strawberry.field(
        default=None, description="Only hits of these kinds."
    )
    group_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A working group's ID: the group itself, its priority areas, the resources "
        "shared in it.",
    )
    country: str | None = strawberry.field(
        default=None,
        description="ISO alpha-2 or alpha-3 code: groups with an anchor or member from there, "
        "priority areas and resources concerning it, expertise from work there.",
    )
    language: str | None = strawberry.field(
        default=None,
        description="ISO 639-1 code, any case: only text in that language (a group's or "
        "priority area's original or translation; a resource or expertise in that language).",
    )
    resource_kinds: list[ResourceKind] | None = strawberry.field(
        default=None, description="Only resources, of these kinds."
    )
