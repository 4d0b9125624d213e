"""The root field `search`: full-text search over working groups, priority areas, resources and
declared expertise in one ranked, paged list of hits with highlighted snippets.

Why our own ranking rather than the engines' (FTS5's `bm25()`, PostgreSQL's `ts_rank_cd`):
the two formulas differ (bm25 weighs a term by its rarity in the whole index and normalises by
document length; ts_rank_cd scores the proximity of matches and knows no corpus statistics), so
the same data would be ordered differently on SQLite and PostgreSQL, and a user's results would
change with the deployment. The score here (core/search/statements.py) is an integer both
databases compute exactly from the same facts, whether each searched word is in an object's
title and whether it is in its text, with ties broken by kind and id: the order is the same on
both whenever the two engines agree on which words a text contains. They agree on the words
(runs of letters and digits, punctuation separating them), on case and accent folding (the
letters FTS5 does not fold are spelled out on SQLite as `unaccent` does: core/search/terms.py
FOLDS) and on stop words (kept by both); tests/test_search_folding.py checks each. Where they
still disagree (documented, not hidden): stemming. PostgreSQL stems English, Spanish and French
with their Snowball stemmers and other languages not at all; SQLite stems every language with
Porter's English stemmer. So an inflected word can match on one database and not on the other
("gobierno" finds a Spanish text's "gobiernos" on SQLite, not on PostgreSQL), and the rarer
Latin letters outside FOLDS (such as ƀ or ɇ) fold on PostgreSQL only.

Visibility: a hit is an object the viewer could read by its ID, hidden as the rest of the API
hides it (drafts, groups of disabled plugins...), in the statement itself so that pages are full
and `totalCount` counts what the viewer sees: core/search/visible.py.

Errors (GraphQL, `extensions.code`): INVALID_ARGUMENT for a query over 200 characters or with
more than 8 distinct words, a bad filter (group ID, country or language code), or `first` out of
0..100; INVALID_CURSOR for a cursor this field did not hand out. Any other string is searched:
its words are the runs of letters and digits (core/search/terms.py), so quotes and operators
are never a syntax error.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.errors import api_error
from core.loading import prefetched
from core.schema.nodes import loader_name
from core.schema.pagination import Connection, PageInfo, count_of, page_request, paginate
from core.search import statements
from core.search.models import SearchKind
from core.search.terms import terms_of
from core.search.types import SearchFilter, SearchHit, marked
from core.search.visible import visible

D = statements.D
NODE_TYPES = {
    SearchKind.GROUP: "WorkingGroup",
    SearchKind.PRIORITY_AREA: "PriorityArea",
    SearchKind.RESOURCE: "Resource",
    SearchKind.EXPERTISE: "Expertise",
}
"""The Node type of each kind's objects (their global IDs' type name)."""
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def _dialect(ctx: Any) -> str:
    return "sqlite" if ctx.db.is_sqlite else "postgresql"


def _language(f: SearchFilter) -> str | None:
    if f.language is None:
        return None
    language = f.language.strip().lower()  # "ES" as `resources(filter:)` takes it
    if not _LANGUAGE.fullmatch(language):
        raise api_error("INVALID_ARGUMENT", "`filter.language`: an ISO 639-1 code, e.g. `es`")
    return language


async def _attach(info: Info, page: Connection[Any], terms: list[str]) -> None:
    """The page's snippets (one statement) and nodes (one batch per type)."""
    ctx = info.context
    hits: list[tuple[SearchHit, int]] = [(edge.node[0], edge.node[1]) for edge in page.edges]
    if not hits:
        return
    stmt = statements.snippets(_dialect(ctx), terms, [doc for _, doc in hits])
    async with ctx.db.read() as conn:
        found = {row[0]: row[1] or "" for row in (await conn.execute(stmt)).all()}
    loads = []
    for hit, doc in hits:
        hit.snippet = marked(found.get(doc, ""))
        loader = loader_name(NODE_TYPES[hit.kind])
        loads.append(ctx.loader(loader).load(hit.node))
    for (hit, _), node in zip(hits, await asyncio.gather(*loads), strict=True):
        hit.node = node


@strawberry.type
class Query:
    @strawberry.field(
        description="Full-text search over working groups, priority areas, resources and "
        "declared expertise, in every language they are written or translated in: accents and "
        "case are ignored, every word must be found, hits come best first (see "
        "`SearchHit.score`). `query`: at most 200 characters and 8 distinct words; its words "
        "are its runs of letters and digits (punctuation and operators only separate them)."
    )
    async def search(
        self,
        info: Info,
        query: str,
        filter: SearchFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[SearchHit]:
        ctx = info.context
        f = filter or SearchFilter()
        terms = terms_of(query)
        condition, language = visible(ctx, f), _language(f)
        if not terms:  # no word (only punctuation, say): nothing matches
            page_request(first, after, last, before)  # the paging arguments are still checked
            return Connection(
                edges=[],
                nodes=[],
                page_info=PageInfo(
                    has_next_page=False,
                    has_previous_page=False,
                    start_cursor=None,
                    end_cursor=None,
                ),
            )
        hits = statements.hits(_dialect(ctx), terms, condition, language).subquery("hits")
        stmt = select(*hits.c)
        order = (hits.c.score.desc(), hits.c.kind_rank, hits.c.source_id)

        def build(row: Any) -> Any:
            kind = SearchKind(row.kind)
            hit = SearchHit(
                kind=kind, score=row.score, snippet="", language=row.language, node=None
            )
            hit.node = row.source_id  # replaced by the object in _attach
            return (hit, row.doc_id)

        async with ctx.db.read() as conn:
            page: Connection[Any] = await paginate(
                conn,
                stmt,
                order,
                build,
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(ctx.db.read, stmt),
            )
        await _attach(info, page, terms)
        result = Connection(
            edges=[type(e)(node=e.node[0], keys=e.keys) for e in page.edges],
            nodes=[e.node[0] for e in page.edges],
            page_info=page.page_info,
            total_count_fn=page.total_count_fn,
        )
        return await prefetched(info, result)
