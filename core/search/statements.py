"""The search statements: which documents match, their score, one hit per object, and the
snippets of a page. Both dialects answer the same hits in the same order (the ranking is ours,
not the engines': core/search/queries.py says why).

Score of a document: for each distinct query term, 2 when the term is in its title, plus 1 when
it is in its body (an integer in 0..3 x terms). Every term must be in the document (title or
body). An object (group, priority area...) is one hit: its best-scoring document among its
languages (ties: language code order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
)

from core.search.ddl import CONFIGS, SIMPLE
from core.search.models import FTS_TABLE, KIND_ORDER, SearchDocument
from core.search.terms import fts5_phrase

D = SearchDocument.__table__.c
TITLE_POINTS = 2
BODY_POINTS = 1
START, STOP = "\x02", "\x03"
"""The markers both engines put around a match in a snippet (removed from indexed text)."""
SNIPPET_WORDS = 16


def _fts(expression: str, name: str) -> ColumnElement[bool]:
    """`search_documents.id` among the FTS5 rows matching `expression` (bound as `name`)."""
    return D.id.in_(
        select(literal_column("rowid"))
        .select_from(text(FTS_TABLE))
        .where(text(f"{FTS_TABLE} MATCH :{name}").bindparams(bindparam(name, expression)))
    )


def _tsquery(term: str, name: str, config: Any = None) -> Any:
    cfg = func.search_config(D.language) if config is None else literal_column(f"'{config}'")
    return func.plainto_tsquery(cfg, bindparam(name, term))


def _pg_match(query: str) -> ColumnElement[bool]:
    """Every term, in the document's own language's configuration (one GIN scan per config)."""
    parts = [
        and_(D.language == language, D.vector.op("@@")(_tsquery(query, f"q_{language}", cfg)))
        for language, cfg in CONFIGS.items()
    ]
    parts.append(
        and_(D.language.notin_(tuple(CONFIGS)), D.vector.op("@@")(_tsquery(query, "q_x", SIMPLE)))
    )
    return or_(*parts)


def _pg_in(weight: str, term: str, name: str) -> ColumnElement[bool]:
    filtered = func.ts_filter(D.vector, literal_column(f"'{{{weight}}}'"))
    return filtered.op("@@")(_tsquery(term, name))


def matching(dialect: str, terms: Sequence[str]) -> tuple[ColumnElement[bool], Any]:
    """(the documents holding every term, their score expression)."""
    points: list[Any] = []
    if dialect == "sqlite":
        match = _fts(" AND ".join(fts5_phrase(t) for t in terms), "q_all")
        for i, term in enumerate(terms):
            in_title = _fts(f"title : {fts5_phrase(term)}", f"t_{i}")
            in_body = _fts(f"body : {fts5_phrase(term)}", f"b_{i}")
            points += [
                case((in_title, TITLE_POINTS), else_=0),
                case((in_body, BODY_POINTS), else_=0),
            ]
    else:
        match = _pg_match(" ".join(terms))
        for i, term in enumerate(terms):
            points += [
                case((_pg_in("a", term, f"t_{i}"), TITLE_POINTS), else_=0),
                case((_pg_in("b", term, f"b_{i}"), BODY_POINTS), else_=0),
            ]
    score: Any = points[0]
    for part in points[1:]:
        score = score + part
    return match, type_coerce(score, Integer)


KIND_RANK = case(
    *((D.kind == kind.value, rank) for kind, rank in KIND_ORDER.items()), else_=len(KIND_ORDER)
)


def hits(
    dialect: str, terms: Sequence[str], visible: ColumnElement[bool], language: str | None
) -> Select[Any]:
    """One row per object found (`doc_id`, `kind`, `source_id`, `language`, `score`,
    `kind_rank`), among the documents `visible` allows; order it by `order_of(...)`."""
    match, score = matching(dialect, terms)
    where = [match, visible]
    if language is not None:
        where.append(D.language == language)
    best = (
        func.row_number()
        .over(partition_by=(D.kind, D.source_id), order_by=(score.desc(), D.language))
        .label("best")
    )
    found = select(
        D.id.label("doc_id"),
        D.kind,
        D.source_id,
        D.language,
        score.label("score"),
        type_coerce(KIND_RANK, Integer).label("kind_rank"),
        best,
    ).where(*where)
    ranked = found.subquery("ranked")
    return select(
        ranked.c.doc_id,
        ranked.c.kind,
        ranked.c.source_id,
        ranked.c.language,
        ranked.c.score,
        ranked.c.kind_rank,
    ).where(ranked.c.best == 1)


def snippets(dialect: str, terms: Sequence[str], doc_ids: Sequence[int]) -> Select[Any]:
    """(doc id, snippet with START/STOP around each match) of the given documents."""
    if dialect == "sqlite":
        any_term = " OR ".join(fts5_phrase(t) for t in terms)
        snippet: Any = literal_column(
            f"snippet({FTS_TABLE}, -1, char(2), char(3), '…', {SNIPPET_WORDS})"
        )
        return (
            select(literal_column("rowid"), snippet)
            .select_from(text(FTS_TABLE))
            .where(text(f"{FTS_TABLE} MATCH :q_any").bindparams(bindparam("q_any", any_term)))
            .where(literal_column("rowid").in_(doc_ids))
        )
    query: Any = _tsquery(terms[0], "h_0")
    for i, term in enumerate(terms[1:], start=1):
        query = query.op("||")(_tsquery(term, f"h_{i}"))
    in_body = func.ts_filter(D.vector, literal_column("'{b}'")).op("@@")(query)
    options = (
        f'StartSel="{START}", StopSel="{STOP}", MaxWords={SNIPPET_WORDS}, MinWords=6, '
        'MaxFragments=1, FragmentDelimiter=" … "'
    )
    headline = func.ts_headline(
        func.search_config(D.language),
        case((in_body, D.body), else_=D.title),
        query,
        bindparam("h_options", options),
    )
    return select(D.id, headline).where(D.id.in_(doc_ids))
