"""Technical assistance and peer exchange (issue 10, section 2): core/assistance/models.py's
tables, and the rules of a match's moves kept by the database (SQLite and PostgreSQL alike).

- CHECKs: titles, needs and descriptions not blank; a request or offer is CLOSED exactly when it
  has a `closed_at`; topics are slugs (`topic`, core/topics.py), languages two lowercase letters
  (`language`); a match's score is not negative, a reason earns points, and a COMPLETED match
  has `completed_at` and a non-blank `outcome_report` (`completed_with_outcome`); one match per
  (request, offer) (`uq_assistance_matches_request_offer`).
- triggers on assistance_matches: born SUGGESTED, then only the moves of
  core/assistance/moves.py (`ck_assistance_matches_allowed_transition`), made by a person of a
  side allowed to make it (the requesting or offering organisation's people) or by staff
  (`ck_assistance_matches_mover_allowed`, judged on the row's `moved_by_person_id`); the birth
  and every move are written to `assistance_match_moves` (from, to, `moved_at`, mover,
  `move_note`), so the history is kept whatever writes the row; a request and an offer of the
  same organisation are never matched (`ck_assistance_matches_different_organizations`); a
  SUGGESTED or PROPOSED match does not move forward (to PROPOSED or ACCEPTED) once its request
  or offer is CLOSED (`ck_assistance_matches_request_open`, `..._offer_open`).
- triggers on assistance_requests: the requesting organisation is a GOVERNMENT or CIVIL_SOCIETY
  one when the request is written (`ck_assistance_requests_requester_kind`).
- activity_events' verb check is widened with ASSISTANCE_REQUEST_POSTED,
  ASSISTANCE_OFFER_POSTED and ASSISTANCE_MATCH_COMPLETED (on core_0016's list).

Revision ID: core_0017
Revises: core_0016
Create Date: 2026-12-01
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0017"
down_revision: str | Sequence[str] | None = "core_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)
_CORE_0016 = importlib.import_module("core.knowledge.migrations.core_0016_knowledge")
VERBS_BEFORE: tuple[str, ...] = tuple(_CORE_0016.VERBS)
TOPIC_CHECKS: dict[str, str] = _CORE_0016.TOPIC_CHECKS
"""core.topics.TOPIC_CHECKS as of this revision: core_0016's (core_0015's) frozen copy."""
NEW_VERBS = ("ASSISTANCE_REQUEST_POSTED", "ASSISTANCE_OFFER_POSTED", "ASSISTANCE_MATCH_COMPLETED")
VERBS = tuple(sorted({*VERBS_BEFORE, *NEW_VERBS}))
"""core.activity.services.VERBS as of this revision (a later revision builds on this tuple)."""

LANGUAGE_CHECKS = {
    "sqlite": "length(language) = 2 AND language NOT GLOB '*[^a-z]*'",
    "postgresql": "language ~ '^[a-z][a-z]$'",
}
MOVES = {
    # (from, to): sides (core/assistance/moves.py, as of this revision)
    ("SUGGESTED", "PROPOSED"): ("REQUESTER",),
    ("SUGGESTED", "DECLINED"): ("REQUESTER",),
    ("PROPOSED", "ACCEPTED"): ("OFFERER",),
    ("PROPOSED", "DECLINED"): ("REQUESTER", "OFFERER"),
    ("ACCEPTED", "IN_PROGRESS"): ("REQUESTER", "OFFERER"),
    ("ACCEPTED", "DECLINED"): ("REQUESTER", "OFFERER"),
    ("IN_PROGRESS", "COMPLETED"): ("REQUESTER", "OFFERER"),
}
PAIRS = " OR ".join(f"(OLD.status = '{a}' AND NEW.status = '{b}')" for a, b in MOVES)
MOVER_ORG = "(SELECT organization_id FROM people WHERE id = NEW.moved_by_person_id)"
SIDE_SQL = {
    "REQUESTER": f"(SELECT organization_id FROM assistance_requests WHERE id = NEW.request_id) "
    f"= {MOVER_ORG}",
    "OFFERER": f"(SELECT organization_id FROM assistance_offers WHERE id = NEW.offer_id) "
    f"= {MOVER_ORG}",
}
MOVER_ALLOWED = (
    "(EXISTS (SELECT 1 FROM staff_roles WHERE person_id = NEW.moved_by_person_id) OR "
    + " OR ".join(
        f"(OLD.status = '{a}' AND NEW.status = '{b}' AND ("
        + " OR ".join(SIDE_SQL[side] for side in sides)
        + "))"
        for (a, b), sides in MOVES.items()
    )
    + ")"
)
NOW_SQLITE = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
NOT_REQUESTER_KIND = (
    "coalesce((SELECT kind FROM organizations WHERE id = NEW.organization_id), '') "
    "NOT IN ('GOVERNMENT', 'CIVIL_SOCIETY')"
)
SAME_ORGANIZATION = (
    "(SELECT organization_id FROM assistance_requests WHERE id = NEW.request_id) = "
    "(SELECT organization_id FROM assistance_offers WHERE id = NEW.offer_id)"
)
FORWARD = "OLD.status IN ('SUGGESTED', 'PROPOSED') AND NEW.status IN ('PROPOSED', 'ACCEPTED')"
CLOSED_SIDE = {
    "request": "(SELECT status FROM assistance_requests WHERE id = NEW.request_id) = 'CLOSED'",
    "offer": "(SELECT status FROM assistance_offers WHERE id = NEW.offer_id) = 'CLOSED'",
}


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def _check(table: str, name: str, sql: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(sql, name=op.f(f"ck_{table}_{name}"))


def _tables(dialect: str) -> None:
    status = ("OPEN", "CLOSED")
    kinds = ("TECHNICAL_ASSISTANCE", "PEER_EXCHANGE")
    closed = "(status = 'CLOSED') = (closed_at IS NOT NULL)"
    t = "assistance_requests"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column("kind", _enum("kind", *kinds), nullable=False),
        sa.Column("status", _enum("status", *status), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        _check(t, "title_present", "length(trim(title)) > 0"),
        _check(t, "needs_present", "length(trim(needs)) > 0"),
        _check(t, "closed_when_closed", closed),
        _fk(t, "group_id", "working_groups", "CASCADE"),
        _fk(t, "organization_id", "organizations"),
        _fk(t, "person_id", "people", "SET NULL"),
        _fk(t, "country_id", "countries"),
        _pk(t, "id"),
    )
    op.create_index(op.f("ix_assistance_requests_organization_id"), t, ["organization_id"])
    op.create_index(op.f("ix_assistance_requests_country_id"), t, ["country_id"])
    op.create_index(
        "ix_assistance_requests_group_id_created_at_id", t, ["group_id", "created_at", "id"]
    )
    op.create_index("ix_assistance_requests_created_at_id", t, ["created_at", "id"])
    t = "assistance_offers"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", _enum("status", *status), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        _check(t, "title_present", "length(trim(title)) > 0"),
        _check(t, "description_present", "length(trim(description)) > 0"),
        _check(t, "closed_when_closed", closed),
        _fk(t, "organization_id", "organizations"),
        _fk(t, "person_id", "people", "SET NULL"),
        _pk(t, "id"),
    )
    op.create_index(op.f("ix_assistance_offers_organization_id"), t, ["organization_id"])
    op.create_index("ix_assistance_offers_created_at_id", t, ["created_at", "id"])
    for owner, key in (("request", "assistance_requests"), ("offer", "assistance_offers")):
        t = f"assistance_{owner}_topics"
        op.create_table(
            t,
            sa.Column(f"{owner}_id", sa.Integer(), nullable=False),
            sa.Column("topic", sa.String(length=64), nullable=False),
            _check(t, "topic", TOPIC_CHECKS[dialect]),
            _fk(t, f"{owner}_id", key, "CASCADE"),
            _pk(t, f"{owner}_id", "topic"),
        )
        op.create_index(f"ix_{t}_topic", t, ["topic"])
        t = f"assistance_{owner}_languages"
        op.create_table(
            t,
            sa.Column(f"{owner}_id", sa.Integer(), nullable=False),
            sa.Column("language", sa.String(length=2), nullable=False),
            _check(t, "language", LANGUAGE_CHECKS[dialect]),
            _fk(t, f"{owner}_id", key, "CASCADE"),
            _pk(t, f"{owner}_id", "language"),
        )
    t = "assistance_offer_groups"
    op.create_table(
        t,
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        _fk(t, "offer_id", "assistance_offers", "CASCADE"),
        _fk(t, "group_id", "working_groups", "CASCADE"),
        _pk(t, "offer_id", "group_id"),
    )
    op.create_index(op.f("ix_assistance_offer_groups_group_id"), t, ["group_id"])
    t = "assistance_offer_countries"
    op.create_table(
        t,
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        _fk(t, "offer_id", "assistance_offers", "CASCADE"),
        _fk(t, "country_id", "countries"),
        _pk(t, "offer_id", "country_id"),
    )
    t = "assistance_matches"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            _enum(
                "status",
                "SUGGESTED",
                "PROPOSED",
                "ACCEPTED",
                "IN_PROGRESS",
                "COMPLETED",
                "DECLINED",
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("suggested_at", UTC, nullable=False),
        sa.Column("moved_at", UTC, nullable=False),
        sa.Column("moved_by_person_id", sa.Integer(), nullable=True),
        sa.Column("move_note", sa.Text(), nullable=True),
        sa.Column("completed_at", UTC, nullable=True),
        sa.Column("outcome_report", sa.Text(), nullable=True),
        sa.Column("outcome_resource_id", sa.Integer(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        _check(t, "score_not_negative", "score >= 0"),
        _check(
            t,
            "completed_with_outcome",
            "status <> 'COMPLETED' OR (completed_at IS NOT NULL AND outcome_report IS NOT NULL "
            "AND length(trim(outcome_report)) > 0)",
        ),
        _fk(t, "request_id", "assistance_requests", "CASCADE"),
        _fk(t, "offer_id", "assistance_offers", "CASCADE"),
        _fk(t, "moved_by_person_id", "people", "SET NULL"),
        _fk(t, "outcome_resource_id", "resources", "SET NULL"),
        _pk(t, "id"),
    )
    op.create_index(
        "uq_assistance_matches_request_offer", t, ["request_id", "offer_id"], unique=True
    )
    op.create_index("ix_assistance_matches_offer_id", t, ["offer_id"])
    t = "assistance_match_reasons"
    op.create_table(
        t,
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=64), nullable=True),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        _check(t, "points_positive", "points > 0"),
        _fk(t, "match_id", "assistance_matches", "CASCADE"),
        _fk(t, "group_id", "working_groups", "SET NULL"),
        _fk(t, "country_id", "countries"),
        _pk(t, "match_id", "position"),
    )
    t = "assistance_match_moves"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _fk(t, "match_id", "assistance_matches", "CASCADE"),
        _fk(t, "person_id", "people", "SET NULL"),
        _pk(t, "id"),
    )
    op.create_index("ix_assistance_match_moves_match_id_id", t, ["match_id", "id"])


def _refuse(name: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"


MOVED_AT_SQLITE = f"CASE WHEN NEW.moved_at IS OLD.moved_at THEN {NOW_SQLITE} ELSE NEW.moved_at END"
HISTORY = (
    "INSERT INTO assistance_match_moves (match_id, from_status, to_status, at, person_id, note) "
    "VALUES (NEW.id, {frm}, NEW.status, {at}, NEW.moved_by_person_id, NEW.move_note)"
)
SQLITE_TRIGGERS = {
    "assistance_matches_born_suggested": "CREATE TRIGGER assistance_matches_born_suggested "
    "BEFORE INSERT ON assistance_matches WHEN NEW.status <> 'SUGGESTED' "
    + _refuse("ck_assistance_matches_allowed_transition"),
    "assistance_matches_allowed_transition": "CREATE TRIGGER "
    "assistance_matches_allowed_transition BEFORE UPDATE OF status ON assistance_matches "
    f"WHEN NEW.status <> OLD.status AND NOT ({PAIRS}) "
    + _refuse("ck_assistance_matches_allowed_transition"),
    "assistance_matches_mover_allowed": "CREATE TRIGGER assistance_matches_mover_allowed "
    "BEFORE UPDATE OF status ON assistance_matches "
    f"WHEN NEW.status <> OLD.status AND ({PAIRS}) AND NOT coalesce({MOVER_ALLOWED}, 0) "
    + _refuse("ck_assistance_matches_mover_allowed"),
    "assistance_requests_requester_kind": "CREATE TRIGGER assistance_requests_requester_kind "
    f"BEFORE INSERT ON assistance_requests WHEN {NOT_REQUESTER_KIND} "
    + _refuse("ck_assistance_requests_requester_kind"),
    "assistance_requests_requester_kind_update": "CREATE TRIGGER "
    "assistance_requests_requester_kind_update BEFORE UPDATE OF organization_id ON "
    f"assistance_requests WHEN {NOT_REQUESTER_KIND} "
    + _refuse("ck_assistance_requests_requester_kind"),
    "assistance_matches_different_organizations": "CREATE TRIGGER "
    "assistance_matches_different_organizations BEFORE INSERT ON assistance_matches "
    f"WHEN {SAME_ORGANIZATION} " + _refuse("ck_assistance_matches_different_organizations"),
    "assistance_matches_different_organizations_update": "CREATE TRIGGER "
    "assistance_matches_different_organizations_update BEFORE UPDATE OF request_id, offer_id "
    f"ON assistance_matches WHEN {SAME_ORGANIZATION} "
    + _refuse("ck_assistance_matches_different_organizations"),
    **{
        f"assistance_matches_{side}_open": f"CREATE TRIGGER assistance_matches_{side}_open "
        f"BEFORE UPDATE OF status ON assistance_matches WHEN {FORWARD} AND {closed} "
        + _refuse(f"ck_assistance_matches_{side}_open")
        for side, closed in CLOSED_SIDE.items()
    },
    "assistance_matches_born_history": "CREATE TRIGGER assistance_matches_born_history "
    "AFTER INSERT ON assistance_matches BEGIN "
    + HISTORY.format(frm="NULL", at="NEW.moved_at")
    + "; END",
    "assistance_matches_move_history": "CREATE TRIGGER assistance_matches_move_history "
    "AFTER UPDATE OF status ON assistance_matches WHEN NEW.status <> OLD.status BEGIN "
    + HISTORY.format(frm="OLD.status", at=MOVED_AT_SQLITE)
    + "; END",
}


def _raise(message: str, name: str) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation', CONSTRAINT = '{name}'"


POSTGRESQL_FUNCTIONS = {
    "assistance_matches_guard": f"""
    BEGIN
      IF {SAME_ORGANIZATION} THEN
        {
        _raise(
            "a request and an offer of the same organisation are never matched",
            "ck_assistance_matches_different_organizations",
        )
    };
      END IF;
      IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'SUGGESTED' THEN
          {_raise("a match is born SUGGESTED", "ck_assistance_matches_allowed_transition")};
        END IF;
        RETURN NEW;
      END IF;
      IF NEW.status = OLD.status THEN
        RETURN NEW;
      END IF;
      IF NOT ({PAIRS}) THEN
        {
        _raise(
            "a match moves only along its allowed transitions",
            "ck_assistance_matches_allowed_transition",
        )
    };
      END IF;
      IF NOT coalesce({MOVER_ALLOWED}, false) THEN
        {
        _raise(
            "only the side allowed to make this move, or staff, makes it",
            "ck_assistance_matches_mover_allowed",
        )
    };
      END IF;
      IF {FORWARD} AND {CLOSED_SIDE["request"]} THEN
        {_raise("the request is closed", "ck_assistance_matches_request_open")};
      END IF;
      IF {FORWARD} AND {CLOSED_SIDE["offer"]} THEN
        {_raise("the offer is closed", "ck_assistance_matches_offer_open")};
      END IF;
      IF NEW.moved_at IS NOT DISTINCT FROM OLD.moved_at THEN
        NEW.moved_at := now();
      END IF;
      RETURN NEW;
    END""",
    "assistance_matches_history": f"""
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {HISTORY.format(frm="NULL", at="NEW.moved_at")};
      ELSIF NEW.status <> OLD.status THEN
        {HISTORY.format(frm="OLD.status", at="NEW.moved_at")};
      END IF;
      RETURN NULL;
    END""",
    "assistance_requests_guard": f"""
    BEGIN
      IF {NOT_REQUESTER_KIND} THEN
        {
        _raise(
            "a request is posted by a government or a civil-society organisation",
            "ck_assistance_requests_requester_kind",
        )
    };
      END IF;
      RETURN NEW;
    END""",
}
POSTGRESQL_TRIGGERS = {
    "assistance_matches_guard": (
        "BEFORE",
        "INSERT OR UPDATE OF status, request_id, offer_id",
        "assistance_matches",
    ),
    "assistance_matches_history": ("AFTER", "INSERT OR UPDATE OF status", "assistance_matches"),
    "assistance_requests_guard": (
        "BEFORE",
        "INSERT OR UPDATE OF organization_id",
        "assistance_requests",
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _tables(dialect)
    if dialect == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        _CORE_0016.sqlite_verbs(VERBS)
        return
    for name, body in POSTGRESQL_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
    for name, (when, events, table) in POSTGRESQL_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    _CORE_0016.postgresql_verbs(VERBS)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        _CORE_0016.sqlite_verbs(VERBS_BEFORE)
    else:
        for name, (_, _, table) in POSTGRESQL_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        _CORE_0016.postgresql_verbs(VERBS_BEFORE)
    for table in (
        "assistance_match_moves",
        "assistance_match_reasons",
        "assistance_matches",
        "assistance_offer_countries",
        "assistance_offer_groups",
        "assistance_offer_languages",
        "assistance_offer_topics",
        "assistance_request_languages",
        "assistance_request_topics",
        "assistance_offers",
        "assistance_requests",
    ):
        op.drop_table(table)
