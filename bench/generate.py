"""Benchmark data: `python -m bench.generate --scale pilot|large --database-url URL [--seed 1]`.

The target database is CLEARED first (PostgreSQL: the `public` schema is dropped; SQLite: the file
is deleted), migrated, then loaded. "pilot" is the demo data; "large" is the scale of issue 3 (80
countries, 2,000 organisations, 20,000 people, 50 groups, 5,000 meetings, 200,000 registrations and
every installed plugin's table). Everything is dated relative to FIXED_TODAY, not the clock, and
drawn from `random.Random(seed)`, so two runs give the same rows.

`--registrations N` (default 200,000) changes only the number of registrations at "large" scale:
every other table is the same for the same seed (but for `meetings.registered_count`, which counts
them). Busy meetings (100 or more registrations) scale with N, at least 4 of them while N allows.

Rows are built in Python first, then bulk-loaded: asyncpg COPY on PostgreSQL, executemany in one
transaction on SQLite. Plain INSERTs through the ORM would take minutes at this scale.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time as clock
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from core import demo
from core.config import load_settings
from core.db import Base, Database
from core.migrate import upgrade
from core.plugins import make_plugin_manager

FIXED_TODAY = date(2026, 11, 1)
NOW = datetime.combine(FIXED_TODAY, time(0), tzinfo=UTC)

N_COUNTRIES = 80
N_ORGANIZATIONS = 2_000
N_PEOPLE = 20_000
GROUPS_PER_THEME = 10
MEETINGS_PER_GROUP = 100
FUTURE_MEETINGS_PER_GROUP = 35  # >= 20 upcoming per group, with a margin for the clock moving on
N_REGISTRATIONS = 200_000
BUSY_MEETINGS = 800  # meetings with 100-220 registrations: the meeting page's subjects
MIN_BUSY_MEETINGS = 4  # ... however few registrations there are (while N >= 100 per meeting)
LIGHT_MAX = 60  # registrations on any other meeting

THEMES = {
    "fiscal_openness": "Fiscal Openness",
    "open_data": "Open Data",
    "open_parliaments": "Open Parliaments",
    "extractives": "Extractive Industries",
    "access_to_info": "Access to Information",
}
REGIONS = ("Africa and Middle East", "Americas", "Asia and the Pacific", "Europe")
TIMEZONES = (
    "UTC",
    "Europe/London",
    "Europe/Madrid",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Asia/Manila",
    "Asia/Jakarta",
    "Pacific/Auckland",
)
ORG_KINDS = ("GOVERNMENT", "CIVIL_SOCIETY", "MULTILATERAL", "PRIVATE_SECTOR", "ACADEMIA")
ORG_WEIGHTS = (35, 42, 5, 8, 10)


def _words(text: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(text.split(sep))


ORG_NAMES = {
    kind: _words(names, "|")
    for kind, names in {
        "GOVERNMENT": "Ministry of Finance|Ministry of Justice|National Audit Office|"
        "Information Commission|Parliament|Statistics Office|Ministry of Mines",
        "CIVIL_SOCIETY": "Budget Watch|Open Data Lab|Right to Know Coalition|Parliament Watch|"
        "Resource Governance Forum|Citizens' Assembly",
        "MULTILATERAL": "Development Bank|Regional Commission|Governance Programme",
        "PRIVATE_SECTOR": "Civic Tech Ltd|Data Services Group|Mining Association",
        "ACADEMIA": "University|Institute of Public Policy|Governance School",
    }.items()
}


FIRST_NAMES = _words(
    "Ana Ben Chen Dara Emeka Farah Goran Hana Ivan Jia Kofi Lina Mateo Nour Olga Pedro Qiu Rosa "
    "Sami Tala"
)
LAST_NAMES = _words(
    "Abara Baptiste Costa Dlamini Evans Fischer Gomez Haddad Ito Jensen Khan Lopez Mensah Novak "
    "Okafor Park Quispe Reyes Silva Tanaka Usman Vargas Wong Yilmaz Zulu"
)
SYLLABLES = _words("ba dor el fa gri ka lum mar na or pel ri sa ta ve zan")
TOPICS = _words(
    "budget transparency|beneficial ownership|open contracting|citizen budgets|data standards|"
    "legislative openness|licensing|records management|public participation|audit follow-up",
    "|",
)

Table = tuple[str, tuple[str, ...], list[tuple[Any, ...]]]


# --- Rows -------------------------------------------------------------------------------------


def _countries(rng: random.Random) -> list[tuple[Any, ...]]:
    """The demo's 24 real countries, then synthetic ones with user-assigned style codes."""
    rows = [
        (i, a2, a3, name, region, since, cycle)
        for i, (a2, a3, name, region, since, cycle) in enumerate(demo.COUNTRIES, 1)
    ]
    used = {row[1] for row in rows}
    codes = [f + s for f in "XQJK" for s in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if f + s not in used]
    for code in codes[: N_COUNTRIES - len(rows)]:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        since = date(rng.randint(2011, 2024), 1, 1)
        start = rng.randint(2020, 2025)
        rows.append(
            (len(rows) + 1, code, code + "X", name, rng.choice(REGIONS), since,
             f"{start}-{start + rng.choice((2, 3, 4))}")
        )  # fmt: skip
    return rows


