"""Issue 10's tables at the "large" scale, for `bench.generate` (and so `bench/pilot_report.py`):
action plans, commitments linked to groups, IRM assessments, resources, assistance requests,
offers and matches. Drawn from their own `random.Random(seed + 10)`, after every older table, so
the tables `bench.generate` made before are the same rows for the same seed.

Per country 3-6 consecutive two-year plans (cycles from 2012 to 2026), 8-20 commitments each
(about 5,000), each linked to 0-2 of the groups and assessed by the IRM on the scale of its era
(potential impact before 2021, potential for results after) for 85% of them; 40 resources per
group (2,000; 70% PUBLISHED between 2014 and 2026, some shared with a second group); 20
assistance requests per group (1,000) and 600 offers, 3,000 matches in every status (20%
COMPLETED, 20 to 200 days after their suggestion, with an outcome report). `bench.generate` loads
with triggers off (as pg_restore does), so the rows a trigger would add are drawn here: each
resource's home group in `resource_groups`; matches have no move history.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

Table = tuple[str, tuple[str, ...], list[tuple[Any, ...]]]

CREATED = datetime(2026, 10, 1, tzinfo=UTC)
RESOURCES_PER_GROUP = 40
REQUESTS_PER_GROUP = 20
OFFERS = 600
MATCHES = 3_000
COMPLETION = ("NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE")
OPENED = ("WORSENED", "DID_NOT_CHANGE", "MARGINAL", "MAJOR", "OUTSTANDING")
STATUSES = ("SUGGESTED", "PROPOSED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "DECLINED")
KINDS = ("LESSON_LEARNED", "CASE_STUDY", "GUIDE", "TOOL", "DATASET", "RECORDING", "WEBINAR")


def _at(rng: random.Random, first: date, last: date) -> datetime:
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    return datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC)


def _commitments(rng: random.Random, countries: list[Any], n_groups: int) -> list[Table]:
    plans, commitments, links, assessments = [], [], [], []
    for country in countries:
        first = rng.choice((2012, 2014))
        for k in range(rng.randint(3, 6)):
            start = date(first + 2 * k, 7, 1)
            if start.year > 2024:
                break
            pid = len(plans) + 1
            plans.append(
                (pid, country[0], f"{country[3]} action plan {start.year}-{start.year + 2}",
                 start, date(start.year + 2, 6, 30), start - timedelta(days=30), start.year,
                 CREATED)
            )  # fmt: skip
            for position in range(1, rng.randint(8, 20) + 1):
                cid = len(commitments) + 1
                commitments.append(
                    (cid, pid, f"{country[1]}{cid:05d}", position, f"Commitment {cid}",
                     "Generated benchmark commitment.", CREATED, CREATED)
                )  # fmt: skip
                for group in rng.sample(range(1, n_groups + 1), rng.choice((0, 1, 1, 2))):
                    links.append((cid, group, CREATED))
                if rng.random() < 0.15:
                    continue
                refresh = start.year + 2 >= 2021
                impact = ("NONE", "MINOR", "MODERATE", "TRANSFORMATIVE")
                assessments.append(
                    (cid, rng.random() < 0.8, *(rng.random() < 0.5 for _ in range(4)),
                     rng.choice(("UNCLEAR", "MODEST", "SUBSTANTIAL")) if refresh else None,
                     None if refresh else rng.choice(impact),
                     rng.choice(COMPLETION), rng.choice((None, *OPENED)),
                     f"IRM report on plan {pid}", CREATED)
                )  # fmt: skip
    return [
        ("action_plans", ("id", "country_id", "title", "cycle_start", "cycle_end", "submitted_on",
                          "cohort", "created_at"), plans),
        ("commitments", ("id", "action_plan_id", "reference", "position", "title", "description",
                         "created_at", "updated_at"), commitments),
        ("commitment_groups", ("commitment_id", "group_id", "linked_at"), links),
        ("irm_assessments", ("commitment_id", "verifiable", "access_to_information",
                             "civic_participation", "public_accountability",
                             "technology_and_innovation", "potential_for_results",
                             "potential_impact", "completion", "did_it_open_government",
                             "source_title", "recorded_at"), assessments),
    ]  # fmt: skip


def _resources(rng: random.Random, orgs: list[Any], n_groups: int) -> list[Table]:
    resources, shared = [], []
    for group in range(1, n_groups + 1):
        for _ in range(RESOURCES_PER_GROUP):
            rid = len(resources) + 1
            published = rng.random() < 0.7
            created = _at(rng, date(2014, 1, 1), date(2026, 9, 30))
            on = created + timedelta(days=rng.randrange(30)) if published else None
            resources.append(
                (rid, group, rng.choice(KINDS), "PUBLISHED" if published else "DRAFT",
                 f"Resource {rid}", "Generated benchmark resource.",
                 f"https://example.org/resources/{rid}", rng.choice(orgs)[0], "CC-BY-4.0",
                 created, created, on)
            )  # fmt: skip
            shared.append((rid, group))  # its home group (a trigger's row, off during the load)
            if rng.random() < 0.2:
                other = rng.randint(1, n_groups)
                if other != group:
                    shared.append((rid, other))
    return [
        ("resources", ("id", "group_id", "kind", "status", "title", "summary", "url",
                       "organization_id", "licence", "created_at", "updated_at", "published_at"),
         resources),
        ("resource_groups", ("resource_id", "group_id"), shared),
    ]  # fmt: skip


def _assistance(
    rng: random.Random, countries: list[Any], orgs: list[Any], n_groups: int
) -> list[Table]:
    requests, offers, matches = [], [], []
    for group in range(1, n_groups + 1):
        for _ in range(REQUESTS_PER_GROUP):
            qid = len(requests) + 1
            requests.append(
                (qid, group, rng.choice(orgs)[0], rng.choice(countries)[0], f"Request {qid}",
                 "Generated benchmark request.", rng.choice(("TECHNICAL_ASSISTANCE",
                 "PEER_EXCHANGE")), "OPEN", _at(rng, date(2020, 1, 1), date(2026, 9, 30)))
            )  # fmt: skip
    for oid in range(1, OFFERS + 1):
        offers.append(
            (oid, rng.choice(orgs)[0], f"Offer {oid}", "Generated benchmark offer.", "OPEN",
             _at(rng, date(2020, 1, 1), date(2026, 9, 30)))
        )  # fmt: skip
    pairs = set()
    while len(pairs) < MATCHES:
        pairs.add((rng.randint(1, len(requests)), rng.randint(1, OFFERS)))
    for mid, (request, offer) in enumerate(sorted(pairs), 1):
        at = _at(rng, date(2020, 1, 1), date(2026, 9, 30))
        status = rng.choices(STATUSES, (40, 10, 10, 10, 20, 10))[0]
        done = at + timedelta(days=rng.randint(20, 200)) if status == "COMPLETED" else None
        report = "Generated benchmark outcome." if done is not None else None
        matches.append((mid, request, offer, status, rng.randint(1, 100), at, done or at, done,
                        report))  # fmt: skip
    return [
        ("assistance_requests", ("id", "group_id", "organization_id", "country_id", "title",
                                 "needs", "kind", "status", "created_at"), requests),
        ("assistance_offers", ("id", "organization_id", "title", "description", "status",
                               "created_at"), offers),
        ("assistance_matches", ("id", "request_id", "offer_id", "status", "score",
                                "suggested_at", "moved_at", "completed_at", "outcome_report"),
         matches),
    ]  # fmt: skip


def tables(seed: int, countries: list[Any], orgs: list[Any], n_groups: int) -> list[Table]:
    """Issue 10's tables, in foreign-key order, from their own random generator."""
    rng = random.Random(seed + 10)
    return [
        *_commitments(rng, countries, n_groups),
        *_resources(rng, orgs, n_groups),
        *_assistance(rng, countries, orgs, n_groups),
    ]
