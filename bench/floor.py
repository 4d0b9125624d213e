"""The floor: the five bench documents served by Starlette + asyncpg with the best SQL we know,
and no ORM or GraphQL library. It bounds what any server on this stack could reach.

    python -m bench.floor --database-url postgresql://postgres@127.0.0.1:5432/ogp_bench --port 8100

Each read page is ONE statement: PostgreSQL builds the whole `data` object (json_build_object /
json_agg) and the floor passes the text through. The mutation takes the meeting row lock, then one
statement checks for a duplicate, takes a place with a conditional UPDATE and writes the row;
its small answer is serialised with orjson. Answers equal our server's for these documents under
the default configuration (all five plugins); `python -m bench.mix --check` proves it.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

THEMES = ["access_to_info", "extractives", "fiscal_openness", "open_data", "open_parliaments"]
OPERATIONS = {
    "GroupList": "group_list",
    "GroupPage": "group_page",
    "MeetingPage": "meeting_page",
    "CountryPage": "country_page",
    "Register": "register",
}


def _gid(type_name: str, column: str) -> str:
    """SQL for our global ID: unpadded base64url of '<Type>:<pk>'."""
    return (
        f"rtrim(translate(encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64'), "
        "'+/', '-_'), '=')"
    )


def _pk(global_id: Any, type_name: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, TypeError, ValueError):
        return None
    name, _, pk = raw.partition(":")
    return int(pk) if name == type_name and pk.isdigit() else None


def _country(alias: str, with_name: bool = True) -> str:
    """A nullable country object (an organisation may have none)."""
    pairs = f"'code', {alias}.alpha2" + (f", 'name', {alias}.name" if with_name else "")
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_build_object({pairs}) END"


ANCHORS = f"""(
  SELECT coalesce(json_agg(json_build_object(
    'role', a.role,
    'organization', json_build_object('name', o.name, 'kind', o.kind, 'country', {_country("c")})
  ) ORDER BY a.role), '[]')
  FROM anchors a JOIN organizations o ON o.id = a.organization_id
  LEFT JOIN countries c ON c.id = o.country_id
  WHERE a.group_id = g.id)"""

GROUP_LIST = f"""
SELECT json_build_object('workingGroups', json_build_object('nodes', coalesce(json_agg(
  json_build_object('id', {_gid("WorkingGroup", "g.id")}, 'slug', g.slug, 'name', g.name,
  'theme', g.theme, 'status', g.status,
  'memberCount', (SELECT count(*) FROM memberships ms WHERE ms.group_id = g.id),
  'anchors', {ANCHORS}
) ORDER BY g.name, g.id), '[]')))
FROM (SELECT * FROM working_groups WHERE theme = ANY($1::text[]) ORDER BY name, id LIMIT 50) g
"""

GROUP_PAGE = f"""
SELECT json_build_object('workingGroup', (
  SELECT json_build_object(
    'name', g.name, 'summary', g.summary, 'anchors', {ANCHORS},
    'meetings', json_build_object('nodes', (
      SELECT coalesce(json_agg(json_build_object(
        'id', {_gid("Meeting", "m.id")}, 'title', m.title, 'kind', m.kind,
        'startsAt', m.starts_at, 'endsAt', m.ends_at, 'timezone', m.timezone,
        'capacity', m.capacity, 'remainingPlaces', m.capacity - m.registered_count
      ) ORDER BY m.starts_at, m.id), '[]')
      FROM (SELECT * FROM meetings WHERE group_id = g.id AND ends_at >= now()
            ORDER BY starts_at, id LIMIT 20) m)))
  FROM working_groups g WHERE g.slug = $1 AND g.theme = ANY($2::text[])))
