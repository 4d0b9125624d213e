"""Issue 9's rules that were kept only in Python, now kept by the database too (SQLite and
PostgreSQL alike): "every rule lives in the database where it can".

A CHECK cannot look at another row, so each rule is a trigger. Each refuses a write with a
constraint name (`ck_<table>_<rule>`: SQLite's message "CHECK constraint failed: <name>",
PostgreSQL's `check_violation` with CONSTRAINT set), which the domains' CONSTRAINT_ERRORS map to
the same user error the Python check answers (the names are declared on the models'
`__table_args__` info, `trigger_checks`, so `core.transactions` accepts them):

- priority_area_positions: a position is taken (inserted) only on an area UNDER_DISCUSSION
  (`area_open`), strictly before its closing date (`before_closing`: the position's own
  `taken_at` is compared, not the database's clock, so a history can be loaded, and the
  application sets `taken_at` to now), by an organisation of the area's group's consensus body,
  a MEMBER or an anchor (`by_member`); a position is never rewritten: only superseded
  (`kept_as_taken`: area, organisation, stance, reason and time fixed; no current row again).
  On PostgreSQL the area's row is read FOR SHARE, so a position and the area's closing never
  interleave.
- priority_areas: born PROPOSED, then only PROPOSED -> UNDER_DISCUSSION -> AGREED | NOT_AGREED,
  and any status but ARCHIVED -> ARCHIVED (`allowed_transition`, core/priorities/services.py).
- registrations: PRE_REGISTERED only at a Summit meeting (`pre_registered_at_summit`); ATTENDED
  or NO_SHOW only once the meeting has started, by the database's clock
  (`attendance_after_start`), and only for a registration that had a place, REGISTERED (or
  attendance recorded before: a correction) (`attendance_with_place`). Checked when a row takes
  that status, so rows already holding it are left as they are.
- meeting_links: at most 20 per meeting (`limit`, core.meetings.lifecycle.MAX_LINKS; the
  meeting's row is locked on PostgreSQL, so two concurrent links cannot both be the 20th).
- activity_events: the verb is one of `VERBS` below, a copy of core.activity.services.VERBS as
  of this revision (`known_verb`); plugins record no activity and cannot add verbs, so a new verb
  is a core change that comes with a revision widening this list.
- group_decisions and working_groups: a recorded decision may allow a SECOND anchor of a role,
  not a third (issue 9: "let staff allow a second anchor of a role"; the Fiscal Openness group's
  two governments are the case the sources give): a new allowance above 2 is refused
  (`ck_group_decisions_allowance_range`, `ck_working_groups_anchor_allowance`, as core_0006
  named them). The CHECKs of core_0006 (1..3) stay: a database that already allows 3 keeps it.

Existing rows are not checked: the triggers judge new writes only, so the upgrade never fails on
data written before (an area agreed with positions, a registration of a meeting that is no
longer a Summit's...).

Revision ID: core_0013
Revises: core_0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0013"
down_revision: str | Sequence[str] | None = "core_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_LINKS = 20
MAX_ALLOWANCE = 2
VERBS = (
    "ANCHOR_CHANGED",
    "COMMENT_POSTED",
    "GROUP_DECISION",
    "GROUP_PROPOSED",
    "MEETING_CANCELLED",
    "MEETING_CHANGED",
    "MEETING_MOVED",
    "MEETING_SCHEDULED",
    "POSITION_TAKEN",
    "PRIORITY_AREA_AGREED",
    "PRIORITY_AREA_NOT_AGREED",
    "PRIORITY_AREA_OPENED",
    "PRIORITY_AREA_PROPOSED",
)
"""core.activity.services.VERBS as of this revision (tests/test_rules_in_database.py compares)."""
TRANSITIONS = {
    "PROPOSED": ("UNDER_DISCUSSION", "ARCHIVED"),
    "UNDER_DISCUSSION": ("AGREED", "NOT_AGREED", "ARCHIVED"),
    "AGREED": ("ARCHIVED",),
    "NOT_AGREED": ("ARCHIVED",),
}
"""A priority area's moves, as core/priorities/services.py makes them."""

PAIRS = " OR ".join(
    f"(OLD.status = '{a}' AND NEW.status = '{b}')" for a, tos in TRANSITIONS.items() for b in tos
)
KNOWN_VERB = f"NEW.verb IN ({', '.join(repr(v) for v in VERBS)})"
MEMBER = """(EXISTS (SELECT 1 FROM memberships AS m
        WHERE m.group_id = {g} AND m.organization_id = NEW.organization_id AND m.role = 'MEMBER')
      OR EXISTS (SELECT 1 FROM anchors AS a
        WHERE a.group_id = {g} AND a.organization_id = NEW.organization_id))"""
