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

from bench import pilot_data
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


def _decided(groups: Table) -> tuple[Table, Table]:
    """The groups with the Steering Committee decision behind each status but PROPOSED (the
    `decided` CHECK, core_0006) and their anchor counters (one anchor of each role, as drawn),
    and those decisions (from no recorded status, as core_0006 carries groups across)."""
    name, columns, rows = groups
    decided, decisions = [], []
    for row in rows:
        gid, status, created = row[0], row[6], row[7]
        decision = None
        if status != "PROPOSED":
            decision = len(decisions) + 1
            decisions.append((decision, gid, status, created.date(), "",
                              "Generated benchmark data.", "", created))  # fmt: skip
        decided.append((*row, decision, 1, 1))
    return (
        (name, (*columns, "decision_id", "government_anchor_count", "civil_society_anchor_count"),
         decided),
        ("group_decisions", ("id", "group_id", "to_status", "decided_on", "meeting", "reason",
                             "source", "recorded_at"), decisions),
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
    # queued_at = created_at: nobody here left a queue and came back, and promotions are not drawn
    return [(i, mid, person, status, at, at) for i, (at, mid, person, status) in enumerate(rows, 1)]


def _plugin_tables(
    rng: random.Random, countries: list[tuple[Any, ...]], orgs: list[tuple[Any, ...]], n_groups: int
) -> list[Table]:
    """Every plugin table at matching scale: per-country rows, several editions or years per
    country, and lists of a few per country (portals, datasets, projects, disclosures...)."""
    return [
        *_fiscal_openness(rng, countries, n_groups),
        *_open_data(rng, countries),
        *_open_parliaments(rng, countries, orgs),
        *_extractives(rng, countries, orgs),
        *_access_to_info(rng, countries),
    ]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _tenth(rng: random.Random, low: float, high: float) -> float:
    """A score with one decimal (as published), e.g. 62.5."""
    return rng.randint(round(low * 10), round(high * 10)) / 10


OBS_EDITIONS = (2012, 2015, 2017, 2019, 2021, 2023)
BUDGET_DOC_KINDS = ("PRE_BUDGET_STATEMENT", "EXECUTIVES_BUDGET_PROPOSAL", "ENACTED_BUDGET",
                    "CITIZENS_BUDGET", "IN_YEAR_REPORTS", "MID_YEAR_REVIEW", "YEAR_END_REPORT",
                    "AUDIT_REPORT")  # fmt: skip
GIFT_PRINCIPLES = ("RIGHT_TO_FISCAL_INFORMATION", "AGGREGATE_FISCAL_POLICY",
                   "HIGH_QUALITY_FISCAL_INFORMATION", "OBJECTIVES_OUTPUTS_OUTCOMES", "RULE_OF_LAW",
                   "PRIVATE_SECTOR_RELATIONSHIPS", "CLARITY_OF_ROLES", "LEGISLATIVE_OVERSIGHT",
                   "SUPREME_AUDIT_INSTITUTION", "PUBLIC_PARTICIPATION")  # fmt: skip


def _fiscal_openness(rng: random.Random, countries: list[Any], n_groups: int) -> list[Table]:
    surveys, docs, commitments, principles = [], [], [], []
    for c in countries:
        for edition in OBS_EDITIONS[-rng.randint(3, len(OBS_EDITIONS)) :]:
            early = edition < 2017
            surveys.append(
                (len(surveys) + 1, c[0], edition, rng.randint(0, 100),
                 None if early and rng.random() < 0.5 else rng.randint(0, 100),
                 None if early and rng.random() < 0.5 else rng.randint(0, 100),
                 f"OBS {edition}", f"https://internationalbudget.org/open-budget-survey/{edition}",
                 "")
            )  # fmt: skip
        for fiscal_year in (2023, 2024):
            for kind in BUDGET_DOC_KINDS:
                status = rng.choices(
                    ("PUBLICLY_AVAILABLE", "PUBLISHED_LATE", "INTERNAL_USE_ONLY", "NOT_PRODUCED"),
                    (60, 15, 10, 15),
                )[0]
                published = status in ("PUBLICLY_AVAILABLE", "PUBLISHED_LATE")
                docs.append(
                    (len(docs) + 1, c[0], fiscal_year, kind, status,
                     _day(rng, date(fiscal_year - 1, 1, 1), date(fiscal_year, 12, 31))
                     if published else None,
                     f"https://budget.example.org/{c[1].lower()}/{fiscal_year}/{kind.lower()}"
                     if published else None, "")
                )  # fmt: skip
    fiscal_groups = range(1, GROUPS_PER_THEME + 1)  # the fiscal openness groups come first
    for gid in fiscal_groups[: max(0, min(GROUPS_PER_THEME, n_groups))]:
        for k in range(rng.randint(4, 10)):
            kind = "PRIORITY_AREA" if k < 2 else "ACTION_PLAN_COMMITMENT"
            country = None if kind == "PRIORITY_AREA" else rng.choice(countries)
            commitments.append(
                (len(commitments) + 1, gid, kind, f"{rng.choice(TOPICS).capitalize()} ({gid}-{k})",
                 None if country is None else country[0],
                 None if country is None else f"{country[1]}{rng.randint(1, 20):04d}",
                 None if country is None else f"https://www.opengovpartnership.org/c/{gid}-{k}")
            )  # fmt: skip
            for principle in rng.sample(GIFT_PRINCIPLES, rng.randint(1, 4)):
                principles.append((len(commitments), principle))
    return [
        ("fiscal_openness_surveys", ("id", "country_id", "edition", "transparency_score",
         "participation_score", "oversight_score", "methodology_version", "source_url", "note"),
         surveys),
        ("fiscal_openness_budget_docs", ("id", "country_id", "fiscal_year", "kind", "status",
         "published_on", "url", "note"), docs),
        ("fiscal_openness_commitments", ("id", "group_id", "kind", "title", "country_id",
         "reference", "url"), commitments),
        ("fiscal_openness_commitment_principles", ("commitment_id", "principle"), principles),
    ]  # fmt: skip


PORTAL_PLATFORMS = ("CKAN", "DKAN", "SOCRATA", "OPENDATASOFT", "ARCGIS_HUB", "UDATA", "JUNAR",
                    "CUSTOM", "OTHER")  # fmt: skip
HVD_CATEGORIES = ("GEOSPATIAL", "EARTH_OBSERVATION_ENVIRONMENT", "METEOROLOGICAL", "STATISTICS",
                  "COMPANIES_AND_COMPANY_OWNERSHIP", "MOBILITY")  # fmt: skip
ODIN_EDITIONS = ("2018/19", "2020/21", "2022/23", "2024/25")


def _open_data(rng: random.Random, countries: list[Any]) -> list[Table]:
    adopters, portals, datasets, odin = [], [], [], []
    for c in countries:
        code = c[1].lower()
        if rng.random() < 0.7:
            if rng.random() < 0.6:
                adopters.append((len(adopters) + 1, c[0], f"Government of {c[3]}", "NATIONAL",
                                 _day(rng, date(2015, 10, 1), date(2024, 12, 31)),
                                 f"https://opendatacharter.org/adopters/{code}"))  # fmt: skip
            for k in range(rng.randint(0, 3)):
                adopters.append(
                    (
                        len(adopters) + 1,
                        c[0],
                        f"City {k + 1} of {c[3]}",
                        "SUBNATIONAL",
                        _day(rng, date(2015, 10, 1), date(2025, 12, 31)),
                        None,
                    )
                )
        mine = []
        for k in range(rng.randint(1, 4)):
            pid = len(portals) + 1
            mine.append(pid)
            checked = _day(rng, date(2024, 1, 1), date(2026, 10, 1)) if rng.random() < 0.9 else None
            portals.append(
                (pid, c[0], f"{c[3]} Open Data {k + 1}", f"https://data{k}.{code}.example.org",
                 rng.choice(PORTAL_PLATFORMS),
                 None if rng.random() < 0.1 else rng.randint(10, 50_000), rng.random() < 0.7,
                 checked, "")
            )  # fmt: skip
        for k in range(rng.randint(3, 10)):
            checked = _day(rng, date(2024, 1, 1), date(2026, 10, 1))
            updated = None if rng.random() < 0.2 else checked - timedelta(days=rng.randint(0, 700))
            flags = [rng.random() < 0.75 for _ in range(5)]
            datasets.append(
                (len(datasets) + 1, c[0], None if rng.random() < 0.1 else rng.choice(mine),
                 f"{rng.choice(HVD_CATEGORIES).replace('_', ' ').title()} data {k + 1} ({c[3]})",
                 rng.choice(HVD_CATEGORIES), f"https://data.{code}.example.org/hvd/{k + 1}",
                 *flags, "CC BY 4.0" if flags[4] else None, checked, updated, "")
            )  # fmt: skip
        for edition in ODIN_EDITIONS[-rng.randint(2, len(ODIN_EDITIONS)) :]:
            coverage, openness = _tenth(rng, 10, 95), _tenth(rng, 10, 95)
            odin.append(
                (len(odin) + 1, c[0], edition, round((coverage + openness) / 2, 1), coverage,
                 openness, f"ODIN {edition}", f"https://odin.opendatawatch.com/{edition[:4]}", "")
            )  # fmt: skip
    return [
        ("open_data_charter_adopters", ("id", "country_id", "government", "level", "adopted_on",
         "source_url"), adopters),
        ("open_data_portals", ("id", "country_id", "name", "url", "platform", "dataset_count",
         "has_api", "checked_on", "notes"), portals),
        ("open_data_high_value_datasets", ("id", "country_id", "portal_id", "title", "category",
         "url", "machine_readable", "non_proprietary_format", "metadata_available",
         "download_or_api", "open_licence", "licence", "checked_on", "last_updated_on", "notes"),
         datasets),
        ("open_data_odin_scores", ("id", "country_id", "edition", "overall", "coverage",
         "openness", "methodology_version", "source_url", "notes"), odin),
    ]  # fmt: skip


OPENNESS_INDICATORS = (
    "VOTES_PUBLISHED",
    "BILLS_AND_AMENDMENTS_ONLINE",
    "PLENARY_RECORDS",
    "COMMITTEE_RECORDS",
    "OPEN_SESSIONS",
    "MACHINE_READABLE_DATA",
    "API",
)


def _open_parliaments(rng: random.Random, countries: list[Any], orgs: list[Any]) -> list[Table]:
    legislatures, chambers, checks, endorsements, pmos = [], [], [], [], []
    for c in countries:
        lid, n = len(legislatures) + 1, rng.choice((1, 2))
        code = c[1].lower()
        legislatures.append((lid, c[0], f"Parliament of {c[3]}", n))
        kinds = ("UNICAMERAL",) if n == 1 else ("LOWER", "UPPER")
        for kind in kinds:
            cid = len(chambers) + 1
            name = {"UNICAMERAL": "National Assembly", "LOWER": "House of Representatives",
                    "UPPER": "Senate"}[kind]  # fmt: skip
            chambers.append(
                (
                    cid,
                    lid,
                    n,
                    kind,
                    name,
                    None if rng.random() < 0.1 else f"https://{kind.lower()}.{code}.example.org",
                )
            )
            for indicator in OPENNESS_INDICATORS:
                if rng.random() < 0.8:
                    checks.append(
                        (len(checks) + 1, cid, indicator, rng.choice(("YES", "PARTIAL", "NO")),
                         f"https://{kind.lower()}.{code}.example.org/evidence/{indicator.lower()}",
                         _day(rng, date(2022, 1, 1), date(2026, 10, 1)),
                         None if rng.random() < 0.7 else "Checked on the chamber's website.")
                    )  # fmt: skip
    civil = [o for o in orgs if o[2] in ("CIVIL_SOCIETY", "ACADEMIA")]
    for org in rng.sample(civil, min(300, len(civil))):
        endorsements.append((len(endorsements) + 1, org[0],
                             _day(rng, date(2012, 9, 15), date(2026, 10, 1)),
                             None if rng.random() < 0.3 else f"https://openingparliament.org/e/{org[0]}",
                             None))  # fmt: skip
    by_country = {lg[1]: lg[0] for lg in legislatures}
    for org in rng.sample(civil, min(200, len(civil))):
        pmos.append(
            (
                len(pmos) + 1,
                org[0],
                by_country[org[3]],
                rng.choice(("MEMBERS", "INSTITUTION", "MEMBERS_AND_INSTITUTION")),
                None if rng.random() < 0.5 else f"https://watch{org[0]}.example.org",
            )
        )
    return [
        ("open_parliaments_legislatures", ("id", "country_id", "name", "chambers"), legislatures),
        ("open_parliaments_chambers", ("id", "legislature_id", "legislature_chambers", "kind",
         "name", "website"), chambers),
        ("open_parliaments_openness_indicators", ("id", "chamber_id", "indicator", "status",
         "evidence_url", "checked_on", "note"), checks),
        ("open_parliaments_endorsements", ("id", "organization_id", "endorsed_on", "source_url",
         "note"), endorsements),
        ("open_parliaments_pmos", ("id", "organization_id", "legislature_id", "scope", "website"),
         pmos),
    ]  # fmt: skip


COMMODITIES = ("OIL", "GAS", "COAL", "COPPER", "GOLD", "SILVER", "IRON_ORE", "BAUXITE", "NICKEL",
               "ZINC", "LEAD", "TIN", "COBALT", "LITHIUM", "MANGANESE", "URANIUM", "DIAMONDS",
               "PHOSPHATE", "OTHER")  # fmt: skip


def _assessment(score: float) -> str:
    if score >= 90:
        return "VERY_HIGH"
    if score >= 80:
        return "HIGH"
    if score >= 60:
        return "MODERATE"
    if score >= 30:
        return "FAIRLY_LOW"
    return "LOW"


def _extractives(rng: random.Random, countries: list[Any], orgs: list[Any]) -> list[Table]:
    members, validations, projects, disclosures, owners = [], [], [], [], []
    companies = [o[0] for o in orgs if o[2] == "PRIVATE_SECTOR"]
    for c in countries:
        code = c[1].lower()
        if rng.random() < 0.7:
            status = rng.choices(("IMPLEMENTING", "SUSPENDED", "WITHDRAWN"), (80, 10, 10))[0]
            joined = date(rng.randint(2003, 2020), rng.randint(1, 12), 1)
            members.append((len(members) + 1, c[0], status, joined))
            years = sorted(rng.sample(range(2021, 2027), rng.randint(1, 3)))
            for year in years:
                parts = [_tenth(rng, 20, 100) for _ in range(3)]
                overall = round(sum(parts) / 3, 1)
                validations.append(
                    (len(validations) + 1, c[0], _day(rng, date(year, 1, 1), date(year, 10, 31)),
                     "EITI_2023" if year >= 2024 else "EITI_2019", *parts, overall,
                     _assessment(overall), f"https://eiti.org/validation/{code}/{year}")
                )  # fmt: skip
        mine = []
        for k in range(rng.randint(0, 6)):
            pid = len(projects) + 1
            mine.append(pid)
            projects.append(
                (pid, c[0], f"{rng.choice(SYLLABLES).capitalize()} project {k + 1}",
                 rng.choice(COMMODITIES), rng.choice(companies) if rng.random() < 0.8 else None,
                 None if rng.random() < 0.3 else f"{c[1]}-L-{pid:05d}",
                 None if rng.random() < 0.3 else f"Region {k + 1}, {c[3]}")
            )  # fmt: skip
        for k in range(len(mine) * rng.randint(0, 3)):
            disclosed = _day(rng, date(2015, 1, 1), date(2026, 10, 1))
            signed = (
                None if rng.random() < 0.2 else disclosed - timedelta(days=rng.randint(0, 3000))
            )
            disclosures.append(
                (len(disclosures) + 1, c[0], rng.choice(mine) if rng.random() < 0.9 else None,
                 f"Agreement {k + 1} ({c[3]})", rng.choice(("CONTRACT", "LICENSE")), signed,
                 disclosed, f"https://contracts.{code}.example.org/{k + 1}")
            )  # fmt: skip
        for k in range(rng.randint(0, 8)):
            disclosed = _day(rng, date(2018, 1, 1), date(2026, 10, 1))
            since = None if rng.random() < 0.3 else disclosed - timedelta(days=rng.randint(0, 5000))
            owners.append(
                (len(owners) + 1, c[0], rng.choice(companies),
                 f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {k + 1}", rng.random() < 0.1,
                 None if rng.random() < 0.2 else _tenth(rng, 0.1, 100), since, disclosed,
                 None if rng.random() < 0.3 else f"https://bo.{code}.example.org/{k + 1}")
            )  # fmt: skip
    return [
        ("extractives_eiti_status", ("id", "country_id", "status", "joined_on"), members),
        ("extractives_validations", ("id", "country_id", "decided_on", "standard",
         "stakeholder_engagement", "transparency", "outcomes_and_impact", "overall_score",
         "overall_assessment", "source_url"), validations),
        ("extractives_projects", ("id", "country_id", "name", "commodity", "operator_id",
         "license_reference", "location"), projects),
        ("extractives_contract_disclosures", ("id", "country_id", "project_id", "title", "kind",
         "signed_on", "disclosed_on", "url"), disclosures),
        ("extractives_beneficial_owners", ("id", "country_id", "company_id", "owner_name",
         "politically_exposed", "ownership_percent", "interest_since", "disclosed_on",
         "source_url"), owners),
    ]  # fmt: skip


RTI_MAXIMA = (6, 30, 30, 30, 30, 8, 16)  # the seven categories, in the methodology's order


def _access_to_info(rng: random.Random, countries: list[Any]) -> list[Table]:
    laws, ratings, stats = [], [], []
    for c in countries:
        code = c[1].lower()
        if rng.random() < 0.15:
            continue  # no RTI law
        lid, adopted = len(laws) + 1, rng.randint(1951, 2022)
        laws.append(
            (lid, c[0], f"Access to Information Act ({c[3]})", adopted,
             None if rng.random() < 0.4 else rng.randint(adopted, 2025),
             None if rng.random() < 0.2 else f"Information Commission of {c[3]}",
             None if rng.random() < 0.2 else f"https://law.{code}.example.org/rti")
        )  # fmt: skip
        for edition in sorted(rng.sample(range(max(2011, adopted), 2026), rng.randint(1, 3))):
            points = [rng.randint(0, m) for m in RTI_MAXIMA]
            ratings.append((len(ratings) + 1, lid, edition, "RTI Rating 2011",
                            f"https://www.rti-rating.org/country-data/{code}/{edition}",
                            *points, sum(points)))  # fmt: skip
        for year in range(max(adopted + 1, 2019), 2026):
            received = rng.randint(100, 100_000)
            full, part = rng.randint(0, received // 2), rng.randint(0, received // 4)
            refused = rng.randint(0, received // 8)
            appeals = rng.randint(0, refused) if rng.random() < 0.8 else None
            upheld = None if appeals is None else rng.randint(0, appeals)
            stats.append(
                (len(stats) + 1, c[0], year,
                 rng.choice(("ALL_PUBLIC_BODIES", "CENTRAL_GOVERNMENT", "PARTIAL")), received,
                 rng.randint(0, received), full, part, refused, rng.randint(0, received // 8),
                 None, appeals, upheld, None if upheld is None else appeals - upheld,
                 _tenth(rng, 1, 60) if rng.random() < 0.7 else None, None, "")
            )  # fmt: skip
    return [
        ("access_to_info_rti_laws", ("id", "country_id", "name", "year_adopted", "last_amended",
         "oversight_body", "url"), laws),
        ("access_to_info_rti_ratings", ("id", "law_id", "edition", "methodology_version",
         "source_url", "right_of_access", "scope", "requesting_procedures",
         "exceptions_and_refusals", "appeals", "sanctions_and_protections",
         "promotional_measures", "total", "series"), [(*r, "HISTORICAL") for r in ratings]),
        ("access_to_info_request_statistics", ("id", "country_id", "year", "coverage",
         "requests_received", "answered_in_time", "granted_in_full", "granted_in_part", "refused",
         "information_not_held", "internal_reviews", "appeals", "appeals_favouring_body",
         "appeals_favouring_requester", "median_response_days", "source_url", "notes"), stats),
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
    groups, decisions = _decided(groups)
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
        decisions,
        anchors,
        members,
        ("meetings", ("id", "group_id", "title", "kind", "starts_at", "ends_at", "timezone",
                      "location", "online_url", "capacity", "registered_count", "agenda",
                      "is_summit"), [tuple(m) for m in meetings]),
        ("registrations", ("id", "meeting_id", "person_id", "status", "created_at",
                           "queued_at"), registrations),
        *_plugin_tables(rng, countries, orgs, len(groups[2])),
        *pilot_data.tables(seed, countries, orgs, len(groups[2])),  # issue 10, own rng
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
        # Triggers off for the load (as pg_restore does): they check one change at a time (a
        # group starts PROPOSED, a match SUGGESTED...), and the rows come consistent as a whole.
        await conn.execute("SET session_replication_role = replica")
        async with conn.transaction():
            for name, columns, rows in tables:
                bar = Bar(name, len(rows))
                for done, chunk in enumerate(_chunks(rows, 20_000)):
                    await conn.copy_records_to_table(name, records=chunk, columns=columns)
                    bar.show(min(len(rows), (done + 1) * 20_000))
                bar.finish()
                if "id" in columns:
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"coalesce(max(id), 0) + 1, false) FROM {name}"
                    )
    finally:
        await conn.close()


async def _insert_sqlite(db: Database, tables: list[Table]) -> None:
    async with db.write() as conn:
        # Triggers off for the load, as on PostgreSQL: dropped, then made again from their SQL.
        triggers = (
            await conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for trigger in triggers:
            await conn.exec_driver_sql(f'DROP TRIGGER "{trigger.name}"')
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
        for trigger in triggers:
            await conn.exec_driver_sql(trigger.sql)


def marked_illustrative(table: Table) -> Table:
    """Generated rows are made up: on a table that follows the source convention
    (core.provenance: CHECK illustrative OR a source and its date) each row says so."""
    name, columns, rows = table
    if "illustrative" not in Base.metadata.tables[name].c or "illustrative" in columns:
        return table
    return name, (*columns, "illustrative"), [(*row, True) for row in rows]


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
            tables = [
                marked_illustrative(t)
                for t in large_tables(seed, n_registrations)
                if t[0] in installed
            ]
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