def _organizations(rng: random.Random, countries: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    rows = []
    for i in range(1, N_ORGANIZATIONS + 1):
        kind = rng.choices(ORG_KINDS, ORG_WEIGHTS)[0]
        country = rng.choice(countries)
        name = f"{rng.choice(ORG_NAMES[kind])} ({country[3]}) #{i}"
        website = None if rng.random() < 0.1 else f"https://org{i}.example.org"
        rows.append((i, name, kind, country[0], website))
    return rows


def _people(rng: random.Random) -> list[tuple[Any, ...]]:
    return [
        (
            i,
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.randint(1, N_ORGANIZATIONS),
            f"person{i}@example.org",
        )
        for i in range(1, N_PEOPLE + 1)
    ]


def _instant(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole quarter-hour between start and end (whole units keep JSON datetimes comparable)."""
    quarters = int((end - start).total_seconds() // 900)
    return start + timedelta(minutes=15 * rng.randrange(quarters))


def _groups(rng: random.Random, orgs: list[tuple[Any, ...]]) -> tuple[Table, Table, Table]:
    groups, anchors, members = [], [], []
    by_kind: dict[str, list[int]] = {kind: [] for kind in ORG_KINDS}
    for org in orgs:
        by_kind[org[2]].append(org[0])
    statuses = ("ACTIVE", "PILOT", "PAUSED", "PROPOSED", "RETIRED")
    for theme, title in THEMES.items():
        for k in range(1, GROUPS_PER_THEME + 1):
            gid = len(groups) + 1
            created = _instant(
                rng, datetime(2013, 1, 1, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)
            )
            groups.append(
                (gid, f"{theme.replace('_', '-')}-{k:02d}", f"{title} Working Group {k:02d}", theme,
                 f"{title}: peer learning on {rng.choice(TOPICS)}.",
                 f"Group {k} of the {title.lower()} area (generated benchmark data).",
                 rng.choices(statuses, (60, 15, 10, 10, 5))[0], created, created)
            )  # fmt: skip
            for role in ("GOVERNMENT", "CIVIL_SOCIETY"):
                since = created.date() + timedelta(days=rng.randint(0, 900))
                org = rng.choice(by_kind[role])
                anchors.append((len(anchors) + 1, gid, org, role, role, since))
            for org in rng.sample(range(1, N_ORGANIZATIONS + 1), rng.randint(20, 60)):
                role = "MEMBER" if rng.random() < 0.85 else "OBSERVER"
                members.append((len(members) + 1, gid, org, role, _instant(rng, created, NOW)))
    return (
        ("working_groups", ("id", "slug", "name", "theme", "summary", "description", "status",
                            "created_at", "updated_at"), groups),
        ("anchors", ("id", "group_id", "organization_id", "organization_kind", "role", "since"),
         anchors),
        ("memberships", ("id", "group_id", "organization_id", "role", "joined_at"), members),
    )  # fmt: skip


def _meetings(rng: random.Random, n_groups: int) -> list[list[Any]]:
    """Per group: past meetings since 2013 and FUTURE_MEETINGS_PER_GROUP up to the end of 2028."""
    rows: list[list[Any]] = []
    past = (datetime(2013, 1, 1, tzinfo=UTC), NOW - timedelta(days=7))
    future = (NOW + timedelta(days=1), datetime(2028, 12, 20, tzinfo=UTC))
    for gid in range(1, n_groups + 1):
        starts = sorted(
            [_instant(rng, *past) for _ in range(MEETINGS_PER_GROUP - FUTURE_MEETINGS_PER_GROUP)]
            + [_instant(rng, *future) for _ in range(FUTURE_MEETINGS_PER_GROUP)]
        )
        for n, start in enumerate(starts, 1):
            kind = rng.choices(("IN_PERSON", "VIRTUAL", "WEBINAR"), (30, 45, 25))[0]
            topic = rng.choice(TOPICS)
            url = None if kind == "IN_PERSON" else f"https://example.org/meet/g{gid}-{n}"
            location = f"Hall {n}, group {gid}" if url is None else None
            capacity = None if rng.random() < 0.15 else rng.randint(20, 400)
            end = start + timedelta(minutes=rng.choice((60, 90, 120, 180, 480)))
            rows.append(
                [len(rows) + 1, gid, f"{kind.replace('_', ' ').title()}: {topic} ({n})", kind,
                 start, end, rng.choice(TIMEZONES), location, url, capacity, 0,
                 f"Discussion of {topic}.", rng.random() < 0.03]
            )  # fmt: skip
    return rows


def _registration_counts(rng: random.Random, n_meetings: int, total: int) -> list[int]:
    """Busy meetings (100-220) and light ones (0-60), adjusted to exactly `total`.

    At N_REGISTRATIONS: BUSY_MEETINGS busy ones, light ones drawn from 0-34 (the original draws,
    so the default data is unchanged). Otherwise both scale with `total`, keeping at least
    MIN_BUSY_MEETINGS busy meetings while `total` allows 100 per meeting.
    """
    n_busy = min(max(MIN_BUSY_MEETINGS, round(BUSY_MEETINGS * total / N_REGISTRATIONS)),
                 total // 100, n_meetings)  # fmt: skip
    busy_max = min(220, total // n_busy) if n_busy else 220
    light_max = min(34, round(34 * total / N_REGISTRATIONS))
    busy = set(rng.sample(range(n_meetings), n_busy))
    counts = [
        rng.randint(100, busy_max) if i in busy else rng.randint(0, light_max)
        for i in range(n_meetings)
    ]
    light = [i for i in range(n_meetings) if i not in busy]
    rng.shuffle(light)
    diff, j = total - sum(counts), 0
    if diff > LIGHT_MAX * len(light) - sum(counts[i] for i in light):
        raise ValueError(f"{total:,} registrations do not fit on {n_meetings:,} meetings")
    while diff:
        i, step = light[j % len(light)], 1 if diff > 0 else -1
        if 0 <= counts[i] + step <= LIGHT_MAX:
            counts[i] += step
            diff -= step
        j += 1
    return counts


def _registrations(
    rng: random.Random, meetings: list[list[Any]], total: int = N_REGISTRATIONS
) -> list[tuple[Any, ...]]:
    """First come, first served: places go in order of creation until capacity; a past meeting's
    extra ones are CANCELLED, an upcoming one's WAITLISTED. Sets each meeting's registered_count."""
    rows = []
    counts = _registration_counts(rng, len(meetings), total)
    for meeting, count in zip(meetings, counts, strict=True):
        mid, start, end, capacity = meeting[0], meeting[4], meeting[5], meeting[9]
        past = end <= NOW
        last = min(start, NOW) - timedelta(hours=1)
        created = sorted(last - timedelta(seconds=rng.randrange(90 * 86400)) for _ in range(count))
        taken = 0
        for person, at in zip(rng.sample(range(1, N_PEOPLE + 1), count), created, strict=True):
            if rng.random() < 0.05:
                status = "CANCELLED"
            elif capacity is None or taken < capacity:
                taken += 1
                status = "ATTENDED" if past else "REGISTERED"
            else:
                status = "CANCELLED" if past else "WAITLISTED"
            rows.append((at, mid, person, status))
        meeting[10] = taken
    rows.sort()  # ids follow creation time across meetings, as they would in production
    return [(i, mid, person, status, at) for i, (at, mid, person, status) in enumerate(rows, 1)]


def _plugin_tables(rng: random.Random, countries: list[tuple[Any, ...]]) -> list[Table]:
    """One row per country for the per-country tables; several OBS editions per country."""
    ids = [c[0] for c in countries]
    editions = (2012, 2015, 2017, 2019, 2021, 2023)
    scores = [
        (cid, edition, rng.randint(0, 100))
        for cid in ids
        for edition in editions[-rng.randint(3, len(editions)) :]
    ]
    name = {c[0]: c[3] for c in countries}
    return [
        ("fiscal_openness_obs_scores", ("id", "country_id", "edition", "transparency_score"),
         [(i, *row) for i, row in enumerate(scores, 1)]),
        ("open_data_charter_adoptions", ("id", "country_id", "adopted_on", "level"),
         [(i, cid, date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)),
           rng.choice(("NATIONAL", "LOCAL"))) for i, cid in enumerate(ids, 1)]),
        ("open_parliaments_legislatures", ("id", "country_id", "name", "chambers"),
         [(i, cid, f"Parliament of {name[cid]}", rng.choice((1, 2)))
          for i, cid in enumerate(ids, 1)]),
        ("extractives_eiti_status", ("id", "country_id", "status", "joined_on"),
         [(i, cid, rng.choices(("IMPLEMENTING", "SUSPENDED", "WITHDRAWN"), (80, 10, 10))[0],
           date(rng.randint(2003, 2024), rng.randint(1, 12), 1)) for i, cid in enumerate(ids, 1)]),
        ("access_to_info_rti_laws", ("id", "country_id", "year_adopted", "rti_rating"),
         [(i, cid, rng.randint(1951, 2024), rng.randint(30, 150))
          for i, cid in enumerate(ids, 1)]),
    ]  # fmt: skip


def large_tables(seed: int, n_registrations: int = N_REGISTRATIONS) -> list[Table]:
    """Every table of the "large" scale, in foreign-key order.

    `n_registrations` changes the registrations (and `meetings.registered_count`) only.
    """
    rng = random.Random(seed)
    countries = _countries(rng)
    orgs = _organizations(rng, countries)
    people = _people(rng)
    groups, anchors, members = _groups(rng, orgs)
    meetings = _meetings(rng, len(groups[2]))
    if n_registrations == N_REGISTRATIONS:
        registrations = _registrations(rng, meetings)  # also sets meetings' registered_count
    else:
        # Draw them from a copy of `rng`, and advance `rng` by the default draws (on a copy of the
        # meetings), so that the tables drawn after them stay the same for the same seed.
        own = random.Random()
        own.setstate(rng.getstate())
        _registrations(rng, [list(m) for m in meetings])
        registrations = _registrations(own, meetings, n_registrations)
    return [
        ("countries", ("id", "alpha2", "alpha3", "name", "region", "ogp_member_since",
                       "action_plan_cycle"), countries),
        ("organizations", ("id", "name", "kind", "country_id", "website"), orgs),
        ("people", ("id", "name", "organization_id", "email"), people),
        groups,
        anchors,
        members,
        ("meetings", ("id", "group_id", "title", "kind", "starts_at", "ends_at", "timezone",
                      "location", "online_url", "capacity", "registered_count", "agenda",
                      "is_summit"), [tuple(m) for m in meetings]),
        ("registrations", ("id", "meeting_id", "person_id", "status", "created_at"),
         registrations),
        *_plugin_tables(rng, countries),
    ]  # fmt: skip


# --- Loading ----------------------------------------------------------------------------------


class Bar:
    """A one-line text progress bar on stderr."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.started = label, total, clock.perf_counter()
        self.show(0)

    def show(self, done: int) -> None:
        filled = 30 * done // self.total if self.total else 30
        bar = "#" * filled + "." * (30 - filled)
        sys.stderr.write(f"\r{self.label:<30} [{bar}] {done:>7}/{self.total:<7}")
        sys.stderr.flush()

    def finish(self) -> None:
        self.show(self.total)
        sys.stderr.write(f" {clock.perf_counter() - self.started:5.1f}s\n")


def _chunks(rows: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [rows]


def asyncpg_dsn(url: str) -> str:
    """The SQLAlchemy URL as a libpq DSN for a raw asyncpg connection."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _clear(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


async def _copy_postgres(url: str, tables: list[Table]) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        async with conn.transaction():
            for name, columns, rows in tables:
                bar = Bar(name, len(rows))
                for done, chunk in enumerate(_chunks(rows, 20_000)):
                    await conn.copy_records_to_table(name, records=chunk, columns=columns)
                    bar.show(min(len(rows), (done + 1) * 20_000))
                bar.finish()
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce(max(id), 0) + 1, false) FROM {name}"
                )
    finally:
        await conn.close()


async def _insert_sqlite(db: Database, tables: list[Table]) -> None:
    async with db.write() as conn:
        for name, columns, rows in tables:
            table = Base.metadata.tables[name]
            bar = Bar(name, len(rows))
            for done, chunk in enumerate(_chunks(rows, 20_000)):
                if chunk:
                    await conn.execute(
                        table.insert(), [dict(zip(columns, r, strict=True)) for r in chunk]
                    )
                bar.show(min(len(rows), (done + 1) * 20_000))
            bar.finish()


async def analyze(url: str) -> None:
    if url.startswith("sqlite"):
        return
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def generate(scale: str, url: str, seed: int, n_registrations: int = N_REGISTRATIONS) -> None:
    started = clock.perf_counter()
    plugins = make_plugin_manager(load_settings(database_url=url))
    await _clear(url)
    db = Database(url)
    try:
        await upgrade(db, plugins)
        print(f"migrated ({clock.perf_counter() - started:.1f}s)", file=sys.stderr)
        if scale == "pilot":
            await demo.load_demo(
                db, plugins, lambda m: print(m, file=sys.stderr), today=FIXED_TODAY
            )
        else:
            built = clock.perf_counter()
            installed = set(Base.metadata.tables)
            tables = [t for t in large_tables(seed, n_registrations) if t[0] in installed]
            print(f"rows built in {clock.perf_counter() - built:.1f}s", file=sys.stderr)
            if db.is_sqlite:
                await _insert_sqlite(db, tables)
            else:
                await _copy_postgres(url, tables)
    finally:
        await db.dispose()
    await analyze(url)
    print(f"{scale} data loaded in {clock.perf_counter() - started:.1f}s", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--scale", choices=("pilot", "large"), required=True)
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL; CLEARED first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--registrations",
        type=int,
        default=N_REGISTRATIONS,
        metavar="N",
        help=f"registrations at 'large' scale (default {N_REGISTRATIONS:,}); other tables same",
    )
    args = parser.parse_args(argv)
    if args.registrations < 0:
        parser.error("--registrations must be >= 0")
    if args.scale == "pilot" and args.registrations != N_REGISTRATIONS:
        parser.error("--registrations applies to --scale large only")
    asyncio.run(generate(args.scale, args.database_url, args.seed, args.registrations))


if __name__ == "__main__":
    main()