"""

MEETING_PAGE = f"""
SELECT json_build_object('node', (
  SELECT json_build_object(
    'id', {_gid("Meeting", "m.id")}, 'title', m.title, 'startsAt', m.starts_at,
    'capacity', m.capacity, 'remainingPlaces', m.capacity - m.registered_count,
    'registrations', json_build_object('nodes', (
      SELECT coalesce(json_agg(json_build_object(
        'status', r.status,
        'person', json_build_object('name', p.name, 'organization',
          CASE WHEN o.id IS NULL THEN NULL
          ELSE json_build_object('name', o.name, 'country', {_country("c", with_name=False)}) END)
      ) ORDER BY r.queued_at, r.id), '[]')
      FROM (SELECT id, status, person_id, queued_at FROM registrations WHERE meeting_id = m.id
            ORDER BY queued_at, id LIMIT 100) r
      JOIN people p ON p.id = r.person_id
      LEFT JOIN organizations o ON o.id = p.organization_id
      LEFT JOIN countries c ON c.id = o.country_id)))
  FROM meetings m JOIN working_groups g ON g.id = m.group_id
  WHERE m.id = $1 AND g.theme = ANY($2::text[])))
"""


def _float(expr: str) -> str:
    """SQL for a GraphQL Float as our server writes it (Python's repr: 55.0, 52.4): PostgreSQL's
    JSON would write a whole double or integer without the '.0'."""
    return (
        f"(CASE WHEN ({expr}) = trunc(({expr})::numeric) THEN round(({expr})::numeric, 1) "
        f"ELSE ({expr})::numeric END)"
    )


def _position(column: str, values: tuple[str, ...]) -> str:
    """SQL: the value's position in a plugin enumeration (the order our server lists them in)."""
    return f"array_position(ARRAY[{', '.join(repr(v) for v in values)}]::text[], {column}::text)"


BUDGET_DOC_KINDS = ("PRE_BUDGET_STATEMENT", "EXECUTIVES_BUDGET_PROPOSAL", "ENACTED_BUDGET",
                    "CITIZENS_BUDGET", "IN_YEAR_REPORTS", "MID_YEAR_REVIEW", "YEAR_END_REPORT",
                    "AUDIT_REPORT")  # fmt: skip
CHAMBER_KINDS = ("UNICAMERAL", "LOWER", "UPPER")
OPENNESS_INDICATORS = (
    "VOTES_PUBLISHED",
    "BILLS_AND_AMENDMENTS_ONLINE",
    "PLENARY_RECORDS",
    "COMMITTEE_RECORDS",
    "OPEN_SESSIONS",
    "MACHINE_READABLE_DATA",
    "API",
)
RTI_CATEGORIES = (  # (GraphQL name, column), in the RTI Rating's order
    ("RIGHT_OF_ACCESS", "right_of_access"),
    ("SCOPE", "scope"),
    ("REQUESTING_PROCEDURES", "requesting_procedures"),
    ("EXCEPTIONS_AND_REFUSALS", "exceptions_and_refusals"),
    ("APPEALS", "appeals"),
    ("SANCTIONS_AND_PROTECTIONS", "sanctions_and_protections"),
    ("PROMOTIONAL_MEASURES", "promotional_measures"),
)


def _score(column: str) -> str:
    return (
        f"CASE WHEN s.{column} IS NULL THEN NULL "
        f"ELSE json_build_object('score', {_float('s.' + column)}) END"
    )


RTI_CATEGORY_SCORES = ", ".join(
    f"json_build_object('category', '{name}', 'score', {_float('r.' + column)})"
    for name, column in RTI_CATEGORIES
)

COUNTRY_PAGE = f"""
SELECT json_build_object('country', (
  SELECT json_build_object(
    'name', c.name, 'region', c.region,
    'organizations', (SELECT coalesce(json_agg(json_build_object('name', o.name, 'kind', o.kind)
                      ORDER BY o.name, o.id), '[]') FROM organizations o WHERE o.country_id = c.id),
    'openBudgetSurvey', (
      SELECT json_build_object(
        'edition', s.edition,
        'transparency', {_score("transparency_score")},
        'participation', {_score("participation_score")},
        'oversight', {_score("oversight_score")},
        'sufficientTransparency', s.transparency_score >= 61,
        'transparencyLevel', CASE WHEN s.transparency_score > 80 THEN 'EXTENSIVE'
          WHEN s.transparency_score > 60 THEN 'SUBSTANTIAL'
          WHEN s.transparency_score > 40 THEN 'LIMITED'
          WHEN s.transparency_score > 20 THEN 'MINIMAL' ELSE 'SCANT_OR_NONE' END)
      FROM fiscal_openness_surveys s WHERE s.country_id = c.id
      ORDER BY s.edition DESC LIMIT 1),
    'budgetDocuments', (
      SELECT coalesce(json_agg(json_build_object(
        'fiscalYear', d.fiscal_year, 'kind', d.kind, 'status', d.status,
        'publishedOn', d.published_on
      ) ORDER BY d.fiscal_year DESC, {_position("d.kind", BUDGET_DOC_KINDS)}), '[]')
      FROM fiscal_openness_budget_docs d WHERE d.country_id = c.id),
    'openDataCharter', (
      SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_build_object(
        'adoptedOn', min(a.adopted_on),
        'level', CASE WHEN bool_or(a.level = 'NATIONAL') THEN 'NATIONAL' ELSE 'SUBNATIONAL' END)
      END
      FROM open_data_charter_adopters a WHERE a.country_id = c.id),
    'dataPortals', (
      SELECT coalesce(json_agg(json_build_object(
        'name', p.name, 'platform', p.platform, 'datasetCount', p.dataset_count,
        'hasApi', p.has_api
      ) ORDER BY p.name, p.id), '[]')
      FROM open_data_portals p WHERE p.country_id = c.id),
    'odinScores', (
      SELECT coalesce(json_agg(json_build_object(
        'edition', s.edition, 'score', {_float("s.overall")},
        'coverage', {_float("s.coverage")}, 'openness', {_float("s.openness")}
      ) ORDER BY s.edition DESC), '[]')
      FROM open_data_odin_scores s WHERE s.country_id = c.id),
    'legislature', (
      SELECT json_build_object('name', l.name, 'chambers', l.chambers, 'houses', (
        SELECT coalesce(json_agg(json_build_object(
          'kind', h.kind, 'name', h.name, 'opennessIndicators', (
            SELECT coalesce(json_agg(json_build_object('indicator', i.indicator,
                                                       'status', i.status)
              ORDER BY {_position("i.indicator", OPENNESS_INDICATORS)}), '[]')
            FROM open_parliaments_openness_indicators i WHERE i.chamber_id = h.id)
        ) ORDER BY {_position("h.kind", CHAMBER_KINDS)}), '[]')
        FROM open_parliaments_chambers h WHERE h.legislature_id = l.id))
      FROM open_parliaments_legislatures l WHERE l.country_id = c.id),
    'eiti', (
      SELECT json_build_object('status', e.status, 'joinedOn', e.joined_on, 'validations', (
        SELECT coalesce(json_agg(json_build_object(
          'decidedOn', v.decided_on, 'score', {_float("v.overall_score")},
          'overallAssessment', v.overall_assessment
        ) ORDER BY v.decided_on DESC), '[]')
        FROM extractives_validations v WHERE v.country_id = e.country_id))
      FROM extractives_eiti_status e WHERE e.country_id = c.id),
    'rightToInformation', (
      SELECT json_build_object('name', t.name, 'yearAdopted', t.year_adopted, 'rating', (
        SELECT json_build_object(
          'edition', r.edition::text, 'score', {_float("r.total")},
          'categories', json_build_array({RTI_CATEGORY_SCORES}))
        FROM access_to_info_rti_ratings r WHERE r.law_id = t.id
        ORDER BY r.edition DESC LIMIT 1))
      FROM access_to_info_rti_laws t WHERE t.country_id = c.id))
  FROM countries c WHERE c.{{column}} = $1))
"""

LOCK_MEETING = """
SELECT m.ends_at, EXISTS (SELECT 1 FROM people WHERE id = $2) AS person_found
FROM meetings m JOIN working_groups g ON g.id = m.group_id
WHERE m.id = $1 AND g.theme = ANY($3::text[])
FOR UPDATE OF m
"""

# Runs with the meeting row locked, so no other registration of this meeting can interleave.
REGISTER = """
WITH existing AS (
  SELECT status FROM registrations WHERE meeting_id = $1 AND person_id = $2
), free AS (
  SELECT NOT EXISTS (SELECT 1 FROM existing WHERE status <> 'CANCELLED') AS ok
), took AS (
  UPDATE meetings SET registered_count = registered_count + 1
  WHERE id = $1 AND (capacity IS NULL OR registered_count < capacity) AND (SELECT ok FROM free)
  RETURNING id
), written AS (
  INSERT INTO registrations AS r (meeting_id, person_id, status, created_at, queued_at)
  SELECT $1, $2, CASE WHEN EXISTS (SELECT 1 FROM took) THEN 'REGISTERED' ELSE 'WAITLISTED' END,
         clock_timestamp(), clock_timestamp()
  WHERE (SELECT ok FROM free)
  ON CONFLICT (meeting_id, person_id)
  DO UPDATE SET status = EXCLUDED.status, queued_at = EXCLUDED.queued_at
  RETURNING r.status
)
SELECT (SELECT status FROM written) AS status
"""


def statements(page: str, variables: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The SQL (and arguments) the floor runs for one request; `bench.explain` explains these."""
    if page == "group_list":
        return [(GROUP_LIST, [THEMES])]
    if page == "group_page":
        return [(GROUP_PAGE, [variables["slug"], THEMES])]
    if page == "meeting_page":
        pk = _pk(variables["id"], "Meeting")
        return [] if pk is None else [(MEETING_PAGE, [pk, THEMES])]
    if page == "country_page":
        code = str(variables["code"]).strip().upper()
        column = "alpha2" if len(code) == 2 else "alpha3"
        return [(COUNTRY_PAGE.format(column=column), [code])]
    if page == "register":
        meeting = _pk(variables["meetingId"], "Meeting")
        person = _pk(variables["personId"], "Person")
        if meeting is None or person is None:
            return []
        return [(LOCK_MEETING, [meeting, person, THEMES]), (REGISTER, [meeting, person])]
    raise ValueError(f"unknown page {page!r}")


async def _read(pool: asyncpg.Pool, page: str, variables: dict[str, Any]) -> bytes:
    found = statements(page, variables)
    if not found:  # an ID that is not a Meeting's: the floor answers null (see README)
        return b'{"data":{"node":null}}'
    (sql, args), *_ = found
    text: str = await pool.fetchval(sql, *args)
    return b'{"data":' + text.encode() + b"}"


def _payload(status: str | None, error: str | None = None) -> bytes:
    result = {
        "registration": None if status is None else {"status": status},
        "userErrors": [] if error is None else [{"code": error}],
    }
    return orjson.dumps({"data": {"registrationCreate": result}})


async def _register(pool: asyncpg.Pool, variables: dict[str, Any]) -> bytes:
    found = statements("register", variables)
    if not found:
        return _payload(None, "NOT_FOUND")
    (lock, lock_args), (write, write_args) = found
    async with pool.acquire() as conn, conn.transaction():
        meeting = await conn.fetchrow(lock, *lock_args)
        if meeting is None or not meeting["person_found"]:
            return _payload(None, "NOT_FOUND")
        if meeting["ends_at"] <= datetime.now(UTC):
            return _payload(None, "MEETING_ENDED")
        status = await conn.fetchval(write, *write_args)
    return _payload(status) if status else _payload(None, "DUPLICATE_REGISTRATION")


def _page_of(payload: dict[str, Any]) -> str | None:
    name = payload.get("operationName")
    if not name:  # no operationName: the (single) operation named in the document
        match = re.search(r"\b(?:query|mutation)\s+(\w+)", payload.get("query") or "")
        name = match.group(1) if match else None
    return OPERATIONS.get(name or "")


def _error(message: str, status: int = 400) -> Response:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": "FLOOR"}}]})
    return Response(body, status_code=status, media_type="application/json")


def create_app(dsn: str) -> Starlette:
    state: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state["pool"] = await asyncpg.create_pool(
            dsn, min_size=2, max_size=10, server_settings={"timezone": "UTC"}
        )
        yield
        await state["pool"].close()

    async def graphql(request: Request) -> Response:
        try:
            payload = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _error("the body is not JSON")
        page = _page_of(payload)
        if page is None:
            return _error("the floor serves only the bench documents")
        variables = payload.get("variables") or {}
        try:
            if page == "register":
                body = await _register(state["pool"], variables)
            else:
                body = await _read(state["pool"], page, variables)
        except KeyError as exc:
            return _error(f"variable {exc} is missing")
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__)
    parser.add_argument("--database-url", required=True, help="postgresql:// (or +asyncpg) URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    dsn = args.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    uvicorn.run(
        create_app(dsn), host=args.host, port=args.port, workers=1, log_level="warning",
        access_log=False,
    )  # fmt: skip


if __name__ == "__main__":
    main()
