-- Undo bench/postgraphile/schema.sql.
BEGIN;
DROP SCHEMA IF EXISTS bench_pg CASCADE;
DROP FUNCTION IF EXISTS public.meetings_remaining_places(public.meetings);
DROP FUNCTION IF EXISTS public.working_groups_upcoming_meetings(public.working_groups);
DROP FUNCTION IF EXISTS public.fiscal_openness_obs_scores_sufficient(public.fiscal_openness_obs_scores);
COMMIT;
