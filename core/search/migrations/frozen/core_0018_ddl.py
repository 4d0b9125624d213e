"""The SQL of revision core_0018 (core/search/migrations/core_0018_search.py), frozen: a copy of
core/search/ddl.py and of core.search.terms.FOLDS as they were when core_0018 was written, so the
revision emits the same DDL forever whatever those modules become. Only core_0018 imports this
module; never edit it (a change of the index is a new revision). What each statement does:
core/search/ddl.py. The folder is not a revision folder of Alembic (it reads only the top level
of core/search/migrations/).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

FOLDS: dict[str, str] = {
    "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ĳ": "IJ", "ĳ": "ij", "ẞ": "SS", "ß": "ss",
    "Þ": "TH", "þ": "th", "Ð": "D", "ð": "d", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "Ł": "L",
    "ł": "l", "Ŀ": "L", "ŀ": "l", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "Ŋ": "N", "ŋ": "n",
    "\u0131": "i", "Ά": "\u0391", "Έ": "\u0395", "Ή": "\u0397", "Ί": "\u0399", "Ό": "\u039f",
    "Ύ": "\u03a5", "Ώ": "\u03a9", "Ϊ": "\u0399", "Ϋ": "\u03a5", "ά": "\u03b1", "έ": "\u03b5",
    "ή": "\u03b7", "ί": "\u03b9", "ό": "\u03bf", "ύ": "\u03c5", "ώ": "\u03c9", "ΐ": "\u03b9",
    "ΰ": "\u03c5", "ϊ": "\u03b9", "ϋ": "\u03c5", "Ё": "\u0415", "ё": "\u0435",
}  # fmt: skip
"""core.search.terms.FOLDS as of this revision, in its order (the order of the nested
`replace()`s of `sqlite_fold`)."""

CONFIGS = {"en": "ogp_english", "es": "ogp_spanish", "fr": "ogp_french"}
"""Language -> PostgreSQL text search configuration; any other language: `ogp_simple`."""
PARENTS = {"ogp_english": "english", "ogp_spanish": "spanish", "ogp_french": "french"}
SIMPLE = "ogp_simple"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
"""SQLite: Unicode word splitting, case and diacritics folded, English Porter stemming for every
language (FTS5 ships no other stemmer)."""
UNDETERMINED = "und"
"""ISO 639-2's code for an undetermined language: a resource or expertise with no language."""


@dataclass(frozen=True)
class Dialect:
    """What differs in the SQL of the two dialects: the name of chr()."""

    chr: str

    def text(self, expr: str) -> str:
        """`expr` without the snippet markers U+0002 and U+0003."""
        return f"replace(replace({expr}, {self.chr}(2), ''), {self.chr}(3), '')"


def sqlite_fold(expr: str, per_level: int = 12) -> str:
    """`expr` with each FOLDS letter spelled out: the text FTS5 indexes. Nested `replace()`s,
    `per_level` deep at most, each level a scalar subquery over the previous one (SQLite's
    parser stack overflows at about 30 nested calls, fewer inside a trigger)."""
    letters = list(FOLDS.items())
    for start in range(0, len(letters), per_level):
        inner = "v" if start else expr
        for letter, spelled in letters[start : start + per_level]:
            inner = f"replace({inner}, '{letter}', '{spelled}')"
        expr = f"(SELECT {inner} FROM (SELECT {expr} AS v))" if start else inner
    return expr


PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
"""ASCII punctuation, a space on PostgreSQL before parsing (FTS5 separates words at each)."""
WORD_TOKENS = "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part"
WORD_TOKENS += ", hword_numpart"
"""PostgreSQL's parser's token types of words (with or without digits, hyphenated or not)."""

SQLITE = Dialect("char")
POSTGRESQL = Dialect("chr")


def _where(column: str, key: str | None) -> str:
    return "" if key is None else f" WHERE {column} = {key}"


