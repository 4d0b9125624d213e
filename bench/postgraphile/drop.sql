-- Undo bench/postgraphile/schema.sql.
BEGIN;
DROP SCHEMA IF EXISTS bench_pg CASCADE;
DROP FUNCTION IF EXISTS public.meetings_remaining_places(public.meetings);
DROP FUNCTION IF EXISTS public.working_groups_upcoming_meetings(public.working_groups);
DROP FUNCTION IF EXISTS public.countries_open_budget_survey(public.countries);
DROP FUNCTION IF EXISTS public.fiscal_openness_surveys_sufficient_transparency(public.fiscal_openness_surveys);
DROP FUNCTION IF EXISTS public.fiscal_openness_surveys_transparency_level(public.fiscal_openness_surveys);
DROP FUNCTION IF EXISTS public.countries_budget_documents(public.countries);
DROP FUNCTION IF EXISTS public.open_parliaments_legislatures_houses(public.open_parliaments_legislatures);
DROP FUNCTION IF EXISTS public.open_parliaments_chambers_openness_indicators(public.open_parliaments_chambers);
DROP FUNCTION IF EXISTS public.access_to_info_rti_laws_rating(public.access_to_info_rti_laws);
DROP FUNCTION IF EXISTS public.access_to_info_rti_ratings_edition_label(public.access_to_info_rti_ratings);
-- the composite types, with the functions returning them (transparency, participation,
-- oversight, countries_open_data_charter, access_to_info_rti_ratings_categories)
DROP TYPE IF EXISTS public.bench_score CASCADE;
DROP TYPE IF EXISTS public.bench_charter_adoption CASCADE;
DROP TYPE IF EXISTS public.bench_rti_category_score CASCADE;
-- left by earlier versions of schema.sql (the old fiscal_openness_obs_scores table)
DO $$ BEGIN
  IF to_regclass('public.fiscal_openness_obs_scores') IS NOT NULL THEN
    DROP FUNCTION IF EXISTS public.fiscal_openness_obs_scores_sufficient(public.fiscal_openness_obs_scores);
  END IF;
END $$;
COMMIT;
