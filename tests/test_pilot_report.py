"""The pilot report (core/pilot, issue 10 section 4), over HTTP on both databases.

- Generated small worlds (organisations, groups with members and anchors, meetings with
  registrations, priority areas, resources (published or not, shared with another group),
  assistance matches (completed or under way), action plans with commitments and IRM
  assessments), inserted through SQL; `pilotReport` answers exactly what plain Python
  recomputes from the world.
- An empty period: every group listed with zeros and null rates.
- A disabled plugin's group is in neither the GraphQL answer nor the CSV.
- The CSV (GET /reports/pilot.csv) holds exactly the GraphQL answer's figures, groups side by
  side; bad parameters answer 400, and `from` after `to` is INVALID_ARGUMENT.
- The number of SQL statements does not grow with the data.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, update

from core.assistance.models import AssistanceMatch, AssistanceOffer, AssistanceRequest
from core.commitments.models import ActionPlan, Commitment, CommitmentGroup, IrmAssessment
from core.db import Database
from core.groups.models import Anchor, Membership, WorkingGroup
from core.knowledge.models import Resource, ResourceGroup
from core.meetings.models import Meeting, Registration
from core.models import StaffRole
from core.people.models import Country, Organization, Person
from core.priorities.models import PriorityArea
from core.testing import ClientFactory, clear

THEMES = ("open_data", "fiscal_openness", "extractives")
KINDS = ("GOVERNMENT", "CIVIL_SOCIETY", "MULTILATERAL", "ACADEMIA")
COUNTRIES = ("QA", "QB", "QC")
BASE = datetime(2019, 1, 1, tzinfo=UTC)
HOURS = 60_000  # ~6.8 years after BASE: every instant is past, so attendance may be recorded
COMPLETION = ("NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE")
OPENED = ("WORSENED", "DID_NOT_CHANGE", "MARGINAL", "MAJOR", "OUTSTANDING")
RESULTS = ("UNCLEAR", "MODEST", "SUBSTANTIAL")
IMPACT = ("NONE", "MINOR", "MODERATE", "TRANSFORMATIVE")

IRM = """commitments assessed rated ambitious ambitiousShare starred completionRate
  completion { noEvidence notStarted limited substantial complete }
  didItOpenGovernment { worsened didNotChange marginal major outstanding }
  openedGovernmentShare"""
CHANGE = "change { commitments ambitious ambitiousShare completionRate openedGovernmentShare }"
ACTIVITY = """meetings attended noShows attendanceRate organizationsJoined priorityAreasAgreed
  resourcesShared matchesCompleted"""
REPORT = f"""
query Pilot($from: Date!, $to: Date!, $interval: PilotReportInterval!) {{
  pilotReport(from: $from, to: $to, interval: $interval) {{
    from to interval periods {{ label startsOn endsOn }}
    groups {{
      slug group {{ slug }}
      participation {{ organizations countries governments civilSociety otherOrganizations }}
      activity {{ {ACTIVITY} }}
      overTime {{ period activity {{ {ACTIVITY} }} participation {{ organizations countries governments civilSociety otherOrganizations }} }}
      meetings(first: 100) {{
        totalCount pageInfo {{ hasNextPage }}
        nodes {{ meeting {{ title }} startsAt registered attended noShows attendanceRate }}
      }}
      commitments {{ {IRM} }}
      commitmentsByCycle {{ cycle figures {{ {IRM} }} {CHANGE} }}
      commitmentsByCountry {{
        code country {{ code }} figures {{ {IRM} }} cycles {{ cycle figures {{ {IRM} }} {CHANGE} }}
      }}
    }}
  }}
}}
"""


# --- Worlds -------------------------------------------------------------------------------------

hours = st.integers(0, HOURS)
registrations = st.lists(
    st.sampled_from(("ATTENDED", "NO_SHOW", "REGISTERED", "CANCELLED", "WAITLISTED")), max_size=4
)
groups = st.fixed_dictionaries(
    {
        "theme": st.sampled_from(THEMES),
        "members": st.dictionaries(
            st.integers(0, 5), st.tuples(st.sampled_from(("MEMBER", "OBSERVER")), hours)
        ),
        "anchors": st.fixed_dictionaries(
            {kind: st.none() | hours for kind in ("GOVERNMENT", "CIVIL_SOCIETY")}
        ),
        "anchored": st.fixed_dictionaries(
            {kind: st.booleans() for kind in ("GOVERNMENT", "CIVIL_SOCIETY")}
        ),
        "meetings": st.lists(st.tuples(hours, st.booleans(), registrations), max_size=3),
        "areas": st.lists(st.tuples(st.booleans(), hours), max_size=2),
        # (published, when, another group it is shared with)
        "resources": st.lists(
            st.tuples(st.booleans(), hours, st.none() | st.integers(0, 2)), max_size=3
        ),
        # (completed, when it was completed or moved last)
        "matches": st.lists(st.tuples(st.booleans(), hours), max_size=2),
    }
)
assessments = st.none() | st.fixed_dictionaries(
    {
        "verifiable": st.none() | st.booleans(),
        "values": st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
        "results": st.none() | st.sampled_from(RESULTS),
        "impact": st.none() | st.sampled_from(IMPACT),
        "completion": st.none() | st.sampled_from(COMPLETION),
        "opened": st.none() | st.sampled_from(OPENED),
    }
)
plans = st.lists(
    st.tuples(
        st.integers(0, 2),  # country
        st.integers(2011, 2024),  # cycle start year
        st.sampled_from((2, 3)),  # years
        st.lists(st.tuples(st.sets(st.integers(0, 2)), assessments), max_size=4),
    ),
    max_size=5,
    unique_by=lambda p: (p[0], p[1]),
)
worlds = st.fixed_dictionaries(
    {
        "orgs": st.lists(
            st.tuples(st.sampled_from(KINDS), st.integers(0, 2)), min_size=1, max_size=6
        ),
        "groups": st.lists(groups, min_size=1, max_size=3),
        "plans": plans,
    }
)
periods = st.tuples(
    st.integers(0, 2600), st.integers(0, 2600), st.sampled_from(("QUARTER", "YEAR"))
)


def at(hour: int) -> datetime:
    return BASE + timedelta(hours=hour)


def anchor_org(world: dict[str, Any], kind: str) -> int | None:
    """The first organisation of that kind (index), which anchors for it when a group is
    anchored on that side."""
    return next((i for i, (k, _) in enumerate(world["orgs"]) if k == kind), None)


def proposer(group: dict[str, Any]) -> int | None:
    """The member organisation (role MEMBER, lowest index) that proposes the group's areas."""
    return min((o for o, (role, _) in group["members"].items() if role == "MEMBER"), default=None)