def selects(kind: str, key: str | None, d: Dialect) -> list[str]:
    """The SELECTs giving (kind, source_id, language, title, body) of the object whose id is the
    SQL `key` (every object of `kind` when None)."""
    t = d.text
    if kind == "GROUP":
        translated = "coalesce(t.summary, '') || ' ' || coalesce(t.description, '')"
        return [
            "SELECT 'GROUP', g.id, g.original_language, "
            + t("g.name")
            + ", "
            + t("g.summary || ' ' || g.description")
            + " FROM working_groups AS g"
            + _where("g.id", key),
            "SELECT 'GROUP', t.group_id, t.language, "
            + t("coalesce(t.name, '')")
            + ", "
            + t(translated)
            + " FROM group_translations AS t"
            + _where("t.group_id", key),
        ]
    if kind == "PRIORITY_AREA":
        return [
            "SELECT 'PRIORITY_AREA', a.id, a.original_language, "
            + t("a.title")
            + ", "
            + t("a.rationale")
            + " FROM priority_areas AS a"
            + _where("a.id", key),
            "SELECT 'PRIORITY_AREA', t.priority_area_id, t.language, "
            + t("coalesce(t.title, '')")
            + ", "
            + t("coalesce(t.rationale, '')")
            + " FROM priority_area_translations AS t"
            + _where("t.priority_area_id", key),
        ]
    if kind == "RESOURCE":
        return [
            f"SELECT 'RESOURCE', r.id, coalesce(l.language, '{UNDETERMINED}'), "
            + t("r.title")
            + ", "
            + t("r.summary || ' ' || coalesce(r.body, '')")
            + " FROM resources AS r LEFT JOIN resource_languages AS l ON l.resource_id = r.id"
            + _where("r.id", key)
        ]
    assert kind == "EXPERTISE", kind
    return [
        f"SELECT 'EXPERTISE', e.id, coalesce(l.language, '{UNDETERMINED}'), "
        + t("coalesce(p.name, o.name, '')")
        + ", "
        + t("e.description")
        + " FROM expertise AS e LEFT JOIN expertise_languages AS l ON l.expertise_id = e.id"
        " LEFT JOIN people AS p ON p.id = e.person_id"
        " LEFT JOIN organizations AS o ON o.id = e.organization_id" + _where("e.id", key)
    ]


KINDS = ("GROUP", "PRIORITY_AREA", "RESOURCE", "EXPERTISE")
INSERT = "INSERT INTO search_documents (kind, source_id, language, title, body) "


def reindex(kind: str, key: str, d: Dialect) -> list[str]:
    """Statements re-indexing the object `key` (SQL) of `kind`: its documents made anew."""
    delete = f"DELETE FROM search_documents WHERE kind = '{kind}' AND source_id = {key}"
    return [delete, *(INSERT + select for select in selects(kind, key, d))]


@dataclass(frozen=True)
class Watch:
    """A table whose writes change the documents of `kind`: `key` is the SQL giving the object's
    id from a row (`{row}`: NEW or OLD), `columns` the columns read (UPDATE OF)."""

    table: str
    kind: str
    key: str
    columns: tuple[str, ...]
    deletes: bool = True
    """Whether an INSERT or DELETE of a row changes documents (not for people/organisations:
    only their name is read, and expertise goes with its holder by its own delete)."""


WATCHES: tuple[Watch, ...] = (
    Watch(
        "working_groups",
        "GROUP",
        "{row}.id",
        ("name", "summary", "description", "original_language"),
    ),
    Watch(
        "group_translations",
        "GROUP",
        "{row}.group_id",
        ("group_id", "language", "name", "summary", "description"),
    ),
    Watch(
        "priority_areas", "PRIORITY_AREA", "{row}.id", ("title", "rationale", "original_language")
    ),
    Watch(
        "priority_area_translations",
        "PRIORITY_AREA",
        "{row}.priority_area_id",
        ("priority_area_id", "language", "title", "rationale"),
    ),
    Watch("resources", "RESOURCE", "{row}.id", ("title", "summary", "body")),
    Watch("resource_languages", "RESOURCE", "{row}.resource_id", ("resource_id", "language")),
    Watch("expertise", "EXPERTISE", "{row}.id", ("description", "person_id", "organization_id")),
    Watch("expertise_languages", "EXPERTISE", "{row}.expertise_id", ("expertise_id", "language")),
    Watch(
        "people",
        "EXPERTISE",
        "(SELECT x.id FROM expertise AS x WHERE x.person_id = {row}.id)",
        ("name",),
        deletes=False,
    ),
    Watch(
        "organizations",
        "EXPERTISE",
        "(SELECT x.id FROM expertise AS x WHERE x.organization_id = {row}.id)",
        ("name",),
        deletes=False,
    ),
)


def _name(watch: Watch) -> str:
    return f"search_index_{watch.table}"


def _sqlite_body(watch: Watch, *rows: str) -> str:
    """A SQLite trigger's statements: re-index the object of each row (NEW, OLD)."""
    keys = [watch.key.format(row=row) for row in rows]
    return " ".join(f"{s};" for key in keys for s in reindex(watch.kind, key, SQLITE))


def sqlite_upgrade() -> Iterator[str]:
    """SQLite's DDL, in order (then `backfill()`)."""
    yield (
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', "
        f"content_rowid='id', tokenize='{FTS_TOKENIZER}')"
    )
    new = f"NEW.id, {sqlite_fold('NEW.title')}, {sqlite_fold('NEW.body')}"
    old = f"OLD.id, {sqlite_fold('OLD.title')}, {sqlite_fold('OLD.body')}"
    fts_insert = f"INSERT INTO search_fts (rowid, title, body) VALUES ({new});"
    fts_delete = (
        f"INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', {old});"
    )
    yield f"CREATE TRIGGER search_fts_ai AFTER INSERT ON search_documents BEGIN {fts_insert} END"
    yield f"CREATE TRIGGER search_fts_ad AFTER DELETE ON search_documents BEGIN {fts_delete} END"
    yield (
        "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_documents "
        f"BEGIN {fts_delete} {fts_insert} END"
    )
    for watch in WATCHES:
        name, table = _name(watch), watch.table

        if watch.deletes:
            inserted, deleted = _sqlite_body(watch, "NEW"), _sqlite_body(watch, "OLD")
            yield f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {inserted} END"
            yield f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {deleted} END"
        columns = ", ".join(watch.columns)
        yield (
            f"CREATE TRIGGER {name}_au AFTER UPDATE OF {columns} ON {table} "
            f"BEGIN {_sqlite_body(watch, 'OLD', 'NEW')} END"
        )


