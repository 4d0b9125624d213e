"""Issue 9's history kept by the database, and three more rules that lived only in Python
(SQLite and PostgreSQL alike; the review of issue 9, item 2). Same pattern as core_0013: a rule
refuses a write with a constraint name (`ck_<table>_<rule>`), declared on the model's
`trigger_checks` and mapped by the domain's CONSTRAINT_ERRORS to the code the service answers.

History the database writes, whatever writes to it:

- anchors -> anchor_terms: when an anchor's row is deleted, or taken by another organisation
  (UPDATE of organization_id, role or group_id: how `anchorSet(replace: true)` keeps a running
  group anchored), the ended term is inserted into anchor_terms by a trigger. It ends on the new
  column `anchors.ends_on` when the writer set it just before the delete (anchorRemove's
  `until`), on the new term's `since` for a replacement, else on the day of the write (UTC). The
  service (core.groups.lifecycle.end_term) no longer inserts the term: it only sets `ends_on`.
  A term deleted with its group (ON DELETE CASCADE) is not written: the group's history goes
  with it.
- comments -> comment_revisions: a change of a comment's body inserts the body it replaced,
  dated at the new `edited_at` (or the database's clock when the writer left it). The service
  (core.comments.services.edit) no longer inserts it.
- meetings -> sequence and meeting_changes: a change of a meeting's calendar fields (the fields
  `meetingUpdate` takes, and `cancelled_at`) raises `sequence` by one when the write did not
  raise it itself, and inserts the `meeting_changes` row: its kind (CANCELLED when
  `cancelled_at` was set, MOVED when a time changed, else CHANGED), the fields changed (their
  GraphQL names, as core.meetings.history wrote them), the times before and after, the sequence
  after, when. Lowering `sequence` is refused (`ck_meetings_sequence_kept`: calendar clients keep
  the highest SEQUENCE they saw). Why the database writes the row rather than refusing a change
  without it: the history row cannot be checked by a trigger on `meetings` (the row comes after
  the update, and SQLite has no deferred triggers), and a refusal would break every writer that
  changes a meeting in SQL; so the database writes what it knows, and the service adds what it
  cannot know, who changed it and why (`actor_id`, `reason`, an UPDATE of the row the trigger
  wrote) and the activity event. A meeting's SCHEDULED entry is still written by the service
  (core.meetings.history.scheduled), which the demo dates in 2013.

Rules:

- priority_areas: proposed (inserted, or moved to another group or organisation) only by a member
  organisation or an anchor of its group (`proposed_by_member`: NOT_A_MEMBER); the meeting of its
  outcome is one of its group's (`meeting_of_group`: MEETING_OF_ANOTHER_GROUP). Comments already
  keep their meeting's group (core_0010); no other table refers to both a meeting and a group.
- registrations: a registration that takes a place or joins the waitlist (REGISTERED or
  WAITLISTED inserted, or a cancelled registration coming back) does so inside the meeting's
  registration window: not before `registration_opens_at` (`registration_open`:
  REGISTRATION_NOT_OPEN) and not from `registration_closes_at` on (`registration_not_closed`:
  REGISTRATION_CLOSED). The registration's own `queued_at` is compared (as core_0013 compares
  a position's `taken_at`), not the database's clock, so a history can be loaded. Promotions
  from the waitlist and the admission of pre-registrations are not new registrations and are not
  checked (a place freed after the window closed still goes to the head of the waitlist).

Existing rows are not checked: the triggers judge new writes only.

Revision ID: core_0014
Revises: core_0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0014"
down_revision: str | Sequence[str] | None = "core_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CALENDAR = (
    ("agenda", "agenda"),
    ("cancelled_at", "cancelledAt"),
    ("capacity", "capacity"),
    ("ends_at", "endsAt"),
    ("is_summit", "isSummit"),
    ("kind", "kind"),
    ("location", "location"),
    ("online_url", "onlineUrl"),
    ("registration_closes_at", "registrationClosesAt"),
    ("registration_opens_at", "registrationOpensAt"),
    ("starts_at", "startsAt"),
    ("timezone", "timezone"),
    ("title", "title"),
)
"""A meeting's calendar fields (column, GraphQL name), in the order core.meetings.history lists
them (sorted by column)."""
COLUMNS = ", ".join(column for column, _ in CALENDAR)
DIFFERS = "NEW.{c} IS NOT OLD.{c}"
CHANGED = " OR ".join(DIFFERS.format(c=column) for column, _ in CALENDAR)
FIELDS = (
    "substr("
    + " || ".join(
        f"(CASE WHEN {DIFFERS.format(c=column)} THEN ',{name}' ELSE '' END)"
        for column, name in CALENDAR
    )
    + ", 2)"
)
KIND = (
    "(CASE WHEN OLD.cancelled_at IS NULL AND NEW.cancelled_at IS NOT NULL THEN 'CANCELLED' "
    "WHEN NEW.starts_at IS NOT OLD.starts_at OR NEW.ends_at IS NOT OLD.ends_at THEN 'MOVED' "
    "ELSE 'CHANGED' END)"
)
TERM_TAKEN = (
    "NEW.organization_id <> OLD.organization_id OR NEW.role <> OLD.role "
    "OR NEW.group_id <> OLD.group_id"
)
MEMBER = """(EXISTS (SELECT 1 FROM memberships AS m
        WHERE m.group_id = NEW.group_id AND m.organization_id = NEW.proposed_by_organization_id
        AND m.role = 'MEMBER')
      OR EXISTS (SELECT 1 FROM anchors AS a
        WHERE a.group_id = NEW.group_id AND a.organization_id = NEW.proposed_by_organization_id))"""
MEETING_OF_GROUP = (
    "(NEW.meeting_id IS NULL OR EXISTS (SELECT 1 FROM meetings AS mt "
    "WHERE mt.id = NEW.meeting_id AND mt.group_id = NEW.group_id))"
)
PROPOSER_CHANGED = (
    "NEW.proposed_by_organization_id <> OLD.proposed_by_organization_id "
    "OR NEW.group_id <> OLD.group_id"
)
MEETING_CHANGED = "NEW.meeting_id IS NOT OLD.meeting_id OR NEW.group_id <> OLD.group_id"
JOINS = "NEW.status IN ('REGISTERED', 'WAITLISTED')"
COMES_BACK = f"OLD.status = 'CANCELLED' AND {JOINS}"
EARLY = "mt.registration_opens_at IS NOT NULL AND NEW.queued_at < mt.registration_opens_at"
LATE = "mt.registration_closes_at IS NOT NULL AND NEW.queued_at >= mt.registration_closes_at"

# --- SQLite --------------------------------------------------------------------------------------

NOW_SQLITE = "(strftime('%Y-%m-%d %H:%M:%S', 'now') || substr(strftime('%f', 'now'), 3) || '000')"
"""The database's clock as the text UTCDateTime stores on SQLite (microseconds)."""
TODAY_SQLITE = "date('now')"