POSITION_FIXED = """(NEW.priority_area_id <> OLD.priority_area_id
      OR NEW.organization_id <> OLD.organization_id OR NEW.stance <> OLD.stance
      OR NEW.reason IS NOT OLD.reason OR NEW.taken_at <> OLD.taken_at
      OR (NEW.is_current AND NOT OLD.is_current))"""
BEFORE_CLOSING = "(closes_at IS NULL OR NEW.taken_at < closes_at)"
ATTENDANCE = "NEW.status IN ('ATTENDED', 'NO_SHOW')"
WITH_PLACE = "OLD.status IN ('REGISTERED', 'ATTENDED', 'NO_SHOW')"
CAP = (
    f"((NEW.max_government_anchors > {MAX_ALLOWANCE} AND NEW.max_government_anchors IS NOT "
    f"OLD.max_government_anchors) OR (NEW.max_civil_society_anchors > {MAX_ALLOWANCE} AND "
    "NEW.max_civil_society_anchors IS NOT OLD.max_civil_society_anchors))"
)
NEW_CAP = (
    f"(NEW.max_government_anchors > {MAX_ALLOWANCE} "
    f"OR NEW.max_civil_society_anchors > {MAX_ALLOWANCE})"
)


def _refuse(name: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"


def _sqlite(trigger: str, event: str, table: str, when: str, name: str) -> str:
    return f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} WHEN {when} {_refuse(name)}"


NOW_SQLITE = "strftime('%Y-%m-%d %H:%M:%f', 'now')"  # the text UTCDateTime stores on SQLite