def members(world: dict[str, Any], group: dict[str, Any]) -> dict[int, tuple[str, int]]:
    return {o: m for o, m in group["members"].items() if o < len(world["orgs"])}


async def insert_world(db: Database, world: dict[str, Any]) -> None:
    """The world as rows (ids from 1 in list order), through SQL."""
    person = 0
    async with db.write() as conn:
        for i, code in enumerate(COUNTRIES, 1):
            await conn.execute(
                insert(Country).values(
                    id=i, alpha2=code, alpha3=code + "X", name=f"Country {code}", region="R"
                )
            )
        for i, (kind, country) in enumerate(world["orgs"], 1):
            await conn.execute(
                insert(Organization).values(
                    id=i, name=f"Org {i}", kind=kind, country_id=country + 1
                )
            )
        offerer = len(world["orgs"]) + 1  # offers help to every request: never a group's member
        await conn.execute(
            insert(Organization).values(
                id=offerer, name="Offerer", kind="CIVIL_SOCIETY", country_id=1
            )
        )
        requester = offerer + 1  # a government (requests need one, or civil society), no member
        await conn.execute(
            insert(Organization).values(
                id=requester, name="Requester", kind="GOVERNMENT", country_id=1
            )
        )
        for g, group in enumerate(world["groups"], 1):
            await conn.execute(
                insert(WorkingGroup).values(
                    id=g, slug=f"group-{g}", name=f"Group {g}", theme=group["theme"],
                    status="PROPOSED",
                )
            )  # fmt: skip
            for o, (role, hour) in members(world, group).items():
                await conn.execute(
                    insert(Membership).values(
                        group_id=g, organization_id=o + 1, role=role, joined_at=at(hour)
                    )
                )
            for kind, since in group["anchors"].items():
                org = anchor_org(world, kind)
                if org is None or not group["anchored"][kind]:
                    continue
                await conn.execute(
                    insert(Anchor).values(
                        group_id=g, organization_id=org + 1, organization_kind=kind, role=kind,
                        since=None if since is None else at(since).date(),
                    )
                )  # fmt: skip
            for hour, cancelled, statuses in group["meetings"]:
                meeting = await conn.scalar(
                    insert(Meeting)
                    .values(
                        group_id=g, title=f"Meeting at {hour} of group {g}", kind="VIRTUAL",
                        starts_at=at(hour), ends_at=at(hour + 1), timezone="UTC",
                        registered_count=0, cancelled_at=at(hour - 24) if cancelled else None,
                    )
                    .returning(Meeting.id)
                )  # fmt: skip
                for status in statuses:
                    person += 1
                    await conn.execute(insert(Person).values(id=person, name=f"P{person}"))
                    await conn.execute(
                        insert(Registration).values(
                            meeting_id=meeting, person_id=person, status=status,
                            created_at=at(hour - 48), queued_at=at(hour - 48),
                        )
                    )  # fmt: skip
            org = proposer(group)
            for n, (agreed, hour) in enumerate(group["areas"]):
                if org is None or org >= len(world["orgs"]):
                    break
                area = await conn.scalar(
                    insert(PriorityArea)
                    .values(
                        group_id=g, title=f"Area {n}", rationale="r", status="PROPOSED",
                        proposed_by_organization_id=org + 1, created_at=at(hour - 48),
                    )
                    .returning(PriorityArea.id)
                )  # fmt: skip
                await conn.execute(
                    update(PriorityArea)
                    .where(PriorityArea.id == area)
                    .values(status="UNDER_DISCUSSION", opened_at=at(hour - 24), closes_at=at(hour))
                )
                await conn.execute(
                    update(PriorityArea)
                    .where(PriorityArea.id == area)
                    .values(
                        status="AGREED" if agreed else "NOT_AGREED", agreed=agreed,
                        closed_at=at(hour), endorsements=1, objections=0, participants=1,
                        member_organizations=1, rule_objections_block=True,
                        rule_min_endorsement_share=0.5,
                    )
                )  # fmt: skip
        staff = person + 1  # moves every match (staff may make every move)
        await conn.execute(insert(Person).values(id=staff, name="Staff"))
        await conn.execute(insert(StaffRole).values(person_id=staff))
        for g, group in enumerate(world["groups"], 1):
            for published, hour, other in group["resources"]:
                resource = await conn.scalar(
                    insert(Resource)
                    .values(
                        group_id=g, kind="GUIDE", status="PUBLISHED" if published else "DRAFT",
                        title="R", summary="s", url="https://example.org/r",
                        organization_id=1, licence="CC-BY-4.0", illustrative=True,
                        published_at=at(hour) if published else None,
                    )
                    .returning(Resource.id)
                )  # fmt: skip
                if other is not None and other < len(world["groups"]) and other + 1 != g:
                    await conn.execute(
                        insert(ResourceGroup).values(resource_id=resource, group_id=other + 1)
                    )
            for completed, hour in group["matches"]:
                request = await conn.scalar(
                    insert(AssistanceRequest)
                    .values(
                        group_id=g, organization_id=requester, country_id=1, title="Q", needs="n",
                        kind="PEER_EXCHANGE", status="OPEN", illustrative=True,
                    )
                    .returning(AssistanceRequest.id)
                )  # fmt: skip
                offer = await conn.scalar(
                    insert(AssistanceOffer)
                    .values(
                        organization_id=offerer, title="O", description="d", status="OPEN",
                        illustrative=True,
                    )
                    .returning(AssistanceOffer.id)
                )  # fmt: skip
                match = await conn.scalar(
                    insert(AssistanceMatch)
                    .values(
                        request_id=request, offer_id=offer, status="SUGGESTED", score=1,
                        illustrative=True,
                    )
                    .returning(AssistanceMatch.id)
                )  # fmt: skip
                moves = ["PROPOSED", "ACCEPTED", "IN_PROGRESS"]  # not completed: under way
                moves += ["COMPLETED"] if completed else []
                for status in moves:
                    done = status == "COMPLETED"
                    await conn.execute(
                        update(AssistanceMatch)
                        .where(AssistanceMatch.id == match)
                        .values(
                            status=status, moved_by_person_id=staff, moved_at=at(hour),
                            completed_at=at(hour) if done else None,
                            outcome_report="It worked." if done else None,
                        )
                    )  # fmt: skip
        commitment = 0
        for p, (country, year, length, items) in enumerate(world["plans"], 1):
            await conn.execute(
                insert(ActionPlan).values(
                    id=p, country_id=country + 1, title=f"Plan {p}",
                    cycle_start=date(year, 7, 1), cycle_end=date(year + length, 6, 30),
                    cohort=year, illustrative=True,
                )
            )  # fmt: skip
            for position, (linked, assessment) in enumerate(items, 1):
                commitment += 1
                await conn.execute(
                    insert(Commitment).values(
                        id=commitment, action_plan_id=p, reference=f"C{position}",
                        position=position, title=f"Commitment {commitment}", illustrative=True,
                    )
                )  # fmt: skip
                for g in sorted(linked):
                    if g < len(world["groups"]):
                        await conn.execute(
                            insert(CommitmentGroup).values(commitment_id=commitment, group_id=g + 1)
                        )
                if assessment is not None:
                    a = assessment
                    impact = None if a["results"] is not None else a["impact"]
                    ati, cp, pa, tech = a["values"]
                    await conn.execute(
                        insert(IrmAssessment).values(
                            commitment_id=commitment, verifiable=a["verifiable"],
                            access_to_information=ati, civic_participation=cp,
                            public_accountability=pa, technology_and_innovation=tech,
                            potential_for_results=a["results"], potential_impact=impact,
                            completion=a["completion"], did_it_open_government=a["opened"],
                            source_title="IRM report (test)", illustrative=True,
                        )
                    )  # fmt: skip