def _refuse(name: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"


def _sqlite(trigger: str, event: str, table: str, when: str, name: str) -> str:
    return f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} WHEN {when} {_refuse(name)}"


def _term(ended_on: str) -> str:
    return (
        "INSERT INTO anchor_terms (group_id, organization_id, organization_kind, role, "
        "started_on, ended_on, source) SELECT OLD.group_id, OLD.organization_id, "
        f"OLD.organization_kind, OLD.role, OLD.since, {ended_on}, OLD.source "
        "WHERE EXISTS (SELECT 1 FROM working_groups WHERE id = OLD.group_id);"
    )


def _window(trigger: str, event: str, when: str, late: bool) -> str:
    test = LATE if late else EARLY
    name = "registration_not_closed" if late else "registration_open"
    return _sqlite(
        trigger,
        event,
        "registrations",
        f"{when} AND EXISTS (SELECT 1 FROM meetings AS mt WHERE mt.id = NEW.meeting_id AND {test})",
        f"ck_registrations_{name}",
    )


SQLITE_TRIGGERS = {
    # history
    "anchors_term_ended_delete": f"""CREATE TRIGGER anchors_term_ended_delete
    AFTER DELETE ON anchors BEGIN {_term(f"coalesce(OLD.ends_on, {TODAY_SQLITE})")} END""",
    "anchors_term_ended_update": f"""CREATE TRIGGER anchors_term_ended_update
    AFTER UPDATE OF organization_id, role, group_id ON anchors WHEN {TERM_TAKEN}
    BEGIN {_term(f"coalesce(NEW.since, {TODAY_SQLITE})")} END""",
    "comments_revision_kept": f"""CREATE TRIGGER comments_revision_kept
    AFTER UPDATE OF body ON comments WHEN NEW.body IS NOT OLD.body
    BEGIN INSERT INTO comment_revisions (comment_id, body, edited_at)
      VALUES (OLD.id, OLD.body, coalesce(NEW.edited_at, {NOW_SQLITE})); END""",
    "meetings_sequence_kept": _sqlite(
        "meetings_sequence_kept",
        "UPDATE OF sequence",
        "meetings",
        "NEW.sequence < OLD.sequence",
        "ck_meetings_sequence_kept",
    ),
    # SQLite's triggers cannot change NEW: the sequence is raised by a second UPDATE (recursive
    # triggers are off, and `sequence` is not a calendar field), then the history row is written
    "meetings_changed": f"""CREATE TRIGGER meetings_changed
    AFTER UPDATE OF {COLUMNS} ON meetings WHEN {CHANGED}
    BEGIN
      UPDATE meetings SET sequence = OLD.sequence + 1
        WHERE id = NEW.id AND NEW.sequence <= OLD.sequence;
      INSERT INTO meeting_changes (meeting_id, kind, at, actor_id, fields, reason,
        old_starts_at, old_ends_at, new_starts_at, new_ends_at, sequence)
      VALUES (NEW.id, {KIND}, {NOW_SQLITE}, NULL, {FIELDS}, '', OLD.starts_at, OLD.ends_at,
        NEW.starts_at, NEW.ends_at, max(NEW.sequence, OLD.sequence + 1));
    END""",
    # priority_areas (core_0013's born_proposed refuses any other status: these exclude it)
    "priority_areas_proposed_by_member_insert": _sqlite(
        "priority_areas_proposed_by_member_insert",
        "INSERT",
        "priority_areas",
        f"NEW.status = 'PROPOSED' AND NOT {MEMBER}",
        "ck_priority_areas_proposed_by_member",
    ),
    "priority_areas_proposed_by_member_update": _sqlite(
        "priority_areas_proposed_by_member_update",
        "UPDATE OF proposed_by_organization_id, group_id",
        "priority_areas",
        f"({PROPOSER_CHANGED}) AND NOT {MEMBER}",
        "ck_priority_areas_proposed_by_member",
    ),
    "priority_areas_meeting_of_group_insert": _sqlite(
        "priority_areas_meeting_of_group_insert",
        "INSERT",
        "priority_areas",
        f"NEW.status = 'PROPOSED' AND {MEMBER} AND NOT {MEETING_OF_GROUP}",
        "ck_priority_areas_meeting_of_group",
    ),
    "priority_areas_meeting_of_group_update": _sqlite(
        "priority_areas_meeting_of_group_update",
        "UPDATE OF meeting_id, group_id, proposed_by_organization_id",
        "priority_areas",
        f"({MEETING_CHANGED}) AND NOT ({PROPOSER_CHANGED} AND NOT {MEMBER}) "
        f"AND NOT {MEETING_OF_GROUP}",
        "ck_priority_areas_meeting_of_group",
    ),
    # registrations (core_0013's triggers judge other statuses: these exclude them)
    "registrations_window_open_insert": _window(
        "registrations_window_open_insert", "INSERT", JOINS, late=False
    ),
    "registrations_window_closed_insert": _window(
        "registrations_window_closed_insert", "INSERT", JOINS, late=True
    ),
    "registrations_window_open_update": _window(
        "registrations_window_open_update", "UPDATE OF status", COMES_BACK, late=False
    ),
    "registrations_window_closed_update": _window(
        "registrations_window_closed_update", "UPDATE OF status", COMES_BACK, late=True
    ),
}

