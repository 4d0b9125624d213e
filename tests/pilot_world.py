"""The pilot report's test world (tests/test_pilot_report.py): generated small worlds
(organisations, groups with members and anchors, meetings with registrations, priority areas,
resources, assistance matches, action plans with commitments and IRM assessments) and their
insertion through SQL. The figures `pilotReport` must answer for a world, recomputed in plain
Python, are in tests/pilot_expected.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

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

THEMES = ("open_data", "fiscal_openness", "extractives")
KINDS = ("GOVERNMENT", "CIVIL_SOCIETY", "MULTILATERAL", "ACADEMIA")
COUNTRIES = ("QA", "QB", "QC")
BASE = datetime(2019, 1, 1, tzinfo=UTC)
HOURS = 60_000  # ~6.8 years after BASE: every instant is past, so attendance may be recorded
COMPLETION = ("NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE")
OPENED = ("WORSENED", "DID_NOT_CHANGE", "MARGINAL", "MAJOR", "OUTSTANDING")
RESULTS = ("UNCLEAR", "MODEST", "SUBSTANTIAL")
IMPACT = ("NONE", "MINOR", "MODERATE", "TRANSFORMATIVE")


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
