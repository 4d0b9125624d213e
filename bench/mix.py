"""The query mix front ends send: one stored document per page, with rotating variables read from
the database, and a check that two servers return the same data.

    python -m bench.mix --check --database-url URL --ours http://127.0.0.1:8000/graphql \
        --floor http://127.0.0.1:8100/graphql

Variables come from the data, not from constants, so the same mix runs on "pilot" and "large". They
are deterministic for a given database state and seed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from core.config import load_settings
from core.models import Country, Meeting, Person, Registration, WorkingGroup
from core.plugins import make_plugin_manager
from core.schema.ids import to_global_id

QUERIES = Path(__file__).parent / "queries"
PAGES = ("group_list", "group_page", "meeting_page", "country_page", "register")
SIGNED_IN_PAGES = ("meeting_page", "register")
"""Pages ours is sent as a signed-in staff member (bench.run, the gate): registering takes one,
and who registered for a meeting is hidden from anonymous readers."""
OPERATIONS = {
    "group_list": "GroupList",
    "group_page": "GroupPage",
    "meeting_page": "MeetingPage",
    "country_page": "CountryPage",
    "register": "Register",
}
BUSY = 100  # the meeting page shows meetings with at least this many registrations


def documents() -> dict[str, str]:
    """Page name -> GraphQL document text."""
    return {page: (QUERIES / f"{page}.graphql").read_text() for page in PAGES}


def body(
    page: str, variables: dict[str, Any], docs: dict[str, str] | None = None
) -> dict[str, Any]:
    """The POST body a front end sends for one page."""
    docs = docs or documents()
    return {"query": docs[page], "variables": variables, "operationName": OPERATIONS[page]}


def _rotate(values: list[Any], n: int, seed: int) -> list[Any]:
    """n values cycling through a seeded shuffle (so a short run still spans themes, sizes...)."""
    random.Random(seed).shuffle(values)
    return [values[i % len(values)] for i in range(n)] if values else []


async def variables(database_url: str, page: str, n: int, seed: int = 1) -> list[dict[str, Any]]:
    """n variable sets for `page`, read from the database at `database_url` (SQLAlchemy URL).

    register: (meeting, person) pairs not registered yet, all distinct, on meetings ending more than
    a day from now, so each one really creates a registration.
    """
    if page == "group_list":
        return [{} for _ in range(n)]
    themes = make_plugin_manager(load_settings(database_url=database_url)).enabled
    visible = (
        select(Meeting.id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(WorkingGroup.theme.in_(themes))
    )
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            if page == "group_page":
                stmt = select(WorkingGroup.slug).where(WorkingGroup.theme.in_(themes))
                slugs = list((await conn.execute(stmt.order_by(WorkingGroup.id))).scalars())
                return [{"slug": s} for s in _rotate(slugs, n, seed)]
            if page == "country_page":
                codes = list(
                    (await conn.execute(select(Country.alpha2).order_by(Country.id))).scalars()
                )
                return [{"code": c} for c in _rotate(codes, n, seed)]
            if page == "meeting_page":
                count = func.count().label("n")
                stmt = (
                    select(Registration.meeting_id, count)
                    .where(Registration.meeting_id.in_(visible))
                    .group_by(Registration.meeting_id)
                    .order_by(count.desc(), Registration.meeting_id)
                )
                rows = (await conn.execute(stmt)).all()
                # The "pilot" data has no meeting that busy: take its busiest ones instead.
                ids = sorted(r[0] for r in rows if r[1] >= BUSY) or [r[0] for r in rows[:20]]
                return [{"id": to_global_id("Meeting", pk)} for pk in _rotate(ids, n, seed)]
            if page == "register":
                cutoff = datetime.now(UTC) + timedelta(days=1)
                future = visible.where(Meeting.ends_at > cutoff).order_by(Meeting.id)
                meetings = list((await conn.execute(future)).scalars())
                people = list((await conn.execute(select(Person.id).order_by(Person.id))).scalars())
                stmt = select(Registration.meeting_id, Registration.person_id).where(
                    Registration.meeting_id.in_(future.order_by(None))
                )
                taken = {tuple(row) for row in (await conn.execute(stmt)).all()}
                return _pairs(meetings, people, taken, n, seed)
    finally:
        await engine.dispose()
    raise ValueError(f"unknown page {page!r}; pages: {', '.join(PAGES)}")


def _pairs(
    meetings: list[int], people: list[int], taken: set[tuple[int, int]], n: int, seed: int
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rng.shuffle(meetings)
    out: list[dict[str, Any]] = []
    full: set[int] = set()
    i = 0
    while len(out) < n and len(full) < len(meetings):
        meeting = meetings[i % len(meetings)]
        i += 1
        if meeting in full:
            continue
        for _ in range(50):  # a random person not on this meeting yet
            person = rng.choice(people)
            if (meeting, person) not in taken:
                taken.add((meeting, person))
                out.append(
                    {
                        "meetingId": to_global_id("Meeting", meeting),
                        "personId": to_global_id("Person", person),
                    }
                )
                break
        else:
            full.add(meeting)
    return out


# --- The check ----------------------------------------------------------------------------------


def canonical(value: Any) -> str:
    """Dict keys sorted, lists in their order: what "the same data" means here."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'ours' if key in a else 'floor'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} vs {b!r}"


