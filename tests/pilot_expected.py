"""The figures `pilotReport` must answer for a test world of tests/pilot_world.py, recomputed
in plain Python (tests/test_pilot_report.py compares them with the answer), and the answer
normalised for that comparison.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.pilot_world import COMPLETION, COUNTRIES, OPENED, anchor_org, at, members, proposer


def camel(level: str) -> str:
    """NO_EVIDENCE -> noEvidence."""
    first, *rest = level.lower().split("_")
    return first + "".join(w.capitalize() for w in rest)


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 4)


def cut(first: date, last: date, interval: str) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each quarter or year, clipped, by walking the days."""
    out: dict[str, list[date]] = {}
    day = first
    while day <= last:
        label = str(day.year) if interval == "YEAR" else f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        out.setdefault(label, []).append(day)
        day += timedelta(days=1)
    return [(label, days[0], days[-1]) for label, days in out.items()]


def starred(plan_start: date, plan_end: date, a: dict[str, Any]) -> bool:
    """core/commitments/irm.py's rule, restated: no stars before 2012 nor under the Refresh."""
    if plan_start < date(2012, 1, 1) or plan_end >= date(2020, 1, 1):
        return False
    impacts = (
        ("MODERATE", "TRANSFORMATIVE") if plan_start < date(2014, 1, 1) else ("TRANSFORMATIVE",)
    )
    ati, cp, pa, _ = a["values"]
    impact = None if a["results"] is not None else a["impact"]
    return bool(
        a["verifiable"] is True
        and (ati or cp or pa)
        and impact in impacts
        and a["completion"] in ("SUBSTANTIAL", "COMPLETE")
    )


def irm(items: list[tuple[date, date, dict[str, Any] | None]]) -> dict[str, Any]:
    assessed = [(s, e, a) for s, e, a in items if a is not None]
    rated = [a for _, _, a in assessed if a["results"] is not None or a["impact"] is not None]
    ambitious = [
        a for a in rated
        if a["results"] == "SUBSTANTIAL" or (a["results"] is None and a["impact"] == "TRANSFORMATIVE")
    ]  # fmt: skip
    completion = [a["completion"] for _, _, a in assessed if a["completion"] is not None]
    opened = [a["opened"] for _, _, a in assessed if a["opened"] is not None]
    return {
        "commitments": len(items),
        "assessed": len(assessed),
        "rated": len(rated),
        "ambitious": len(ambitious),
        "ambitiousShare": rate(len(ambitious), len(rated)),
        "starred": sum(starred(s, e, a) for s, e, a in assessed),
        "completionRate": rate(
            sum(c in ("SUBSTANTIAL", "COMPLETE") for c in completion), len(completion)
        ),
        "completion": {camel(k): completion.count(k) for k in COMPLETION},
        "didItOpenGovernment": {camel(k): opened.count(k) for k in OPENED},
        "openedGovernmentShare": rate(
            sum(o in ("MAJOR", "OUTSTANDING") for o in opened), len(opened)
        ),
    }