SQLITE_TRIGGERS = {
    # SQLite runs a row's triggers in no order to rely on: the conditions of one table's triggers
    # exclude each other, in the order the services check (and PostgreSQL's functions test)
    # priority_area_positions
    "priority_area_positions_area_open": _sqlite(
        "priority_area_positions_area_open",
        "INSERT",
        "priority_area_positions",
        "NOT EXISTS (SELECT 1 FROM priority_areas WHERE id = NEW.priority_area_id "
        "AND status = 'UNDER_DISCUSSION')",
        "ck_priority_area_positions_area_open",
    ),
    "priority_area_positions_before_closing": _sqlite(
        "priority_area_positions_before_closing",
        "INSERT",
        "priority_area_positions",
        f"EXISTS (SELECT 1 FROM priority_areas WHERE id = NEW.priority_area_id "
        f"AND status = 'UNDER_DISCUSSION' AND NOT {BEFORE_CLOSING})",
        "ck_priority_area_positions_before_closing",
    ),
    "priority_area_positions_by_member": _sqlite(
        "priority_area_positions_by_member",
        "INSERT",
        "priority_area_positions",
        f"EXISTS (SELECT 1 FROM priority_areas WHERE id = NEW.priority_area_id "
        f"AND status = 'UNDER_DISCUSSION' AND {BEFORE_CLOSING}) AND NOT "
        + MEMBER.format(g="(SELECT group_id FROM priority_areas WHERE id = NEW.priority_area_id)"),
        "ck_priority_area_positions_by_member",
    ),
    "priority_area_positions_kept_as_taken": _sqlite(
        "priority_area_positions_kept_as_taken",
        "UPDATE OF priority_area_id, organization_id, stance, reason, taken_at, is_current",
        "priority_area_positions",
        POSITION_FIXED,
        "ck_priority_area_positions_kept_as_taken",
    ),
    # priority_areas
    "priority_areas_born_proposed": _sqlite(
        "priority_areas_born_proposed",
        "INSERT",
        "priority_areas",
        "NEW.status <> 'PROPOSED'",
        "ck_priority_areas_allowed_transition",
    ),
    "priority_areas_allowed_transition": _sqlite(
        "priority_areas_allowed_transition",
        "UPDATE OF status",
        "priority_areas",
        f"NEW.status <> OLD.status AND NOT ({PAIRS})",
        "ck_priority_areas_allowed_transition",
    ),
    # registrations
    "registrations_pre_registered_insert": _sqlite(
        "registrations_pre_registered_insert",
        "INSERT",
        "registrations",
        "NEW.status = 'PRE_REGISTERED' AND NOT EXISTS "
        "(SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND is_summit)",
        "ck_registrations_pre_registered_at_summit",
    ),
    "registrations_pre_registered_update": _sqlite(
        "registrations_pre_registered_update",
        "UPDATE OF status, meeting_id",
        "registrations",
        "NEW.status = 'PRE_REGISTERED' AND (OLD.status <> 'PRE_REGISTERED' "
        "OR NEW.meeting_id <> OLD.meeting_id) AND NOT EXISTS "
        "(SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND is_summit)",
        "ck_registrations_pre_registered_at_summit",
    ),
    "registrations_attendance_insert": _sqlite(
        "registrations_attendance_insert",
        "INSERT",
        "registrations",
        f"{ATTENDANCE} AND EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id "
        f"AND starts_at > {NOW_SQLITE})",
        "ck_registrations_attendance_after_start",
    ),
    "registrations_attendance_update": _sqlite(
        "registrations_attendance_update",
        "UPDATE OF status, meeting_id",
        "registrations",
        f"{ATTENDANCE} AND (NEW.status <> OLD.status OR NEW.meeting_id <> OLD.meeting_id) "
        f"AND EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id "
        f"AND starts_at > {NOW_SQLITE})",
        "ck_registrations_attendance_after_start",
    ),
    "registrations_attendance_with_place": _sqlite(
        "registrations_attendance_with_place",
        "UPDATE OF status",
        "registrations",
        f"{ATTENDANCE} AND NEW.status <> OLD.status AND NOT {WITH_PLACE} "
        f"AND NOT EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id "
        f"AND starts_at > {NOW_SQLITE})",
        "ck_registrations_attendance_with_place",
    ),
    # meeting_links
    "meeting_links_limit_insert": _sqlite(
        "meeting_links_limit_insert",
        "INSERT",
        "meeting_links",
        f"(SELECT count(*) FROM meeting_links WHERE meeting_id = NEW.meeting_id) >= {MAX_LINKS}",
        "ck_meeting_links_limit",
    ),
    "meeting_links_limit_update": _sqlite(
        "meeting_links_limit_update",
        "UPDATE OF meeting_id",
        "meeting_links",
        f"NEW.meeting_id <> OLD.meeting_id AND (SELECT count(*) FROM meeting_links "
        f"WHERE meeting_id = NEW.meeting_id) >= {MAX_LINKS}",
        "ck_meeting_links_limit",
    ),
    # activity_events
    "activity_events_known_verb_insert": _sqlite(
        "activity_events_known_verb_insert",
        "INSERT",
        "activity_events",
        f"NOT ({KNOWN_VERB})",
        "ck_activity_events_known_verb",
    ),
    "activity_events_known_verb_update": _sqlite(
        "activity_events_known_verb_update",
        "UPDATE OF verb",
        "activity_events",
        f"NOT ({KNOWN_VERB})",
        "ck_activity_events_known_verb",
    ),
    # the anchor allowance
    "group_decisions_allowance_cap_insert": _sqlite(
        "group_decisions_allowance_cap_insert",
        "INSERT",
        "group_decisions",
        NEW_CAP,
        "ck_group_decisions_allowance_range",
    ),
    "group_decisions_allowance_cap_update": _sqlite(
        "group_decisions_allowance_cap_update",
        "UPDATE OF max_government_anchors, max_civil_society_anchors",
        "group_decisions",
        CAP,
        "ck_group_decisions_allowance_range",
    ),
    "working_groups_allowance_cap": _sqlite(
        "working_groups_allowance_cap",
        "UPDATE OF max_government_anchors, max_civil_society_anchors",
        "working_groups",
        CAP,
        "ck_working_groups_anchor_allowance",
    ),
}


def _raise(message: str, name: str) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation', CONSTRAINT = '{name}'"


def _distinct(sql: str) -> str:
    return sql.replace(" IS NOT ", " IS DISTINCT FROM ")


