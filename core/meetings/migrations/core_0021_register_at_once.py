"""A registration's common case in one statement, on PostgreSQL (issue 12, section 4: the
registration mutation "with as few round trips as the rules allow").

`register_at_once(meeting_pk, person_pk, themes, now_at, channel, topic)` is `registrationCreate`
(core.meetings.registrations.register) for the case that needs no decision of Python's: it locks
the meeting (visible: its group's theme is one of `themes`), and when the meeting takes
registrations at `now_at` (not cancelled, not ended, its window open or a Summit meeting's not yet open, no
pre-registration waiting to be admitted), the person exists and has no registration for it, it
takes a place if one is left (REGISTERED, else WAITLISTED; PRE_REGISTERED and no place before a
Summit meeting's window opens), queues the registration `_after` the meeting's latest entry,
signals `topic` on `channel` (core.activity.bus) and returns the new row. In every other case it
returns no row and changes nothing: the caller then runs the whole rules in a transaction, which
answers why (NOT_FOUND, a refusal, DUPLICATE_REGISTRATION) or takes the rarer paths (a comeback
after cancelling, the admission of pre-registrations first).

Why a function: called outside a transaction, the call is its own transaction, one round trip
where the Python path takes five (BEGIN, lock, read and place, insert, COMMIT). Why not one plain
statement: under READ COMMITTED a statement's snapshot is taken before it waits for the lock, so
its reads could miss the registration of the transaction it waited for; a PL/pgSQL function takes
a new snapshot for each statement, after the lock. The same rules stay enforced by the database
either way (the CHECK on `registered_count`, the unique (meeting, person), core_0014's window
triggers). tests/test_register_at_once.py holds the function to the Python path on generated
meetings, people and registrations.

SQLite has no functions of this kind and no round trips to save (the database is in the process):
nothing is created there.

Revision ID: core_0021
Revises: core_0020
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0021"
down_revision: str | Sequence[str] | None = "core_0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARGUMENTS = "integer, integer, text[], timestamptz, text, text"
REGISTER_AT_ONCE = """
CREATE OR REPLACE FUNCTION register_at_once(
  meeting_pk integer, person_pk integer, themes text[], now_at timestamptz,
  channel text, topic text
) RETURNS SETOF registrations LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  m meetings;
  latest timestamptz;
  queued timestamptz;
  new_status varchar(32);
BEGIN
  SELECT meetings.* INTO m FROM meetings JOIN working_groups g ON g.id = meetings.group_id
  WHERE meetings.id = meeting_pk AND g.theme = ANY(themes) FOR UPDATE OF meetings;
  -- the rules judge the time the lock was got, as the Python rules do (they read the clock
  -- after it): the caller's time plus the wait for the lock
  now_at := now_at + (clock_timestamp() - statement_timestamp());
  -- (a comparison with a window's NULL end is NULL: that end refuses nothing)
  IF NOT FOUND
    OR m.cancelled_at IS NOT NULL
    OR m.ends_at <= now_at
    OR (m.registration_closes_at IS NOT NULL AND now_at >= m.registration_closes_at)
    OR (now_at < m.registration_opens_at AND NOT m.is_summit)
    OR (now_at >= m.registration_opens_at AND EXISTS (
      SELECT FROM registrations r
      WHERE r.meeting_id = meeting_pk AND r.status = 'PRE_REGISTERED'))
    OR NOT EXISTS (SELECT FROM people p WHERE p.id = person_pk)
    OR EXISTS (
      SELECT FROM registrations r WHERE r.meeting_id = meeting_pk AND r.person_id = person_pk)
  THEN
    RETURN;  -- not the common case: the caller's transaction decides, and says why
  END IF;
  SELECT max(r.queued_at) INTO latest FROM registrations r WHERE r.meeting_id = meeting_pk;
  queued := CASE WHEN latest IS NULL OR now_at > latest THEN now_at
    ELSE latest + interval '1 microsecond' END;
  IF now_at < m.registration_opens_at THEN  -- a Summit meeting's: queued, no place yet
    new_status := 'PRE_REGISTERED';
  ELSIF m.capacity IS NULL OR m.registered_count < m.capacity THEN
    UPDATE meetings SET registered_count = registered_count + 1 WHERE id = meeting_pk;
    new_status := 'REGISTERED';
  ELSE
    new_status := 'WAITLISTED';
  END IF;
  PERFORM pg_notify(channel, topic);
  RETURN QUERY
    INSERT INTO registrations AS r (meeting_id, person_id, status, created_at, queued_at)
    VALUES (meeting_pk, person_pk, new_status, queued, queued)
    RETURNING r.*;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REGISTER_AT_ONCE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS register_at_once({ARGUMENTS})")
