"""Demo data of the group's life (issue 9, sections 4 and 7): the five 2013 pilot groups' real
anchors with their sources, the Steering Committee decisions that made them pilots, and one
proposal.

Sources (each anchor and decision row carries its own in `source`):
- OGP, "Working Groups" (https://www.opengovpartnership.org/about/working-groups): each group
  "will be led by at least one government anchor and at least one civil society anchor"; the
  leads: GIFT with the Governments of Brazil and the Philippines (fiscal openness), the Web
  Foundation with Canada (open data), NDI with Chile (legislative openness), Revenue Watch (later
  NRGI) for the extractives, Mexico's IFAI for access to information. The groups first met at
  the London Summit (31 October 2013).
- OGP Support Unit, "Invitation to join an OGP Working Group" (7 September 2013; `ANNOUNCEMENT`,
  an archived copy: no copy on OGP's site was found): the five pilot groups "each co-led by at
  least one civil society organization and at least one OGP government", access to information
  led by IFAI with the Alianza Regional por la Libre Expresión e Información.
- OGP, "Fiscal Openness" (https://www.opengovpartnership.org/about/working-groups/fiscal-openness):
  "facilitated by Governments of Brazil and Philippines ... GIFT".
- GIFT, "Introducing the Fiscal Openness Working Group"
  (https://fiscaltransparency.net/introducing-the-fiscal-openness-working-group/): the group was
  presented on 30 July 2013, Brazil presenting its fiscal transparency commitments.
Not sourced here, so illustrative in the data: the exact days of the Steering Committee's
decisions and which meeting took them (the decision making the groups pilots is dated the day of
the announcement, which named their anchors), which agency represented Brazil (its Comptroller
General is the demo's Brazilian government organisation), the anchors' terms' exact first day
(the announcement's: the anchors lead the group from the day it becomes a pilot, as the rule
for a PILOT group wants), and the proposal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from core import models
from core.activity.models import ActivityEvent
from core.activity.services import record
from core.enums import AnchorRole, GroupStatus, OrganizationKind
from core.groups import lifecycle
from core.groups.models import ALLOWED_TRANSITIONS

ILLUSTRATIVE = "(Illustrative demo data.)"
WG_PAGE = "https://www.opengovpartnership.org/about/working-groups"
FISCAL_PAGE = "https://www.opengovpartnership.org/about/working-groups/fiscal-openness"
GIFT_POST = "https://fiscaltransparency.net/introducing-the-fiscal-openness-working-group/"
ANNOUNCEMENT = "https://lists-archive.okfn.org/pipermail/open-government/2013-September/007095.html"
"""OGP's announcement of the pilot: the Support Unit's e-mail "Invitation to join an OGP Working
Group" (7 September 2013), naming the five groups and their anchors, in the archived copy
forwarded to the Open Knowledge open-government list on 11 September 2013. We found no copy on
OGP's own site; freedominfo.org reported it the same day (ANNOUNCEMENT_REPORT)."""
ANNOUNCEMENT_REPORT = (
    "http://www.freedominfo.org/2013/09/ogp-forming-working-group-on-access-to-information/"
)
ANNOUNCED = (
    "OGP's announcement of the working-group pilot, 'Invitation to join an OGP Working Group' "
    f"(7 September 2013, archived copy): {ANNOUNCEMENT}; OGP's working-group pages: {WG_PAGE}"
)
ANNOUNCED_ON = date(2013, 9, 7)
"""The day of OGP's announcement of the pilot (ANNOUNCEMENT), which named each group's anchors."""
PIPELINE_ON = date(2013, 4, 1)  # illustrative: the pilot was being prepared in spring 2013
PILOT_ON = ANNOUNCED_ON  # illustrative: no source gives the decision's day; the announcement's
ANCHORS_SINCE = ANNOUNCED_ON
"""The first day of the 2013 anchors' terms: the announcement named them, and the group is a
PILOT from that day (PILOT_ON), so its history never shows it PILOT without its anchors."""

ALIANZA = "Alianza Regional por la Libre Expresión e Información"
EXTRA_ORGANIZATIONS = [(ALIANZA, OrganizationKind.CIVIL_SOCIETY, "https://www.alianzaregional.net")]
"""Organisations the 2013 anchors need that the core's demo data lacks (added if missing)."""