# --- The same figures, recomputed in Python -------------------------------------------------------


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


# --- Tests ----------------------------------------------------------------------------------------


def variables(first: date, last: date, interval: str = "QUARTER") -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat(), "interval": interval}


def test_figures_equal_a_recomputation(database_url: str) -> None:
    """Any small world, any period: the report answers what Python recomputes from the rows."""
    loop = asyncio.new_event_loop()
    factory = ClientFactory()
    client = factory(database_url)
    db = Database(database_url)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(world=worlds, period=periods)
    def check(world: dict[str, Any], period: tuple[int, int, str]) -> None:
        first = BASE.date() + timedelta(days=period[0])
        last = first + timedelta(days=period[1])

        async def run() -> dict[str, Any]:
            await clear(database_url)
            await insert_world(db, world)
            return await client.execute(REPORT, variables(first, last, period[2]))

        data = loop.run_until_complete(run())["pilotReport"]
        assert data["from"] == first.isoformat() and data["to"] == last.isoformat()
        assert [p["label"] for p in data["periods"]] == [c[0] for c in cut(first, last, period[2])]
        assert normalise(data["groups"]) == expected(world, first, last, period[2])

    try:
        check()
    finally:
        loop.run_until_complete(db.dispose())
        loop.run_until_complete(factory.close())
        loop.close()


