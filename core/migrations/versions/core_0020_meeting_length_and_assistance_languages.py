"""Two rules of the domain kept by the database (SQLite and PostgreSQL alike):

- a meeting lasts at most 14 days (`ck_meetings_max_duration`, MEETING_TOO_LONG; why 14:
  core.meetings.models.MAX_DAYS). The rule is what lets `meetings(filter: {upcoming: true})`
  read a short range of the (group_id, starts_at) / (starts_at) indexes: a meeting not yet ended
  started less than 14 days ago (issue 12, section 4);
- an assistance request's or offer's language is an ISO 639-1 code
  (`ck_assistance_request_languages_language`, `ck_assistance_offer_languages_language`,
  UNKNOWN_LANGUAGE), the list the API checks and core_0016 gives resources and expertise;
  core_0017 accepted any two lowercase letters.

How, by dialect (the spelling of each rule is a frozen copy, below: a later change of
core.meetings.models or core.knowledge.vocabulary needs a new revision):

- PostgreSQL: CHECK constraints (the language ones replace core_0017's of the same name), added
  NOT VALID, then validated when no existing row breaks them (the usual case: a plain CHECK).
  Left NOT VALID otherwise: every row inserted or updated from then on is checked, the rows
  already there are not (see below). (SQLAlchemy 2.1 warns "Can't validate argument
  'dialect_options'" when it reflects a NOT VALID CHECK, e.g. in `ogp-wg db revision`.)
- SQLite: a CHECK cannot be added without copying the table, and dropping the old `meetings`
  would delete, by ON DELETE CASCADE, its registrations, links and history (core_0006's reason):
  a pair of triggers per rule (BEFORE INSERT, BEFORE UPDATE) refuses the same rows with the
  message SQLite gives for a CHECK of that name, so the same user error answers. core_0017's
  two-letter CHECKs stay on the language tables (every ISO code passes them).

Existing rows are kept, as core_0013 and core_0014 keep theirs (an upgrade never fails on old
data): a meeting longer than 14 days, or a language outside the list, written before this
revision stays, and the upgrade names each such row in a warning (logger `ogp_wg.migrations`).
Such a row is refused at its next write (PostgreSQL checks every updated row, and the SQLite
triggers do the same), so shorten the meeting (meetingUpdate's endsAt) or replace the language;
until then a meeting longer than 14 days drops out of `upcoming` 14 days after it started.

Revision ID: core_0020
Revises: core_0019
Create Date: 2026-12-01
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0020"
down_revision: str | Sequence[str] | None = "core_0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOG = logging.getLogger("ogp_wg.migrations")

MAX_DAYS = 14
"""core.meetings.models.MAX_DAYS as of this revision."""
DURATION_CHECKS = {
    "sqlite": "ends_at <= strftime('%Y-%m-%d %H:%M:%S', substr(starts_at, 1, 19), "
    f"'+{MAX_DAYS} days') || substr(starts_at, 20)",
    "postgresql": f"ends_at - starts_at <= interval '{MAX_DAYS} days'",
}
"""core.meetings.models.DURATION_CHECKS as of this revision."""

_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi
pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti
tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
LANGUAGES = tuple(_CODES.split())
"""ISO 639-1 codes: core_0016's frozen list (core/knowledge/migrations/frozen/core_0016_checks.py,
i.e. core.knowledge.vocabulary.LANGUAGES as of core_0016), copied."""
LANGUAGE_CHECK = "language IN (" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")"
OLD_LANGUAGE_CHECKS = {
    "sqlite": "length(language) = 2 AND language NOT GLOB '*[^a-z]*'",
    "postgresql": "language ~ '^[a-z][a-z]$'",
}
"""core_0017's LANGUAGE_CHECKS, put back by the downgrade (PostgreSQL)."""

LANGUAGE_TABLES = ("assistance_request_languages", "assistance_offer_languages")
RULES: tuple[tuple[str, str, dict[str, str], tuple[str, ...]], ...] = (
    # (table, constraint, SQL by dialect, columns that name a row in the warning)
    ("meetings", "ck_meetings_max_duration", DURATION_CHECKS, ("id", "starts_at", "ends_at")),
    *(
        (
            table,
            f"ck_{table}_language",
            dict.fromkeys(("sqlite", "postgresql"), LANGUAGE_CHECK),
            (table.split("_")[1] + "_id", "language"),
        )
        for table in LANGUAGE_TABLES
    ),
)
COLUMNS = ("starts_at", "ends_at", "language")


def _new(sql: str) -> str:
    """The check's SQL on the row being written (NEW.<column>) for a trigger's WHEN."""
    for column in COLUMNS:
        sql = sql.replace(column, f"NEW.{column}")
    return sql


def _triggers(table: str, name: str, sql: str) -> list[tuple[str, str]]:
    """(trigger name, CREATE TRIGGER) for INSERT and UPDATE: a CHECK's behaviour, to the letter
    (core_0006's): NULL passes, `PRAGMA ignore_check_constraints` skips it."""
    out = []
    for event in ("INSERT", "UPDATE"):
        trigger = f"{table}_{name.removeprefix(f'ck_{table}_')}_ck_{event.lower()}"
        out.append(
            (
                trigger,
                f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} WHEN NOT ({_new(sql)}) "
                "AND NOT (SELECT ignore_check_constraints FROM pragma_ignore_check_constraints) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END",
            )
        )
    return out


def _kept_rows(dialect: str, table: str, name: str, sql: str, columns: tuple[str, ...]) -> int:
    """How many existing rows break the rule; a warning names each (kept: see the docstring)."""
    listed = ", ".join(columns)
    stmt = f"SELECT {listed} FROM {table} WHERE NOT ({sql}) ORDER BY {listed}"
    rows = op.get_bind().execute(sa.text(stmt)).all()
    if rows:
        LOG.warning(
            "core_0020: %d row(s) of %s break %s and are kept (refused at their next write; "
            "fix them): %s",
            len(rows),
            table,
            name,
            "; ".join(", ".join(f"{c}={v}" for c, v in zip(columns, r, strict=True)) for r in rows),
        )
    return len(rows)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, name, checks, columns in RULES:
        kept = _kept_rows(dialect, table, name, checks[dialect], columns)
        if dialect == "postgresql":
            if table in LANGUAGE_TABLES:
                op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({checks[dialect]}) NOT VALID"
            )
            if not kept:  # the usual case: a plain CHECK, as if it had always been there
                op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
        else:
            for _, create in _triggers(table, name, checks[dialect]):
                op.execute(create)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, name, checks, _ in reversed(RULES):
        if dialect == "postgresql":
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            if table in LANGUAGE_TABLES:  # core_0017's, which every row kept or written passes
                op.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                    f"CHECK ({OLD_LANGUAGE_CHECKS[dialect]})"
                )
        else:
            for trigger, _ in _triggers(table, name, checks[dialect]):
                op.execute(f"DROP TRIGGER {trigger}")
