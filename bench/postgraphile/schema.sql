-- What PostGraphile needs on top of the ogp-working-groups tables to serve the benchmark's pages:
-- the minimal SQL for the things it cannot derive from the tables themselves.
--
--   psql postgresql://postgres@127.0.0.1:5432/ogp_bench -v ON_ERROR_STOP=1 -f bench/postgraphile/schema.sql
--
-- Apply after the data are loaded (bench/run.py does it before starting PostGraphile); idempotent.
-- Nothing here is used by ogp-wg itself, and bench/postgraphile/drop.sql removes all of it.
--
-- PostGraphile 4 only turns a function into a computed column when it lives in the same schema as
-- the table (graphile-build-pg PgComputedColumnsPlugin: proc.namespaceId === table.namespaceId), so
-- the three computed columns are in `public`, named <table>_<field>; the mutation is in `bench_pg`.
-- memberCount needs no SQL: it is `memberships { totalCount }`, which PostGraphile computes itself.

BEGIN;

CREATE SCHEMA IF NOT EXISTS bench_pg;

-- Meeting.remainingPlaces: null when capacity is unlimited (as in ogp-wg). Inlinable (plain expression).
CREATE OR REPLACE FUNCTION public.meetings_remaining_places(m public.meetings)
RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN m.capacity IS NULL THEN NULL ELSE m.capacity - m.registered_count END
$$;
COMMENT ON FUNCTION public.meetings_remaining_places(public.meetings) IS
  'Places left (null: unlimited). Full meetings waitlist.';

-- WorkingGroup.upcomingMeetings: the group's meetings not yet ended ("upcoming: true" in ogp-wg),
-- earliest first. A one-statement SQL set-returning function, which PostgreSQL inlines, so the
-- caller's LIMIT and ORDER BY reach the (group_id, starts_at) index.
CREATE OR REPLACE FUNCTION public.working_groups_upcoming_meetings(w public.working_groups)
RETURNS SETOF public.meetings LANGUAGE sql STABLE AS $$
  SELECT m.* FROM public.meetings m
  WHERE m.group_id = w.id AND m.ends_at >= now()
  ORDER BY m.starts_at, m.id
$$;
COMMENT ON FUNCTION public.working_groups_upcoming_meetings(public.working_groups) IS
  'The group''s meetings that have not ended yet, earliest first.';

-- OpenBudgetIndex.sufficient: 61 or above (IBP), as the fiscal_openness plugin computes it.
CREATE OR REPLACE FUNCTION public.fiscal_openness_obs_scores_sufficient(s public.fiscal_openness_obs_scores)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT s.transparency_score >= 61
$$;

-- Mutation.register: the same rules as ogp-wg's registrationCreate (core/services/meetings.py):
-- lock the meeting row, refuse a meeting that has ended, take a place with a conditional UPDATE of
-- registered_count, REGISTERED if one was left, WAITLISTED otherwise. Failures raise (a GraphQL
-- error in PostGraphile) where ogp-wg returns userErrors; the benchmark only sends valid pairs.
CREATE OR REPLACE FUNCTION bench_pg.register(meeting_id integer, person_id integer)
RETURNS public.registrations LANGUAGE plpgsql VOLATILE STRICT AS $$
DECLARE
  meeting public.meetings;
  new_status text;
  result public.registrations;
BEGIN
  SELECT * INTO meeting FROM public.meetings m WHERE m.id = register.meeting_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no meeting with id %', register.meeting_id USING ERRCODE = 'P0002';
  END IF;
  IF meeting.ends_at <= now() THEN
    RAISE EXCEPTION 'the meeting is over' USING ERRCODE = '22023';
  END IF;
  PERFORM 1 FROM public.people p WHERE p.id = register.person_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no person with id %', register.person_id USING ERRCODE = 'P0002';
  END IF;
  UPDATE public.meetings m SET registered_count = m.registered_count + 1
  WHERE m.id = register.meeting_id AND (m.capacity IS NULL OR m.registered_count < m.capacity);
  new_status := CASE WHEN FOUND THEN 'REGISTERED' ELSE 'WAITLISTED' END;
  INSERT INTO public.registrations AS r (meeting_id, person_id, status, created_at)
  VALUES (register.meeting_id, register.person_id, new_status, now())
  RETURNING r.* INTO result;
  RETURN result;
END
$$;
COMMENT ON FUNCTION bench_pg.register(integer, integer) IS
  'Register a person; when the meeting is full, waitlist them.';

COMMIT;
