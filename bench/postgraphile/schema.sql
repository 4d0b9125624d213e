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
-- the computed columns are in `public`, named <table>_<field>; the mutation is in `bench_pg`.
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

-- The country page: what the plugins' Country fields compute (PostGraphile sees only the tables).
-- Composite types stand for our nested score objects; recreated (with their functions) each time.
DROP TYPE IF EXISTS public.bench_score CASCADE;
DROP TYPE IF EXISTS public.bench_charter_adoption CASCADE;
DROP TYPE IF EXISTS public.bench_rti_category_score CASCADE;
CREATE TYPE public.bench_score AS (score double precision);
CREATE TYPE public.bench_charter_adoption AS (adopted_on date, level text);
CREATE TYPE public.bench_rti_category_score AS (category text, score double precision);

-- Country.openBudgetSurvey (no edition): the country's latest Open Budget Survey.
CREATE OR REPLACE FUNCTION public.countries_open_budget_survey(c public.countries)
RETURNS public.fiscal_openness_surveys LANGUAGE sql STABLE AS $$
  SELECT s.* FROM public.fiscal_openness_surveys s WHERE s.country_id = c.id
  ORDER BY s.edition DESC LIMIT 1
$$;

-- OpenBudgetSurvey.transparency / participation / oversight { score }: null when not scored.
CREATE OR REPLACE FUNCTION public.fiscal_openness_surveys_transparency(s public.fiscal_openness_surveys)
RETURNS public.bench_score LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(s.transparency_score)::public.bench_score
$$;
CREATE OR REPLACE FUNCTION public.fiscal_openness_surveys_participation(s public.fiscal_openness_surveys)
RETURNS public.bench_score LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s.participation_score IS NULL THEN NULL
         ELSE ROW(s.participation_score)::public.bench_score END
$$;
CREATE OR REPLACE FUNCTION public.fiscal_openness_surveys_oversight(s public.fiscal_openness_surveys)
RETURNS public.bench_score LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s.oversight_score IS NULL THEN NULL
         ELSE ROW(s.oversight_score)::public.bench_score END
$$;

-- OpenBudgetSurvey.sufficientTransparency: 61 or above (IBP), as the fiscal_openness plugin computes it.
CREATE OR REPLACE FUNCTION public.fiscal_openness_surveys_sufficient_transparency(s public.fiscal_openness_surveys)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT s.transparency_score >= 61
$$;

-- OpenBudgetSurvey.transparencyLevel: IBP's band of the transparency score.
CREATE OR REPLACE FUNCTION public.fiscal_openness_surveys_transparency_level(s public.fiscal_openness_surveys)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s.transparency_score > 80 THEN 'EXTENSIVE'
    WHEN s.transparency_score > 60 THEN 'SUBSTANTIAL' WHEN s.transparency_score > 40 THEN 'LIMITED'
    WHEN s.transparency_score > 20 THEN 'MINIMAL' ELSE 'SCANT_OR_NONE' END
$$;

-- Country.budgetDocuments: latest fiscal year first, then in the order of the budget cycle.
CREATE OR REPLACE FUNCTION public.countries_budget_documents(c public.countries)
RETURNS SETOF public.fiscal_openness_budget_docs LANGUAGE sql STABLE AS $$
  SELECT d.* FROM public.fiscal_openness_budget_docs d WHERE d.country_id = c.id
  ORDER BY d.fiscal_year DESC, array_position(ARRAY['PRE_BUDGET_STATEMENT',
    'EXECUTIVES_BUDGET_PROPOSAL', 'ENACTED_BUDGET', 'CITIZENS_BUDGET', 'IN_YEAR_REPORTS',
    'MID_YEAR_REVIEW', 'YEAR_END_REPORT', 'AUDIT_REPORT']::text[], d.kind::text)
$$;