GOV, CSO = AnchorRole.GOVERNMENT, AnchorRole.CIVIL_SOCIETY
ANCHORS_2013: dict[str, list[tuple[AnchorRole, str, str]]] = {
    # government first, as the plugins' demos always added them (who registers for the Summit
    # sessions follows the anchors' order: core/meetings/demo.py)
    "fiscal-openness": [
        (GOV, "Government of the Philippines (Department of Budget and Management)", FISCAL_PAGE),
        (CSO, "Global Initiative for Fiscal Transparency (GIFT)", f"{FISCAL_PAGE}; {GIFT_POST}"),
        (
            GOV,
            "Government of Brazil (Office of the Comptroller General, CGU)",
            f"{FISCAL_PAGE} (the Government of Brazil; the agency shown is illustrative)",
        ),
    ],
    "open-data": [
        (GOV, "Government of Canada (Treasury Board Secretariat)", ANNOUNCED),
        (
            CSO,
            "World Wide Web Foundation",
            f"{ANNOUNCED} (the Global Open Data Initiative, through the Web Foundation)",
        ),
    ],
    "open-parliaments": [
        (GOV, "Congress of Chile (Chamber of Deputies)", f"{ANNOUNCED} (Chile)"),
        (CSO, "National Democratic Institute (NDI)", ANNOUNCED),
    ],
    "extractive-industries": [
        (GOV, "Government of Ghana (Ministry of Finance)", f"{ANNOUNCED} (Ghana)"),
        (
            CSO,
            "Revenue Watch Institute (now Natural Resource Governance Institute)",
            ANNOUNCED,
        ),
    ],
    "access-to-information": [
        (
            GOV,
            "Government of Mexico (Federal Institute for Access to Information, IFAI)",
            ANNOUNCED,
        ),
        (CSO, ALIANZA, ANNOUNCED),
    ],
}
"""The 2013 anchors of each pilot group (by slug): (role, organisation, source)."""


def _decision(to: GroupStatus | None, on: date, reason: str, **allowance: int) -> Any:
    return lifecycle.Decision(
        decided_on=on,
        to_status=to,
        meeting=f"Steering Committee, 2013 {ILLUSTRATIVE}",
        reason=reason,
        source=ANNOUNCED,
        illustrative=True,
        **allowance,
    )


async def _group(conn: Any, group_id: int) -> Any:
    stmt = select(*models.WorkingGroup.__table__.c).where(models.WorkingGroup.id == group_id)
    return (await conn.execute(stmt)).one()


async def _apply(conn: Any, group_id: int, decision: Any) -> None:
    """Record `decision` on the group as staff would, its GROUP_DECISION event dated the day it
    was decided (noon UTC), not the day the demo was loaded."""
    await lifecycle.apply_decision(conn, await _group(conn, group_id), decision, None)
    event = ActivityEvent
    newest = (
        select(func.max(event.id))
        .where(event.group_id == group_id, event.verb == "GROUP_DECISION")
        .scalar_subquery()
    )
    at = datetime.combine(decision.decided_on, time(12, 0), tzinfo=UTC)
    await conn.execute(update(event).where(event.id == newest).values(at=at))


async def _organizations(conn: Any, names: list[str]) -> dict[str, tuple[int, str]]:
    org = models.Organization
    have = {n for (n,) in await conn.execute(select(org.name).where(org.name.in_(names)))}
    for name, kind, website in EXTRA_ORGANIZATIONS:
        if name in names and name not in have:
            await conn.execute(insert(org).values(name=name, kind=kind, website=website))
    rows = await conn.execute(select(org.name, org.id, org.kind).where(org.name.in_(names)))
    return {name: (pk, kind) for name, pk, kind in rows}


