"""The search index's SQL, SQLite and PostgreSQL: triggers that keep `search_documents` equal to
its sources, the per-language text search configurations, the backfill (used by core_0018 and
`rebuild`).

Each `Source` is one table whose rows are searched documents: an object's original text (its
`original_language`) or one of its translations (core/translations: one row per language). For
each, AFTER INSERT / UPDATE OF its text columns / DELETE triggers delete the document the old
row made and insert the one the new row makes; deleting an object's original row deletes its
documents in every language. On SQLite three more triggers copy `search_documents` into the
FTS5 table `search_fts` (external content); on PostgreSQL a BEFORE trigger sets its `vector`.

PostgreSQL configurations: `ogp_english`, `ogp_spanish`, `ogp_french` (copies of the built-in
ones with the `unaccent` dictionary before the stemmer, so "indice" finds "Índice" and stems
alike) and `ogp_simple` for any other language; `search_config(language)` picks one. The
`unaccent` extension is trusted since PostgreSQL 13: the database's owner may create it without
superuser (docs/deploy.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

CONFIGS = {"en": "ogp_english", "es": "ogp_spanish", "fr": "ogp_french"}
"""Language -> PostgreSQL text search configuration; any other language: `ogp_simple`."""
PARENTS = {"ogp_english": "english", "ogp_spanish": "spanish", "ogp_french": "french"}
SIMPLE = "ogp_simple"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
"""SQLite: Unicode word splitting, case and diacritics folded (remove_diacritics 2 also folds
the marks unicode61's first version kept), English Porter stemming for every language (FTS5
ships no other stemmer)."""


@dataclass(frozen=True)
class Source:
    """A table of searched text: `kind` of document, `key` the object's id column, `language`
    the column of the text's language, `title`/`body` SQL over its row (`{row}` = NEW or OLD),
    `columns` those the UPDATE trigger watches, `original`: the object's own row (its delete
    deletes the object's documents in every language)."""

    kind: str
    table: str
    key: str
    language: str
    title: str
    body: str
    columns: tuple[str, ...]
    original: bool


def _c(column: str) -> str:
    return f"coalesce({{row}}.{column}, '')"


SOURCES: tuple[Source, ...] = (
    Source(
        "GROUP",
        "working_groups",
        "id",
        "original_language",
        _c("name"),
        f"{_c('summary')} || ' ' || {_c('description')}",
        ("name", "summary", "description", "original_language"),
        True,
    ),
    Source(
        "GROUP",
        "group_translations",
        "group_id",
        "language",
        _c("name"),
        f"{_c('summary')} || ' ' || {_c('description')}",
        ("name", "summary", "description", "language", "group_id"),
        False,
    ),
    Source(
        "PRIORITY_AREA",
        "priority_areas",
        "id",
        "original_language",
        _c("title"),
        _c("rationale"),
        ("title", "rationale", "original_language"),
        True,
    ),
    Source(
        "PRIORITY_AREA",
        "priority_area_translations",
        "priority_area_id",
        "language",
        _c("title"),
        _c("rationale"),
        ("title", "rationale", "language", "priority_area_id"),
        False,
    ),
)


def _clean(expr: str, dialect: str) -> str:
    """`expr` without the snippet markers U+0002 and U+0003."""
    char = "char" if dialect == "sqlite" else "chr"
    return f"replace(replace({expr}, {char}(2), ''), {char}(3), '')"


def _insert(source: Source, dialect: str, select_from: str | None = None) -> str:
    row = "NEW" if select_from is None else source.table
    values = (
        f"'{source.kind}', {row}.{source.key}, {row}.{source.language}, "
        f"{_clean(source.title.format(row=row), dialect)}, "
        f"{_clean(source.body.format(row=row), dialect)}"
    )
    head = "INSERT INTO search_documents (kind, source_id, language, title, body)"
    if select_from is None:
        return f"{head} VALUES ({values});"
    return f"{head} SELECT {values} FROM {source.table};"


def _delete(source: Source, every_language: bool) -> str:
    where = f"kind = '{source.kind}' AND source_id = OLD.{source.key}"
    if not every_language:
        where += f" AND language = OLD.{source.language}"
    return f"DELETE FROM search_documents WHERE {where};"


def _name(source: Source) -> str:
    return f"search_index_{source.table}"


