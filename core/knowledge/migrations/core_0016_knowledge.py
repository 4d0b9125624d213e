"""Resources and declared expertise (issue 10, section 1): core/knowledge/models.py's tables.

Rules kept by the database (both dialects; a refused write names the constraint, which
core/knowledge's CONSTRAINT_ERRORS map to the service's user error):
- CHECKs: a resource has a link or a text (`link_or_body`), an http(s) link (`url_is_http`), an
  SPDX licence of core.knowledge.vocabulary (`licence`), no publication date while a draft
  (`draft_unpublished`); languages are ISO 639-1 (`language`), tags topic slugs (`topic`); a
  declaration of expertise has exactly one holder (`one_holder`), one per person and one per
  organisation (partial unique indexes).
- triggers: `published_at` is set when a resource becomes PUBLISHED without one (the
  publication's own date may be given, e.g. by the demo); a PUBLISHED resource stays published
  (`ck_resources_stays_published`) and keeps its date (`ck_resources_keeps_published_at`); a
  resource's home group (`group_id`) is always one of its `resource_groups`: added on INSERT and
  on UPDATE of `group_id`, its row neither deleted nor moved while the resource and the group
  exist (`ck_resource_groups_home_group`; deleting the resource or the group takes it along).
- activity_events' verb check (core_0013's `known_verb`) is widened with `RESOURCE_PUBLISHED`.

Revision ID: core_0016
Revises: core_0015
Create Date: 2026-12-01
"""

import importlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0016"
down_revision: str | Sequence[str] | None = "core_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)
_CORE_0013 = importlib.import_module("core.priorities.migrations.core_0013_rules_in_the_database")
VERBS_BEFORE: tuple[str, ...] = tuple(_CORE_0013.VERBS)
_FROZEN = importlib.import_module("core.knowledge.migrations.frozen.core_0016_checks")
"""core.knowledge.vocabulary's and core.topics' checks as of this revision, never the live ones."""
LANGUAGE_CHECK, LICENCE_CHECK = _FROZEN.LANGUAGE_CHECK, _FROZEN.LICENCE_CHECK
TOPIC_CHECKS: dict[str, str] = _FROZEN.TOPIC_CHECKS
VERBS = tuple(sorted({*VERBS_BEFORE, "RESOURCE_PUBLISHED"}))
"""core.activity.services.VERBS as of this revision: core_0013's and RESOURCE_PUBLISHED. A later
revision that adds verbs builds on this tuple the same way."""