POSTGRESQL_FUNCTIONS = {
    "priority_area_positions_guard": f"""
    DECLARE area record;
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF {_distinct(POSITION_FIXED)} THEN
          {
        _raise(
            "a position is never rewritten, only superseded",
            "ck_priority_area_positions_kept_as_taken",
        )
    };
        END IF;
        RETURN NEW;
      END IF;
      SELECT status, closes_at, group_id INTO area FROM priority_areas
        WHERE id = NEW.priority_area_id FOR SHARE;
      IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key refuses it
      END IF;
      IF area.status <> 'UNDER_DISCUSSION' THEN
        {
        _raise(
            "positions are taken while the area is UNDER_DISCUSSION",
            "ck_priority_area_positions_area_open",
        )
    };
      END IF;
      IF area.closes_at IS NOT NULL AND NEW.taken_at >= area.closes_at THEN
        {
        _raise(
            "the discussion closed before this position",
            "ck_priority_area_positions_before_closing",
        )
    };
      END IF;
      IF NOT {MEMBER.format(g="area.group_id")} THEN
        {
        _raise(
            "only the group''s member organisations and anchors take positions",
            "ck_priority_area_positions_by_member",
        )
    };
      END IF;
      RETURN NEW;
    END""",
    "priority_areas_transition": f"""
    BEGIN
      IF TG_OP = 'INSERT' AND NEW.status <> 'PROPOSED'
         OR TG_OP = 'UPDATE' AND NEW.status <> OLD.status AND NOT ({PAIRS}) THEN
        {
        _raise(
            "a priority area moves only along its allowed transitions",
            "ck_priority_areas_allowed_transition",
        )
    };
      END IF;
      RETURN NEW;
    END""",
    "registrations_guard": f"""
    DECLARE meeting record;
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.meeting_id = OLD.meeting_id
         OR NEW.status NOT IN ('PRE_REGISTERED', 'ATTENDED', 'NO_SHOW') THEN
        RETURN NEW;
      END IF;
      SELECT is_summit, starts_at INTO meeting FROM meetings WHERE id = NEW.meeting_id;
      IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key refuses it
      END IF;
      IF NEW.status = 'PRE_REGISTERED' AND NOT meeting.is_summit THEN
        {
        _raise(
            "pre-registration is for Summit meetings only",
            "ck_registrations_pre_registered_at_summit",
        )
    };
      END IF;
      IF {ATTENDANCE} AND meeting.starts_at > now() THEN
        {
        _raise(
            "attendance is recorded once the meeting has started",
            "ck_registrations_attendance_after_start",
        )
    };
      END IF;
      IF {ATTENDANCE} AND TG_OP = 'UPDATE' AND NEW.status <> OLD.status
         AND NOT {WITH_PLACE} THEN
        {
        _raise(
            "only a registration that had a place attends", "ck_registrations_attendance_with_place"
        )
    };
      END IF;
      RETURN NEW;
    END""",
    "meeting_links_limit": f"""
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.meeting_id = OLD.meeting_id THEN
        RETURN NEW;
      END IF;
      PERFORM 1 FROM meetings WHERE id = NEW.meeting_id FOR UPDATE;
      IF (SELECT count(*) FROM meeting_links WHERE meeting_id = NEW.meeting_id) >= {MAX_LINKS}
      THEN
        {_raise(f"a meeting carries at most {MAX_LINKS} links", "ck_meeting_links_limit")};
      END IF;
      RETURN NEW;
    END""",
    "activity_events_known_verb": f"""
    BEGIN
      IF NOT ({KNOWN_VERB}) THEN
        {_raise("unknown activity verb", "ck_activity_events_known_verb")};
      END IF;
      RETURN NEW;
    END""",
    "group_decisions_allowance_cap": f"""
    BEGIN
      IF TG_OP = 'INSERT' AND {NEW_CAP} OR TG_OP = 'UPDATE' AND {_distinct(CAP)} THEN
        {
        _raise(
            f"a decision allows at most {MAX_ALLOWANCE} current anchors of a role",
            "ck_group_decisions_allowance_range",
        )
    };
      END IF;
      RETURN NEW;
    END""",
    "working_groups_allowance_cap": f"""
    BEGIN
      IF {_distinct(CAP)} THEN
        {
        _raise(
            f"a group may have at most {MAX_ALLOWANCE} current anchors of a role",
            "ck_working_groups_anchor_allowance",
        )
    };
      END IF;
      RETURN NEW;
    END""",
}
POSTGRESQL_TRIGGERS = {
    # trigger name: (events, table, function)
    "priority_area_positions_guard": (
        "INSERT OR UPDATE",
        "priority_area_positions",
        "priority_area_positions_guard",
    ),
    "priority_areas_transition": (
        "INSERT OR UPDATE OF status",
        "priority_areas",
        "priority_areas_transition",
    ),
    "registrations_guard": ("INSERT OR UPDATE OF status, meeting_id", "registrations", None),
    "meeting_links_limit": ("INSERT OR UPDATE OF meeting_id", "meeting_links", None),
    "activity_events_known_verb": ("INSERT OR UPDATE OF verb", "activity_events", None),
    "group_decisions_allowance_cap": (
        "INSERT OR UPDATE OF max_government_anchors, max_civil_society_anchors",
        "group_decisions",
        None,
    ),
    "working_groups_allowance_cap": (
        "UPDATE OF max_government_anchors, max_civil_society_anchors",
        "working_groups",
        None,
    ),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        return
    for name, body in POSTGRESQL_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
    for name, (events, table, function) in POSTGRESQL_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function or name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    for name, (_events, table, _function) in POSTGRESQL_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for name in POSTGRESQL_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