SMALL = {
    "orgs": [("GOVERNMENT", 0), ("CIVIL_SOCIETY", 1)],
    "groups": [
        {
            "theme": "open_data",
            "members": {0: ("MEMBER", 10), 1: ("MEMBER", 20)},
            "anchors": {"GOVERNMENT": None, "CIVIL_SOCIETY": None},
            "anchored": {"GOVERNMENT": False, "CIVIL_SOCIETY": False},
            "meetings": [(100, False, ["ATTENDED", "NO_SHOW"])],
            "areas": [(True, 200)],
            "resources": [(True, 150, 1), (False, 160, None)],
            "matches": [(True, 400), (False, 420)],
        },
        {
            "theme": "fiscal_openness",
            "members": {1: ("OBSERVER", 30)},
            "anchors": {"GOVERNMENT": 50, "CIVIL_SOCIETY": None},
            "anchored": {"GOVERNMENT": True, "CIVIL_SOCIETY": False},
            "meetings": [(300, False, ["ATTENDED"])],
            "areas": [],
            "resources": [],
            "matches": [],
        },
    ],
    "plans": [
        (0, 2016, 2, [({0, 1}, {"verifiable": True, "values": (True, False, False, False),
                                "results": None, "impact": "TRANSFORMATIVE",
                                "completion": "COMPLETE", "opened": "MAJOR"})]),
        (0, 2018, 2, [({0}, None)]),
    ],
}  # fmt: skip


