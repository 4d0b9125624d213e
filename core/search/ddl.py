"""The search index's SQL, SQLite and PostgreSQL: the per-language text search configurations,
the triggers that keep `search_documents` equal to its sources, the backfill (`rebuild`).
Revision core_0018 runs a copy of this module frozen when it was written
(core/search/migrations/frozen/core_0018_ddl.py): a change here needs a new revision.

What is indexed (`SELECTS`): per kind, the statements that produce an object's documents:

- GROUP: a working group's name (title) and summary + description (body), in its original
  language, and each translation (core/translations) in its language;
- PRIORITY_AREA: title and rationale, original and translations, likewise;
- RESOURCE: title, and summary + body, once per language of the resource (`resource_languages`;
  `und` while it has none);
- EXPERTISE: the holder's name (the person's or the organisation's) and the description, once
  per language the holder works in (`expertise_languages`; `und` while none).

When (`WATCHES`): every INSERT, DELETE and UPDATE of the columns read, on each table read
(`working_groups`, `group_translations`, `priority_areas`, `priority_area_translations`,
`resources`, `resource_languages`, `expertise`, `expertise_languages`, and the names of `people`
and `organizations`), re-indexes the object concerned: its documents deleted, its selects run
again. A deleted object's selects find nothing, so its documents go with it. On SQLite three
more triggers copy `search_documents` into the FTS5 table `search_fts` (external content); on
PostgreSQL a BEFORE trigger sets its `vector`.

Words, the same on both databases (so the same documents match): the runs of letters and
digits. SQLite: FTS5's `unicode61` splits so; on PostgreSQL `search_vector` first turns ASCII
punctuation into spaces (PUNCTUATION), or its parser would keep "eiti.org", "2.0", "a@b.org" or
"peer-to-peer" as single tokens that the query's words (terms.py) never equal. Other
punctuation (« », —, …) separates words on PostgreSQL by the database's LC_CTYPE: so in any
UTF-8 locale (C.UTF-8, en_US.UTF-8...), not in plain "C", where PostgreSQL's parser takes every
non-ASCII character for a letter. Folding: FTS5 and
`unaccent` fold case and diacritics alike but for the FOLDS letters (core/search/terms.py),
which SQLite's FTS triggers spell out in the indexed text (`sqlite_fold`; `search_documents`
keeps the text as written, so snippets show it, with the matches marked). Stop words: kept on
both (a search for "the" finds "the" on both): a stop word list is per language, the query's
language is unknown, and FTS5 has none. Stemming still differs: FTS5 stems every language with
Porter's English stemmer, PostgreSQL English, Spanish and French with their Snowball stemmers
(and other languages not at all), so a word and its inflection can match on one database and
not on the other ("gobierno" finds a Spanish "gobiernos" on SQLite only); tests use words both
stem alike. Snippets: PostgreSQL's `ts_headline` reads the text as written, so a word inside a
host or version ("eiti" of "eiti.org") is found but not marked there.

PostgreSQL configurations: `ogp_english`, `ogp_spanish`, `ogp_french` (copies of the built-in
ones whose words of every token type, with or without digits, go through the `unaccent`
dictionary, then the language's Snowball stemmer without stop words, `ogp_<language>_stem`) and
`ogp_simple` for any other language (unaccent, then lower case); `search_config(language)` picks
one. The `unaccent` extension is trusted since PostgreSQL 13: the database's owner may create it
without superuser (docs/deploy.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from core.search.terms import FOLDS

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


def rebuild(dialect: str) -> Iterator[str]:
    """Rebuild the index from its sources (e.g. after a restore that skipped triggers)."""
    yield "DELETE FROM search_documents"
    if dialect == "sqlite":  # emptied whatever it held (FTS5's 'rebuild' would skip sqlite_fold)
        yield "INSERT INTO search_fts (search_fts) VALUES ('delete-all')"
    yield from backfill(dialect)