async def _post(client: httpx.AsyncClient, url: str, payload: dict[str, Any]) -> Any:
    response = await client.post(url, json=payload)
    response.raise_for_status()
    return response.json()


async def check(database_url: str, ours: str, floor: str, samples: int) -> bool:
    docs = documents()
    ok = True
    async with httpx.AsyncClient(timeout=60) as client:
        for page in PAGES[:-1]:
            sets = await variables(database_url, page, samples)
            same = 0
            for variables_ in sets:
                payload = body(page, variables_, docs)
                a, b = await _post(client, ours, payload), await _post(client, floor, payload)
                diff = "ours returned errors" if "errors" in a else first_difference(a, b)
                if diff is None and canonical(a) == canonical(b):
                    same += 1
                else:
                    ok = False
                    print(f"  {page} {json.dumps(variables_)}: {diff}")
            size = len(canonical(a)) if sets else 0
            print(f"{page:<13} {same}/{len(sets)} identical (last response {size:,} chars)")
        ok = await _check_register(client, database_url, ours, floor, samples, docs) and ok
    return ok


async def _check_register(
    client: httpx.AsyncClient,
    database_url: str,
    ours: str,
    floor: str,
    samples: int,
    docs: dict[str, str],
) -> bool:
    """Different pairs on each server (a pair registers once); same shape, a valid status, and
    the same DUPLICATE_REGISTRATION answer when a pair is sent again."""
    pairs = await variables(database_url, "register", 2 * samples)
    statuses: dict[str, list[str]] = {"ours": [], "floor": []}
    ok = True
    for i, pair in enumerate(pairs):
        name, url = ("ours", ours) if i % 2 == 0 else ("floor", floor)
        first = await _post(client, url, body("register", pair, docs))
        again = await _post(client, url, body("register", pair, docs))
        created = first.get("data", {}).get("registrationCreate", {})
        status = (created.get("registration") or {}).get("status")
        duplicate = {"registration": None, "userErrors": [{"code": "DUPLICATE_REGISTRATION"}]}
        if (
            "errors" in first
            or created.get("userErrors") != []
            or status not in ("REGISTERED", "WAITLISTED")
            or again != {"data": {"registrationCreate": duplicate}}
        ):
            ok = False
            print(f"  register on {name} {json.dumps(pair)}: {first} then {again}")
        statuses[name].append(str(status))
    for name, got in statuses.items():
        print(f"register      {name}: {', '.join(got)}; repeat -> DUPLICATE_REGISTRATION")
    return ok


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.mix", description=__doc__)
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL of the data")
    parser.add_argument("--check", action="store_true", help="compare two servers' answers")
    parser.add_argument("--ours", default="http://127.0.0.1:8000/graphql")
    parser.add_argument("--floor", default="http://127.0.0.1:8100/graphql")
    parser.add_argument("--samples", type=int, default=5, help="variable sets per page")
    parser.add_argument("--page", choices=PAGES, help="without --check: print n variable sets")
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args(argv)
    if args.check:
        ok = asyncio.run(check(args.database_url, args.ours, args.floor, args.samples))
        print("check: same data" if ok else "check: DIFFERENT")
        sys.exit(0 if ok else 1)
    for page in [args.page] if args.page else PAGES:
        for v in asyncio.run(variables(args.database_url, page, args.n)):
            print(page, json.dumps(v))


if __name__ == "__main__":
    main()