def bigger(world: dict[str, Any], times: int) -> dict[str, Any]:
    """The same shapes, `times` as many groups, meetings, registrations, plans."""
    groups = []
    for _ in range(times):
        for group in world["groups"]:
            groups.append(
                {**group, "meetings": group["meetings"] * times, "areas": group["areas"] * times}
            )
    plans = [
        (country, year + 3 * k, length, items * times)
        for k in range(times)
        for country, year, length, items in world["plans"]
    ]
    links = [(set(range(len(groups))), None)]
    return {**world, "groups": groups, "plans": [*plans, (2, 2011, 2, links)]}


async def test_statement_count_does_not_grow_with_the_data(
    empty_db: str, make_client: ClientFactory
) -> None:
    client = make_client(empty_db, debug=True)
    db = Database(empty_db)
    counts = []
    try:
        for world in (SMALL, bigger(SMALL, 4)):
            await clear(empty_db)
            await insert_world(db, world)
            response = await client.post(REPORT, variables(date(2019, 1, 1), date(2026, 1, 1)))
            assert "errors" not in response.json()
            assert len(response.json()["data"]["pilotReport"]["groups"]) == len(world["groups"])
            counts.append(int(response.headers["x-sql-statements"]))
    finally:
        await db.dispose()
    assert counts[0] == counts[1], counts
    # groups, participation, meetings, activity over time, commitments; then a level at a time:
    # groups, meetings, countries
    assert counts[0] == 8, counts


async def test_an_empty_period_lists_every_group_with_zeros(
    empty_db: str, make_client: ClientFactory
) -> None:
    db = Database(empty_db)
    try:
        await insert_world(db, SMALL)
    finally:
        await db.dispose()
    client = make_client(empty_db)
    data = await client.execute(REPORT, variables(date(2000, 1, 1), date(2000, 12, 31), "YEAR"))
    report = flat(data["pilotReport"])
    assert report["periods"] == [
        {"label": "2000", "startsOn": "2000-01-01", "endsOn": "2000-12-31"}
    ]
    assert [g["slug"] for g in report["groups"]] == ["group-1", "group-2"]
    for group in report["groups"]:
        assert group["participation"]["organizations"] == 0
        assert group["activity"] == {
            "meetings": 0, "attended": 0, "noShows": 0, "attendanceRate": None,
            "organizationsJoined": 0, "priorityAreasAgreed": 0, "resourcesShared": 0,
            "matchesCompleted": 0,
        }  # fmt: skip
        assert group["overTime"] == [
            {
                "period": "2000",
                "activity": group["activity"],
                "participation": group["participation"],
            }
        ]
        assert group["meetings"] == []
        assert group["commitments"]["commitments"] == 0
        assert group["commitments"]["ambitiousShare"] is None
        assert group["commitmentsByCycle"] == group["commitmentsByCountry"] == []