-- Country.openDataCharter: the first adoption by any of its governments, NATIONAL when the
-- national government adopted it; null when none did.
CREATE OR REPLACE FUNCTION public.countries_open_data_charter(c public.countries)
RETURNS public.bench_charter_adoption LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN count(*) = 0 THEN NULL ELSE ROW(min(a.adopted_on),
    CASE WHEN bool_or(a.level = 'NATIONAL') THEN 'NATIONAL' ELSE 'SUBNATIONAL' END
  )::public.bench_charter_adoption END
  FROM public.open_data_charter_adopters a WHERE a.country_id = c.id
$$;

-- Legislature.houses: its chambers, UNICAMERAL or LOWER then UPPER.
CREATE OR REPLACE FUNCTION public.open_parliaments_legislatures_houses(l public.open_parliaments_legislatures)
RETURNS SETOF public.open_parliaments_chambers LANGUAGE sql STABLE AS $$
  SELECT h.* FROM public.open_parliaments_chambers h WHERE h.legislature_id = l.id
  ORDER BY array_position(ARRAY['UNICAMERAL', 'LOWER', 'UPPER']::text[], h.kind::text)
$$;

-- ParliamentaryChamber.opennessIndicators: in the order of the indicator enumeration.
CREATE OR REPLACE FUNCTION public.open_parliaments_chambers_openness_indicators(h public.open_parliaments_chambers)
RETURNS SETOF public.open_parliaments_openness_indicators LANGUAGE sql STABLE AS $$
  SELECT i.* FROM public.open_parliaments_openness_indicators i WHERE i.chamber_id = h.id
  ORDER BY array_position(ARRAY['VOTES_PUBLISHED', 'BILLS_AND_AMENDMENTS_ONLINE',
    'PLENARY_RECORDS', 'COMMITTEE_RECORDS', 'OPEN_SESSIONS', 'MACHINE_READABLE_DATA',
    'API']::text[], i.indicator::text)
$$;

-- RightToInformationLaw.rating: the latest edition of the law's RTI Rating.
CREATE OR REPLACE FUNCTION public.access_to_info_rti_laws_rating(t public.access_to_info_rti_laws)
RETURNS public.access_to_info_rti_ratings LANGUAGE sql STABLE AS $$
  SELECT r.* FROM public.access_to_info_rti_ratings r WHERE r.law_id = t.id
  ORDER BY r.edition DESC LIMIT 1
$$;

-- RtiRating.edition is a String in ogp-wg (Assessment.edition): the year as text.
CREATE OR REPLACE FUNCTION public.access_to_info_rti_ratings_edition_label(r public.access_to_info_rti_ratings)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT r.edition::text
$$;

-- RtiRating.categories: the seven categories' points, in the methodology's order.
CREATE OR REPLACE FUNCTION public.access_to_info_rti_ratings_categories(r public.access_to_info_rti_ratings)
RETURNS SETOF public.bench_rti_category_score LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(v.category, v.score)::public.bench_rti_category_score FROM (VALUES
    (1, 'RIGHT_OF_ACCESS', r.right_of_access), (2, 'SCOPE', r.scope),
    (3, 'REQUESTING_PROCEDURES', r.requesting_procedures),
    (4, 'EXCEPTIONS_AND_REFUSALS', r.exceptions_and_refusals), (5, 'APPEALS', r.appeals),
    (6, 'SANCTIONS_AND_PROTECTIONS', r.sanctions_and_protections),
    (7, 'PROMOTIONAL_MEASURES', r.promotional_measures)) AS v(n, category, score)
  ORDER BY v.n
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
  INSERT INTO public.registrations AS r (meeting_id, person_id, status, created_at, queued_at)
  VALUES (register.meeting_id, register.person_id, new_status, now(), now())
  RETURNING r.* INTO result;
  RETURN result;
END
$$;
COMMENT ON FUNCTION bench_pg.register(integer, integer) IS
  'Register a person; when the meeting is full, waitlist them.';

COMMIT;