def cycles(by_label: dict[str, list[Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for label in sorted(by_label):
        figures = irm(by_label[label])
        change = None
        if out:
            before = out[-1]["figures"]
            change = {
                "commitments": figures["commitments"] - before["commitments"],
                "ambitious": figures["ambitious"] - before["ambitious"],
                **{
                    k: diff(figures[k], before[k])
                    for k in ("ambitiousShare", "completionRate", "openedGovernmentShare")
                },
            }
        out.append({"cycle": label, "figures": figures, "change": change})
    return out


def activity(
    meetings: list[Any],
    joined: list[int],
    agreed: list[int],
    resources: list[int],
    matches: list[int],
) -> dict[str, Any]:
    attended = sum(s.count("ATTENDED") for _, _, s in meetings)
    no_shows = sum(s.count("NO_SHOW") for _, _, s in meetings)
    return {
        "meetings": len(meetings),
        "attended": attended,
        "noShows": no_shows,
        "attendanceRate": rate(attended, attended + no_shows),
        "organizationsJoined": len(joined),
        "priorityAreasAgreed": len(agreed),
        "resourcesShared": len(resources),
        "matchesCompleted": len(matches),
    }


def expected(world: dict[str, Any], first: date, last: date, interval: str) -> list[Any]:
    """The `groups` of pilotReport, recomputed from the world."""
    start, end = datetime.combine(first, datetime.min.time(), UTC), None
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)
    orgs = world["orgs"]
    out = []

    def participation(group: dict[str, Any], day: date) -> dict[str, int]:
        """Who takes part in `group` at the end of `day`: members joined by then, anchors
        whose term had begun."""
        until = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
        taking_part = {o for o, (_, h) in members(world, group).items() if at(h) < until}
        for kind, since in group["anchors"].items():
            org = anchor_org(world, kind)
            started = since is None or at(since).date() <= day
            if org is not None and group["anchored"][kind] and started:
                taking_part.add(org)
        return {
            "organizations": len(taking_part),
            "countries": len({orgs[o][1] for o in taking_part}),
            "governments": sum(orgs[o][0] == "GOVERNMENT" for o in taking_part),
            "civilSociety": sum(orgs[o][0] == "CIVIL_SOCIETY" for o in taking_part),
            "otherOrganizations": sum(
                orgs[o][0] not in ("GOVERNMENT", "CIVIL_SOCIETY") for o in taking_part
            ),
        }

    for g, group in enumerate(world["groups"]):
        meetings = sorted(
            (m for m in group["meetings"] if not m[1] and start <= at(m[0]) < end),
            key=lambda m: m[0],
        )  # same hour twice: same figures either way but the title
        joined = [h for _, h in members(world, group).values() if start <= at(h) < end]
        has_proposer = proposer(group) is not None and proposer(group) < len(orgs)
        agreed = [h for ok, h in group["areas"] if has_proposer and ok and start <= at(h) < end]
        shared = [  # published resources of this group: its own, and those shared with it
            h
            for other_g, other in enumerate(world["groups"])
            for published, h, extra in other["resources"]
            if published
            and start <= at(h) < end
            and (other_g == g or (extra == g and g < len(world["groups"]) and extra != other_g))
        ]
        completed = [h for ok, h in group["matches"] if ok and start <= at(h) < end]
        over_time = []
        for label, day0, day1 in cut(first, last, interval):
            lo = datetime.combine(day0, datetime.min.time(), UTC)
            hi = datetime.combine(day1 + timedelta(days=1), datetime.min.time(), UTC)

            def inside(h: int, lo: datetime = lo, hi: datetime = hi) -> bool:
                return lo <= at(h) < hi

            over_time.append({
                "period": label,
                "activity": activity(
                    [m for m in meetings if inside(m[0])],
                    [h for h in joined if inside(h)],
                    [h for h in agreed if inside(h)],
                    [h for h in shared if inside(h)],
                    [h for h in completed if inside(h)],
                ),
                "participation": participation(group, day1),
            })  # fmt: skip
        linked: list[tuple[str, str, date, date, Any]] = []
        for country, year, length, items in world["plans"]:
            # OGP's cycle is the cohort (here the start year): KE 2018-2021 and CL 2018-2020
            # are one cycle "2018" though their plans end in different years
            s, e = date(year, 7, 1), date(year + length, 6, 30)
            if s > last or e < first:
                continue
            for groups_, assessment in items:
                if g in groups_:
                    linked.append((COUNTRIES[country], str(year), s, e, assessment))
        by_cycle: dict[str, list[Any]] = defaultdict(list)
        by_country: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for code, label, s, e, a in linked:
            by_cycle[label].append((s, e, a))
            by_country[code][label].append((s, e, a))
        out.append({
            "slug": f"group-{g + 1}",
            "group": {"slug": f"group-{g + 1}"},
            "participation": participation(group, last),
            "activity": activity(meetings, joined, agreed, shared, completed),
            "overTime": over_time,
            "meetings": [
                {
                    "meeting": {"title": f"Meeting at {h} of group {g + 1}"},
                    "startsAt": at(h).isoformat(),
                    "registered": s.count("REGISTERED"),
                    "attended": s.count("ATTENDED"),
                    "noShows": s.count("NO_SHOW"),
                    "attendanceRate": rate(s.count("ATTENDED"), s.count("ATTENDED") + s.count("NO_SHOW")),
                }
                for h, _, s in meetings
            ],
            "commitments": irm([(s, e, a) for _, _, s, e, a in linked]),
            "commitmentsByCycle": cycles(by_cycle),
            "commitmentsByCountry": [
                {
                    "code": code,
                    "country": {"code": code},
                    "figures": irm([x for label in by_country[code].values() for x in label]),
                    "cycles": cycles(by_country[code]),
                }
                for code in sorted(by_country)
            ],
        })  # fmt: skip
    return sorted(out, key=lambda x: x["slug"])


def flat(report: dict[str, Any]) -> dict[str, Any]:
    """`report` with each group's `meetings` page (every meeting: fewer than 100) as its list."""
    for g in report["groups"]:
        page = g["meetings"]
        assert page["totalCount"] == len(page["nodes"]) and not page["pageInfo"]["hasNextPage"]
        g["meetings"] = page["nodes"]
    return report


def normalise(answer: list[Any]) -> list[Any]:
    """Meetings at the same hour come in id order; the world's order is by hour only."""
    for g in flat({"groups": answer})["groups"]:
        g["meetings"].sort(key=lambda m: (m["startsAt"], m["meeting"]["title"]))
    return answer