# --- PostgreSQL ----------------------------------------------------------------------------------


def _raise(message: str, name: str) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation', CONSTRAINT = '{name}'"


def _distinct(sql: str) -> str:
    return sql.replace(" IS NOT ", " IS DISTINCT FROM ")


TODAY_PG = "(now() AT TIME ZONE 'UTC')::date"

POSTGRESQL_FUNCTIONS = {
    "anchors_term_ended": f"""
    BEGIN
      IF TG_OP = 'DELETE' THEN
        {_term(f"coalesce(OLD.ends_on, {TODAY_PG})")}
        RETURN OLD;
      END IF;
      IF {TERM_TAKEN} THEN
        {_term(f"coalesce(NEW.since, {TODAY_PG})")}
      END IF;
      RETURN NEW;
    END""",
    "comments_revision_kept": """
    BEGIN
      IF NEW.body IS DISTINCT FROM OLD.body THEN
        INSERT INTO comment_revisions (comment_id, body, edited_at)
          VALUES (OLD.id, OLD.body, coalesce(NEW.edited_at, now()));
      END IF;
      RETURN NEW;
    END""",
    "meetings_sequence": f"""
    BEGIN
      IF NEW.sequence < OLD.sequence THEN
        {_raise("a meeting''s sequence never goes down", "ck_meetings_sequence_kept")};
      END IF;
      IF ({_distinct(CHANGED)}) AND NEW.sequence <= OLD.sequence THEN
        NEW.sequence := OLD.sequence + 1;
      END IF;
      RETURN NEW;
    END""",
    "meetings_changed": f"""
    BEGIN
      IF {_distinct(CHANGED)} THEN
        INSERT INTO meeting_changes (meeting_id, kind, at, actor_id, fields, reason,
          old_starts_at, old_ends_at, new_starts_at, new_ends_at, sequence)
        VALUES (NEW.id, {_distinct(KIND)}, now(), NULL, {_distinct(FIELDS)}, '',
          OLD.starts_at, OLD.ends_at, NEW.starts_at, NEW.ends_at, NEW.sequence);
      END IF;
      RETURN NEW;
    END""",
    "priority_areas_rules": f"""
    BEGIN
      IF (TG_OP = 'INSERT' OR {PROPOSER_CHANGED}) AND NOT {MEMBER} THEN
        {
        _raise(
            "only the group''s member organisations and anchors propose priority areas",
            "ck_priority_areas_proposed_by_member",
        )
    };
      END IF;
      IF (TG_OP = 'INSERT' OR {_distinct(MEETING_CHANGED)}) AND NOT {MEETING_OF_GROUP} THEN
        {
        _raise(
            "the meeting is not one of the priority area''s group",
            "ck_priority_areas_meeting_of_group",
        )
    };
      END IF;
      RETURN NEW;
    END""",
    "registrations_window": f"""
    DECLARE mt record;
    BEGIN
      IF NOT {JOINS} OR TG_OP = 'UPDATE' AND OLD.status <> 'CANCELLED' THEN
        RETURN NEW;
      END IF;
      SELECT registration_opens_at, registration_closes_at INTO mt FROM meetings
        WHERE id = NEW.meeting_id;
      IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key refuses it
      END IF;
      IF {EARLY} THEN
        {_raise("registration has not opened", "ck_registrations_registration_open")};
      END IF;
      IF {LATE} THEN
        {_raise("registration has closed", "ck_registrations_registration_not_closed")};
      END IF;
      RETURN NEW;
    END""",
}
POSTGRESQL_TRIGGERS = {
    # trigger name: (BEFORE | AFTER, events, table, function)
    "anchors_term_ended": (
        "AFTER",
        "DELETE OR UPDATE OF organization_id, role, group_id",
        "anchors",
        None,
    ),
    "comments_revision_kept": ("AFTER", "UPDATE OF body", "comments", None),
    "meetings_sequence": ("BEFORE", f"UPDATE OF sequence, {COLUMNS}", "meetings", None),
    "meetings_changed": ("AFTER", f"UPDATE OF {COLUMNS}", "meetings", None),
    "priority_areas_rules": (
        "BEFORE",
        "INSERT OR UPDATE OF proposed_by_organization_id, group_id, meeting_id",
        "priority_areas",
        None,
    ),
    "registrations_window": ("BEFORE", "INSERT OR UPDATE OF status", "registrations", None),
}


def upgrade() -> None:
    op.add_column("anchors", sa.Column("ends_on", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        return
    for name, body in POSTGRESQL_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
    for name, (when, events, table, function) in POSTGRESQL_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function or name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, (_when, _events, table, _function) in POSTGRESQL_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    # (SQLite 3.35+ drops a column in place; a batch copy would trip core_0006's triggers)
    op.execute("ALTER TABLE anchors DROP COLUMN ends_on")