def known_verb(verbs: Sequence[str]) -> str:
    return f"NEW.verb IN ({', '.join(repr(v) for v in verbs)})"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _child(
    table: str, parent: str, column: str, type_: sa.types.TypeEngine[Any], *extra: object
) -> None:
    """A child table `(parent_id, column)` keyed by both, its parent row deleted with it."""
    key = f"{parent}_id"
    parents = "expertise" if parent == "expertise" else f"{parent}s"
    op.create_table(
        table,
        sa.Column(key, sa.Integer(), nullable=False),
        sa.Column(column, type_, nullable=False),
        _fk(table, key, parents, "CASCADE"),
        *extra,  # type: ignore[arg-type]
        sa.PrimaryKeyConstraint(key, column, name=op.f(f"pk_{table}")),
    )
    op.create_index(f"ix_{table}_{column}", table, [column, key])


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "kind",
                "LESSON_LEARNED",
                "CASE_STUDY",
                "GUIDE",
                "TOOL",
                "DATASET",
                "RECORDING",
                "WEBINAR",
            ),
            nullable=False,
        ),
        sa.Column("status", _enum("status", "DRAFT", "PUBLISHED"), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by_person_id", sa.Integer(), nullable=True),
        sa.Column("licence", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("published_at", UTC, nullable=True),
        sa.CheckConstraint(
            "(url IS NOT NULL AND length(url) > 0) OR (body IS NOT NULL AND length(body) > 0)",
            name=op.f("ck_resources_link_or_body"),
        ),
        sa.CheckConstraint(
            "url IS NULL OR url LIKE 'https://%' OR url LIKE 'http://%'",
            name=op.f("ck_resources_url_is_http"),
        ),
        sa.CheckConstraint(LICENCE_CHECK, name=op.f("ck_resources_licence")),
        sa.CheckConstraint(
            "status = 'PUBLISHED' OR published_at IS NULL",
            name=op.f("ck_resources_draft_unpublished"),
        ),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_resources_title_not_blank")),
        _fk("resources", "group_id", "working_groups", "CASCADE"),
        _fk("resources", "organization_id", "organizations"),
        _fk("resources", "created_by_person_id", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    op.create_index("ix_resources_group_id_id", "resources", ["group_id", "id"])
    op.create_index(
        "ix_resources_status_published_at_id", "resources", ["status", "published_at", "id"]
    )
    op.create_index("ix_resources_organization_id", "resources", ["organization_id"])
    op.create_index("ix_resources_created_by_person_id", "resources", ["created_by_person_id"])

    _child(
        "resource_groups",
        "resource",
        "group_id",
        sa.Integer(),
        _fk("resource_groups", "group_id", "working_groups", "CASCADE"),
    )
    _child(
        "resource_countries",
        "resource",
        "country_id",
        sa.Integer(),
        _fk("resource_countries", "country_id", "countries"),
    )
    _child(
        "resource_commitments",
        "resource",
        "commitment_id",
        sa.Integer(),
        _fk("resource_commitments", "commitment_id", "commitments", "CASCADE"),
    )
    _child(
        "resource_languages",
        "resource",
        "language",
        sa.String(length=2),
        sa.CheckConstraint(LANGUAGE_CHECK, name=op.f("ck_resource_languages_language")),
    )
    _child(
        "resource_topics",
        "resource",
        "topic",
        sa.String(length=64),
        sa.CheckConstraint(TOPIC_CHECKS[dialect], name=op.f("ck_resource_topics_topic")),
    )

    op.create_table(
        "expertise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint(
            "(person_id IS NULL) <> (organization_id IS NULL)",
            name=op.f("ck_expertise_one_holder"),
        ),
        _fk("expertise", "person_id", "people", "CASCADE"),
        _fk("expertise", "organization_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expertise")),
    )
    for holder in ("person_id", "organization_id"):
        op.create_index(
            f"uq_expertise_{holder}",
            "expertise",
            [holder],
            unique=True,
            sqlite_where=sa.text(f"{holder} IS NOT NULL"),
            postgresql_where=sa.text(f"{holder} IS NOT NULL"),
        )
    _child(
        "expertise_topics",
        "expertise",
        "topic",
        sa.String(length=64),
        sa.CheckConstraint(TOPIC_CHECKS[dialect], name=op.f("ck_expertise_topics_topic")),
    )
    _child(
        "expertise_languages",
        "expertise",
        "language",
        sa.String(length=2),
        sa.CheckConstraint(LANGUAGE_CHECK, name=op.f("ck_expertise_languages_language")),
    )
    _child(
        "expertise_countries",
        "expertise",
        "country_id",
        sa.Integer(),
        _fk("expertise_countries", "country_id", "countries"),
    )

    if dialect == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        sqlite_verbs(VERBS)
        return
    for name, body in POSTGRESQL_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
    for name, (when, events, table) in POSTGRESQL_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    postgresql_verbs(VERBS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        sqlite_verbs(VERBS_BEFORE)
    else:
        for name, (_, _, table) in POSTGRESQL_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        postgresql_verbs(VERBS_BEFORE)
    for table in (
        "expertise_countries",
        "expertise_languages",
        "expertise_topics",
        "expertise",
        "resource_topics",
        "resource_languages",
        "resource_countries",
        "resource_commitments",
        "resource_groups",
        "resources",
    ):
        op.drop_table(table)


STAYS = "ck_resources_stays_published"
LEAVES_PUBLISHED = (
    "OLD.status = 'PUBLISHED' AND (NEW.status <> 'PUBLISHED' OR NEW.published_at IS NULL)"
)
KEEPS_DATE = "ck_resources_keeps_published_at"
CHANGES_DATE = (
    "OLD.status = 'PUBLISHED' AND NEW.status = 'PUBLISHED' AND OLD.published_at IS NOT NULL "
    "AND NEW.published_at IS NOT NULL AND {new} <> {old}"
)
"""A published resource's date changed (disjoint from LEAVES_PUBLISHED: one name per refusal).
OLD.published_at is NULL only inside SQLite's own AFTER INSERT trigger setting it. On SQLite the
stored texts are compared to the millisecond, NOW_SQLITE's precision (the app writes
microseconds: the same instant, another text)."""
CHANGES_DATE_POSTGRESQL = CHANGES_DATE.format(new="NEW.published_at", old="OLD.published_at")
HOME = "ck_resource_groups_home_group"
IS_HOME = (
    "EXISTS (SELECT 1 FROM resources JOIN working_groups ON working_groups.id = resources.group_id"
    " WHERE resources.id = OLD.resource_id AND resources.group_id = OLD.group_id)"
)
"""The resource_groups row is its resource's home group, both still there (a cascade from
deleting either has removed it already: the row may go)."""
MOVES_HOME = "NEW.resource_id <> OLD.resource_id OR NEW.group_id <> OLD.group_id"
NOW_SQLITE = "strftime('%Y-%m-%d %H:%M:%f', 'now')"  # the text UTCDateTime stores on SQLite
CHANGES_DATE_SQLITE = CHANGES_DATE.format(
    new="strftime('%Y-%m-%d %H:%M:%f', NEW.published_at)",
    old="strftime('%Y-%m-%d %H:%M:%f', OLD.published_at)",
)
SET_PUBLISHED_AT = f"BEGIN UPDATE resources SET published_at = {NOW_SQLITE} WHERE id = NEW.id; END"
HOME_GROUP_SQLITE = (
    "BEGIN INSERT OR IGNORE INTO resource_groups (resource_id, group_id) "
    "VALUES (NEW.id, NEW.group_id); END"
)
SQLITE_TRIGGERS = {
    "resources_stays_published": (
        "CREATE TRIGGER resources_stays_published BEFORE UPDATE OF status, published_at "
        f"ON resources WHEN {LEAVES_PUBLISHED} "
        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {STAYS}'); END"
    ),
    "resources_keeps_published_at": (
        "CREATE TRIGGER resources_keeps_published_at BEFORE UPDATE OF published_at "
        f"ON resources WHEN {CHANGES_DATE_SQLITE} "
        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {KEEPS_DATE}'); END"
    ),
    "resource_groups_home_group_delete": (
        f"CREATE TRIGGER resource_groups_home_group_delete BEFORE DELETE ON resource_groups "
        f"WHEN {IS_HOME} BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {HOME}'); END"
    ),
    "resource_groups_home_group_update": (
        "CREATE TRIGGER resource_groups_home_group_update BEFORE UPDATE OF resource_id, group_id "
        f"ON resource_groups WHEN ({MOVES_HOME}) AND {IS_HOME} "
        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {HOME}'); END"
    ),
    "resources_published_at_insert": (
        "CREATE TRIGGER resources_published_at_insert AFTER INSERT ON resources "
        f"WHEN NEW.status = 'PUBLISHED' AND NEW.published_at IS NULL {SET_PUBLISHED_AT}"
    ),
    "resources_published_at_update": (
        "CREATE TRIGGER resources_published_at_update AFTER UPDATE OF status ON resources "
        f"WHEN NEW.status = 'PUBLISHED' AND NEW.published_at IS NULL {SET_PUBLISHED_AT}"
    ),
    "resources_home_group_insert": (
        f"CREATE TRIGGER resources_home_group_insert AFTER INSERT ON resources {HOME_GROUP_SQLITE}"
    ),
    "resources_home_group_update": (
        "CREATE TRIGGER resources_home_group_update AFTER UPDATE OF group_id ON resources "
        f"{HOME_GROUP_SQLITE}"
    ),
}
POSTGRESQL_FUNCTIONS = {
    "resources_publication": f"""
    BEGIN
      IF TG_OP = 'UPDATE' AND {LEAVES_PUBLISHED} THEN
        RAISE EXCEPTION 'a published resource stays published'
          USING ERRCODE = 'check_violation', CONSTRAINT = '{STAYS}';
      END IF;
      IF TG_OP = 'UPDATE' AND {CHANGES_DATE_POSTGRESQL} THEN
        RAISE EXCEPTION 'a published resource keeps its publication date'
          USING ERRCODE = 'check_violation', CONSTRAINT = '{KEEPS_DATE}';
      END IF;
      IF NEW.status = 'PUBLISHED' AND NEW.published_at IS NULL THEN
        NEW.published_at := now();
      END IF;
      RETURN NEW;
    END""",
    "resources_home_group": """
    BEGIN
      INSERT INTO resource_groups (resource_id, group_id) VALUES (NEW.id, NEW.group_id)
        ON CONFLICT DO NOTHING;
      RETURN NULL;
    END""",
    "resource_groups_home_group": f"""
    BEGIN
      IF (TG_OP = 'DELETE' OR {MOVES_HOME}) AND {IS_HOME} THEN
        RAISE EXCEPTION 'a resource''s home group stays one of its groups'
          USING ERRCODE = 'check_violation', CONSTRAINT = '{HOME}';
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      RETURN NEW;
    END""",
}
POSTGRESQL_TRIGGERS = {
    # function and trigger name: (when, events, table)
    "resources_publication": ("BEFORE", "INSERT OR UPDATE OF status, published_at", "resources"),
    "resources_home_group": ("AFTER", "INSERT OR UPDATE OF group_id", "resources"),
    "resource_groups_home_group": (
        "BEFORE",
        "DELETE OR UPDATE OF resource_id, group_id",
        "resource_groups",
    ),
}


def sqlite_verbs(verbs: Sequence[str]) -> None:
    """activity_events' verb check as SQLite triggers allowing exactly `verbs` (core_0013's
    names); core_0017 calls it with its own list."""
    for suffix, event in (("insert", "INSERT"), ("update", "UPDATE OF verb")):
        name = f"activity_events_known_verb_{suffix}"
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON activity_events WHEN NOT "
            f"({known_verb(verbs)}) BEGIN SELECT RAISE(ABORT, "
            "'CHECK constraint failed: ck_activity_events_known_verb'); END"
        )


def postgresql_verbs(verbs: Sequence[str]) -> None:
    """activity_events' verb check as PostgreSQL's trigger function, allowing exactly `verbs`."""
    op.execute(
        "CREATE OR REPLACE FUNCTION activity_events_known_verb() RETURNS trigger "
        f"""LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT ({known_verb(verbs)}) THEN
        RAISE EXCEPTION 'unknown activity verb'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_activity_events_known_verb';
      END IF;
      RETURN NEW;
    END$$"""
    )