def csv_from_answer(report: dict[str, Any]) -> list[list[str]]:
    """The CSV core/pilot/export.py documents, built from the GraphQL answer."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def snake(name: str) -> str:
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)

    def irm_rows(section: str, key: str, f: dict[str, Any], change: Any = False) -> list[Any]:
        rows = [(section, key, snake(k), f[k])
                for k in ("commitments", "assessed", "rated", "ambitious", "ambitiousShare",
                          "starred")]  # fmt: skip
        rows += [(section, key, f"completion_{snake(k)}", n) for k, n in f["completion"].items()]
        rows.append((section, key, "completion_rate", f["completionRate"]))
        rows += [
            (section, key, f"opened_{snake(k)}", n) for k, n in f["didItOpenGovernment"].items()
        ]
        rows.append((section, key, "opened_government_share", f["openedGovernmentShare"]))
        if change is not False:
            for k in ("commitments", "ambitious", "ambitiousShare", "completionRate",
                      "openedGovernmentShare"):  # fmt: skip
                rows.append(
                    (section, key, f"change_{snake(k)}", None if change is None else change[k])
                )
        return rows

    columns: dict[tuple[str, str, str], dict[str, Any]] = {}
    for g in report["groups"]:
        rows: list[Any] = [
            ("participation", "", snake(k), v) for k, v in g["participation"].items()
        ]
        rows += [("activity", "", snake(k), v) for k, v in g["activity"].items()]
        for p in g["overTime"]:
            rows += [("period", p["period"], snake(k), v) for k, v in p["activity"].items()]
            rows += [("period", p["period"], snake(k), v) for k, v in p["participation"].items()]
        for m in g["meetings"]:
            key = f"{m['startsAt'][:19]}Z {m['meeting']['title']}"
            rows += [("meeting", key, snake(k), m[k])
                     for k in ("registered", "attended", "noShows", "attendanceRate")]  # fmt: skip
        rows += irm_rows("commitments", "", g["commitments"])
        for c in g["commitmentsByCycle"]:
            rows += irm_rows("cycle", c["cycle"], c["figures"], c["change"])
        for country in g["commitmentsByCountry"]:
            rows += irm_rows("country", country["code"], country["figures"])
            for c in country["cycles"]:
                rows += irm_rows(
                    "country_cycle", f"{country['code']} {c['cycle']}", c["figures"], c["change"]
                )
        for section, key, name, value in rows:
            columns.setdefault((section, key, name), {})[g["slug"]] = value
    slugs = [g["slug"] for g in report["groups"]]
    return [["section", "key", "figure", *slugs]] + [
        [*k, *(text(v.get(s)) for s in slugs)] for k, v in columns.items()
    ]


async def test_the_csv_holds_the_graphql_answer(empty_db: str, make_client: ClientFactory) -> None:
    db = Database(empty_db)
    try:
        await insert_world(db, bigger(SMALL, 2))
    finally:
        await db.dispose()
    client = make_client(empty_db)
    args = variables(date(2019, 1, 1), date(2020, 6, 30))
    report = flat((await client.execute(REPORT, args))["pilotReport"])
    response = await client.http.get("/reports/pilot.csv", params=args)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        'filename="pilot-report-2019-01-01-2020-06-30.csv"'
        in response.headers["content-disposition"]
    )
    table = list(csv.reader(io.StringIO(response.text)))
    expected_rows = csv_from_answer(report)
    assert table[0] == expected_rows[0]
    # the same rows; the CSV's order is its own (sections, then keys, then figures)
    assert sorted(table[1:]) == sorted(expected_rows[1:])
    assert len(table) == len({tuple(r[:3]) for r in table})
    sections = [r[0] for r in table[1:]]
    assert sections == sorted(sections, key=[
        "participation", "activity", "period", "meeting", "commitments", "cycle", "country",
        "country_cycle"].index)  # fmt: skip


MEETINGS = """
query Meetings($from: Date!, $to: Date!, $first: Int, $after: String) {
  pilotReport(from: $from, to: $to) {
    groups {
      meetings(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { meeting { id } startsAt } }
      }
    }
  }
}
"""


async def test_meetings_come_a_page_at_a_time(empty_db: str, make_client: ClientFactory) -> None:
    """Pages of `first` follow one another by cursor, ties on the start broken by id, and add up
    to the whole list; totalCount is every meeting; `first` above 100 and a foreign cursor are
    refused."""
    db = Database(empty_db)
    try:
        await insert_world(db, bigger(SMALL, 5))  # 5 meetings per group, at the same hour
    finally:
        await db.dispose()
    client = make_client(empty_db)
    args = {"from": "2019-01-01", "to": "2026-01-01"}

    async def pages(first: int | None, after: str | None = None) -> list[Any]:
        data = await client.execute(MEETINGS, {**args, "first": first, "after": after})
        return [g["meetings"] for g in data["pilotReport"]["groups"]]

    whole = (await pages(100))[0]
    assert whole["totalCount"] == len(whole["edges"]) == 5
    assert len({e["node"]["meeting"]["id"] for e in whole["edges"]}) == 5
    walked, after = [], None
    while True:
        page = (await pages(2, after))[0]
        assert page["totalCount"] == 5
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        walked += page["edges"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [len(walked)] == [5] and walked == whole["edges"]
    default = (await pages(None))[0]
    assert default["edges"] == whole["edges"]  # 20 by default: all 5
    for first, after, code in ((101, None, "INVALID_ARGUMENT"), (0, None, "INVALID_ARGUMENT"),
                               (2, "bm90IGEgY3Vyc29y", "INVALID_CURSOR")):  # fmt: skip
        errors = await client.errors(MEETINGS, {**args, "first": first, "after": after})
        assert errors[0]["extensions"]["code"] == code


async def test_a_disabled_plugins_group_is_hidden(
    empty_db: str, make_client: ClientFactory
) -> None:
    db = Database(empty_db)
    try:
        await insert_world(db, SMALL)
    finally:
        await db.dispose()
    args = variables(date(2019, 1, 1), date(2026, 1, 1), "YEAR")
    everything = make_client(empty_db)
    without = make_client(empty_db, plugins={"disabled": ["open_data"]})
    all_groups = (await everything.execute(REPORT, args))["pilotReport"]["groups"]
    report = (await without.execute(REPORT, args))["pilotReport"]
    assert [g["slug"] for g in all_groups] == ["group-1", "group-2"]
    assert [g["slug"] for g in report["groups"]] == ["group-2"]  # group-1 is open_data's
    assert report["groups"][0] == all_groups[1]
    response = await without.http.get("/reports/pilot.csv", params=args)
    header = next(csv.reader(io.StringIO(response.text)))
    assert header == ["section", "key", "figure", "group-2"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"to": "2020-01-01"}, "`from` is required"),
        ({"from": "2020-13-01", "to": "2020-01-01"}, "not YYYY-MM-DD"),
        ({"from": "2020-01-01", "to": "2020-01-01", "interval": "MONTH"}, "QUARTER or YEAR"),
        ({"from": "2021-01-01", "to": "2020-01-01"}, "is after"),
        ({"from": "1900-01-01", "to": "2020-01-01"}, "at most 200"),
        ({"from": "9999-12-31", "to": "9999-12-31"}, "is outside"),
    ],
)
async def test_bad_periods_are_refused(
    empty_db: str, make_client: ClientFactory, params: dict[str, str], reason: str
) -> None:
    client = make_client(empty_db)
    response = await client.http.get("/reports/pilot.csv", params=params)
    assert response.status_code == 400 and reason in response.text
    if reason in ("is after", "at most 200", "is outside"):
        errors = await client.errors(REPORT, {**params, "interval": "QUARTER"})
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"
        assert reason in errors[0]["message"]