def sqlite_downgrade() -> Iterator[str]:
    for watch in WATCHES:
        for event in ("ai", "au", "ad"):
            yield f"DROP TRIGGER IF EXISTS {_name(watch)}_{event}"
    for event in ("ai", "ad", "au"):
        yield f"DROP TRIGGER IF EXISTS search_fts_{event}"
    yield "DROP TABLE IF EXISTS search_fts"


def postgresql_upgrade() -> Iterator[str]:
    """PostgreSQL's DDL, in order (then `backfill()`)."""
    yield "CREATE EXTENSION IF NOT EXISTS unaccent"
    for config, parent in PARENTS.items():
        yield (
            f"CREATE TEXT SEARCH DICTIONARY {config}_stem (TEMPLATE = pg_catalog.snowball, "
            f"LANGUAGE = {parent})"
        )
        yield f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.{parent})"
        yield (
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR {WORD_TOKENS} "
            f"WITH unaccent, {config}_stem"
        )
    yield f"CREATE TEXT SEARCH CONFIGURATION {SIMPLE} (COPY = pg_catalog.simple)"
    yield (
        f"ALTER TEXT SEARCH CONFIGURATION {SIMPLE} ALTER MAPPING FOR {WORD_TOKENS} "
        "WITH unaccent, simple"
    )
    cases = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in CONFIGS.items())
    yield (
        "CREATE FUNCTION search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE AS $$ SELECT CASE language {cases} ELSE '{SIMPLE}'::regconfig END $$"
    )
    spaces = " " * len(PUNCTUATION)
    words = {c: f"translate(NEW.{c}, $p${PUNCTUATION}$p$, '{spaces}')" for c in ("title", "body")}
    yield (
        "CREATE FUNCTION search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.vector := setweight(to_tsvector(search_config(NEW.language), {words['title']}), "
        f"'A') || setweight(to_tsvector(search_config(NEW.language), {words['body']}), 'B'); "
        "RETURN NEW; END $$"
    )
    yield (
        "CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE OF language, title, body "
        "ON search_documents FOR EACH ROW EXECUTE FUNCTION search_vector()"
    )
    branches = " ".join(
        f"{'IF' if i == 0 else 'ELSIF'} k = '{kind}' THEN "
        + " ".join(f"{s};" for s in reindex(kind, "x", POSTGRESQL)[1:])
        for i, kind in enumerate(KINDS)
    )
    yield (
        "CREATE FUNCTION search_reindex(k text, x integer) RETURNS void LANGUAGE plpgsql AS $$ "
        "BEGIN IF x IS NULL THEN RETURN; END IF; "
        "DELETE FROM search_documents WHERE kind = k AND source_id = x; "
        f"{branches} END IF; END $$"
    )
    for watch in WATCHES:
        name = _name(watch)
        old, new = watch.key.format(row="OLD"), watch.key.format(row="NEW")
        yield (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN PERFORM search_reindex('{watch.kind}', {old}); END IF; "
            f"IF TG_OP <> 'DELETE' THEN PERFORM search_reindex('{watch.kind}', {new}); END IF; "
            "RETURN NULL; END $$"
        )
        columns = ", ".join(watch.columns)
        events = (
            f"INSERT OR UPDATE OF {columns} OR DELETE" if watch.deletes else f"UPDATE OF {columns}"
        )
        yield (
            f"CREATE TRIGGER {name} AFTER {events} ON {watch.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def postgresql_downgrade() -> Iterator[str]:
    for watch in WATCHES:
        yield f"DROP TRIGGER IF EXISTS {_name(watch)} ON {watch.table}"
        yield f"DROP FUNCTION IF EXISTS {_name(watch)}()"
    yield "DROP FUNCTION IF EXISTS search_reindex(text, integer)"
    yield "DROP TRIGGER IF EXISTS search_vector ON search_documents"
    yield "DROP FUNCTION IF EXISTS search_vector()"
    yield "DROP FUNCTION IF EXISTS search_config(text)"
    for config in (*PARENTS, SIMPLE):
        yield f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}"
    for config in PARENTS:
        yield f"DROP TEXT SEARCH DICTIONARY IF EXISTS {config}_stem"


def backfill(dialect: str) -> Iterator[str]:
    """Index every existing row (search_documents empty): the migration's backfill, and
    `rebuild` after emptying the table."""
    d = SQLITE if dialect == "sqlite" else POSTGRESQL
    for kind in KINDS:
        for select in selects(kind, None, d):
            yield INSERT + select