async def pilot(conn: Any, group_id: int, slug: str, status: GroupStatus) -> None:
    """A newly made pilot group (PROPOSED): into the PIPELINE, its 2013 anchors (a second
    government anchor allowed first where there were two), then to PILOT by the 2013 decision,
    then on to `status` if the plugin's demo asks for another."""
    anchors = ANCHORS_2013[slug]
    orgs = await _organizations(conn, [name for _, name, _ in anchors])
    reason = "Taken into the pipeline of thematic working groups for the 2013 pilot."
    await _apply(conn, group_id, _decision(GroupStatus.PIPELINE, PIPELINE_ON, reason))
    governments = sum(1 for role, _, _ in anchors if role == GOV)
    if governments > 1:
        reason = (
            "Two government anchors allowed: the group is led by GIFT with the Governments of "
            "Brazil and the Philippines."
        )
        allowance = _decision(None, PIPELINE_ON, reason, max_government_anchors=governments)
        allowance.source = FISCAL_PAGE
        await _apply(conn, group_id, allowance)
    for role, name, source in anchors:
        pk, kind = orgs[name]
        await conn.execute(
            insert(models.Anchor).values(
                group_id=group_id,
                organization_id=pk,
                organization_kind=kind,
                role=role,
                since=ANCHORS_SINCE,
                source=source,
            )
        )
    reason = (
        "One of the five thematic working groups piloted from 2013, each led by at least one "
        "government and one civil-society anchor."
    )
    await _apply(conn, group_id, _decision(GroupStatus.PILOT, PILOT_ON, reason))
    await reach(conn, group_id, status)


async def reach(conn: Any, group_id: int, status: GroupStatus) -> None:
    """Move a demo group to `status` by illustrative decisions along the allowed moves (the
    first allowed route found; nothing when it is there already)."""
    group = await _group(conn, group_id)
    route = _route(GroupStatus(group.status), status)
    for step in route:
        reason = f"Moved to {step.value} for the demo. {ILLUSTRATIVE}"
        await _apply(conn, group_id, _decision(step, PILOT_ON, reason))


def _route(start: GroupStatus, goal: GroupStatus) -> list[GroupStatus]:
    paths: dict[GroupStatus, list[GroupStatus]] = {start: []}
    queue = [start]
    while queue:
        here = queue.pop(0)
        if here == goal:
            return paths[here]
        for there in sorted(ALLOWED_TRANSITIONS[here]):
            if there not in paths:
                paths[there] = [*paths[here], there]
                queue.append(there)
    raise ValueError(f"no allowed route from {start} to {goal}")


PROPOSAL = {
    "slug": "open-contracting",
    "name": "Open Contracting Working Group",
    "summary": "Proposed: peer learning on publishing and using public contracting data.",
    "rationale": (
        "Many action plans commit to open public procurement, and governments ask each other "
        "how to publish contracts and their data and how civil society can monitor them. A "
        f"group with a government and a civil-society anchor would pool that. {ILLUSTRATIVE}"
    ),
}
PROPOSAL_THEME = "fiscal_openness"  # the nearest enabled theme; see docs in the README


PROPOSAL_AGE = timedelta(days=14)
"""Illustrative: the proposal was made two weeks before the demo's day (`today`)."""


async def load_proposal(conn: Any, today: date | None = None) -> int:
    """The demo's one PROPOSED group (illustrative), under fiscal openness when that plugin's
    demo group is there, proposed PROPOSAL_AGE before `today` (None: the real today) with its
    GROUP_PROPOSED event then; idempotent. Returns how many groups it added (0 or 1)."""
    group = models.WorkingGroup
    if await conn.scalar(select(group.id).where(group.theme == PROPOSAL_THEME).limit(1)) is None:
        return 0
    if await conn.scalar(select(group.id).where(group.slug == PROPOSAL["slug"])) is not None:
        return 0
    gift = await conn.scalar(
        select(models.Organization.id).where(
            models.Organization.name == "Global Initiative for Fiscal Transparency (GIFT)"
        )
    )
    proposed_at = datetime.combine(today or date.today(), time(10, 0), tzinfo=UTC) - PROPOSAL_AGE
    created = await conn.scalar(
        insert(group)
        .values(
            theme=PROPOSAL_THEME,
            description=f"A proposal for the Steering Committee. {ILLUSTRATIVE}",
            status=GroupStatus.PROPOSED,
            created_at=proposed_at,
            updated_at=proposed_at,
            **PROPOSAL,
        )
        .returning(group.id)
    )
    if gift is not None:
        await conn.execute(
            insert(models.ProposedAnchor).values(group_id=created, organization_id=gift)
        )
    await record(
        conn,
        verb="GROUP_PROPOSED",
        subject_type="WorkingGroup",
        subject_id=created,
        summary=f"A new working group was proposed: '{PROPOSAL['name']}'",
        group_id=created,
        at=proposed_at,
    )
    return 1