def sqlite_upgrade() -> Iterator[str]:
    """SQLite's DDL, in order (then `backfill()`)."""
    yield (
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', "
        f"content_rowid='id', tokenize='{FTS_TOKENIZER}')"
    )
    fts_insert = "INSERT INTO search_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);"
    fts_delete = (
        "INSERT INTO search_fts (search_fts, rowid, title, body) "
        "VALUES ('delete', OLD.id, OLD.title, OLD.body);"
    )
    yield f"CREATE TRIGGER search_fts_ai AFTER INSERT ON search_documents BEGIN {fts_insert} END"
    yield f"CREATE TRIGGER search_fts_ad AFTER DELETE ON search_documents BEGIN {fts_delete} END"
    yield (
        "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_documents "
        f"BEGIN {fts_delete} {fts_insert} END"
    )
    for source in SOURCES:
        name, table = _name(source), source.table
        columns = ", ".join(source.columns)
        insert = _insert(source, "sqlite")
        yield f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {insert} END"
        yield (
            f"CREATE TRIGGER {name}_au AFTER UPDATE OF {columns} ON {table} "
            f"BEGIN {_delete(source, False)} {insert} END"
        )
        yield (
            f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} "
            f"BEGIN {_delete(source, source.original)} END"
        )


def sqlite_downgrade() -> Iterator[str]:
    for source in SOURCES:
        for event in ("ai", "au", "ad"):
            yield f"DROP TRIGGER IF EXISTS {_name(source)}_{event}"
    for event in ("ai", "ad", "au"):
        yield f"DROP TRIGGER IF EXISTS search_fts_{event}"
    yield "DROP TABLE IF EXISTS search_fts"


def postgresql_upgrade() -> Iterator[str]:
    """PostgreSQL's DDL, in order (then `backfill()`)."""
    yield "CREATE EXTENSION IF NOT EXISTS unaccent"
    for config, parent in PARENTS.items():
        yield f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.{parent})"
        yield (
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {parent}_stem"
        )
    yield f"CREATE TEXT SEARCH CONFIGURATION {SIMPLE} (COPY = pg_catalog.simple)"
    yield (
        f"ALTER TEXT SEARCH CONFIGURATION {SIMPLE} ALTER MAPPING FOR hword, hword_part, word "
        "WITH unaccent, simple"
    )
    cases = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in CONFIGS.items())
    yield (
        "CREATE FUNCTION search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE AS $$ SELECT CASE language {cases} ELSE '{SIMPLE}'::regconfig END $$"
    )
    yield (
        "CREATE FUNCTION search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.vector := setweight(to_tsvector(search_config(NEW.language), NEW.title), 'A') || "
        "setweight(to_tsvector(search_config(NEW.language), NEW.body), 'B'); RETURN NEW; END $$"
    )
    yield (
        "CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE OF language, title, body "
        "ON search_documents FOR EACH ROW EXECUTE FUNCTION search_vector()"
    )
    for source in SOURCES:
        name = _name(source)
        yield (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' THEN {_delete(source, source.original)} RETURN NULL; END IF; "
            f"IF TG_OP = 'UPDATE' THEN {_delete(source, False)} END IF; "
            f"{_insert(source, 'postgresql')} RETURN NULL; END $$"
        )
        columns = ", ".join(source.columns)
        yield (
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OF {columns} OR DELETE "
            f"ON {source.table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def postgresql_downgrade() -> Iterator[str]:
    for source in SOURCES:
        yield f"DROP TRIGGER IF EXISTS {_name(source)} ON {source.table}"
        yield f"DROP FUNCTION IF EXISTS {_name(source)}()"
    yield "DROP TRIGGER IF EXISTS search_vector ON search_documents"
    yield "DROP FUNCTION IF EXISTS search_vector()"
    yield "DROP FUNCTION IF EXISTS search_config(text)"
    for config in (*PARENTS, SIMPLE):
        yield f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}"


def backfill(dialect: str) -> Iterator[str]:
    """Index every existing row (search_documents empty): the migration's backfill, and
    `rebuild` after emptying the table."""
    for source in SOURCES:
        yield _insert(source, dialect, select_from=source.table).rstrip(";")


def rebuild(dialect: str) -> Iterator[str]:
    """Rebuild the index from its sources (e.g. after a restore that skipped triggers)."""
    yield "DELETE FROM search_documents"
    yield from backfill(dialect)
    if dialect == "sqlite":
        yield "INSERT INTO search_fts (search_fts) VALUES ('rebuild')"
