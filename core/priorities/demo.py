"""The demo's priority areas (issue 9, section 7): on the open data pilot group, one area AGREED
at its London Summit meeting (31 October 2013), one UNDER_DISCUSSION with positions, one of
which changed (its history kept), and one just PROPOSED. All are illustrative
(`PriorityArea.illustrative`): the pilot's groups sought consensus on priority areas at the
Summit (core/groups/demo.py's agenda), but these areas, their wording and the positions are made
up for the demo.

Each area goes the way the API takes it, as the database requires (core_0013): born PROPOSED,
then opened (UNDER_DISCUSSION), positions taken before its closing date, then closed.

Called by core/demo.py after the plugins' demos (the group is the open_data plugin's); does
nothing when that group is absent (plugin disabled) and is idempotent (looked up by title).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.groups import demo as demo_groups
from core.groups.models import WorkingGroup
from core.meetings.demo import summit_title
from core.meetings.models import Meeting
from core.people.models import Country, Organization
from core.priorities.models import (
    DEFAULT_MIN_ENDORSEMENT_SHARE,
    DEFAULT_OBJECTIONS_BLOCK,
    PositionStance,
    PriorityArea,
    PriorityAreaCountry,
    PriorityAreaPosition,
    PriorityAreaStatus,
)

SLUG = "open-data"
CA_TBS = "Government of Canada (Treasury Board Secretariat)"
GB_CO = "Government of the United Kingdom (Cabinet Office)"
KE_ICTA = "Government of Kenya (ICT Authority)"
UY_AGESIC = "Government of Uruguay (AGESIC)"
WEBF = "World Wide Web Foundation"
OKF = "Open Knowledge Foundation"
SUNLIGHT = "Sunlight Foundation"
ILLUSTRATIVE = demo_groups.ILLUSTRATIVE

AGREED_TITLE = "High-value datasets in open formats"
OPEN_TITLE = "Open contracting data for anti-corruption"
PROPOSED_TITLE = "Open data for agriculture and nutrition"
SUMMIT_CLOSE = datetime(2013, 10, 31, 12, 0, tzinfo=UTC)
BODY_AT_SUMMIT = 5
"""The anchors (Canada, the Web Foundation) and the members who had joined by the Summit (the
United Kingdom, Kenya, the Open Knowledge Foundation): demo_group.py's join dates."""


async def _ids(conn: AsyncConnection, column: Any, key: Any, names: list[str]) -> dict[str, int]:
    return dict((await conn.execute(select(key, column).where(key.in_(names)))).all())


async def _area(conn: AsyncConnection, values: dict[str, Any], countries: list[int]) -> int:
    """A new PROPOSED area (the only status the database lets an area be born with)."""
    values = values | {"status": PriorityAreaStatus.PROPOSED}
    area = await conn.scalar(insert(PriorityArea).values(**values).returning(PriorityArea.id))
    assert area is not None
    area = int(area)
    for country in countries:
        await conn.execute(
            insert(PriorityAreaCountry).values(priority_area_id=area, country_id=country)
        )
    return area


async def _move(
    conn: AsyncConnection, area: int, status: PriorityAreaStatus, **values: Any
) -> None:
    await conn.execute(
        update(PriorityArea).where(PriorityArea.id == area).values(status=status, **values)
    )


async def _position(
    conn: AsyncConnection,
    area: int,
    org: int,
    stance: PositionStance,
    at: datetime,
    reason: str | None = None,
    superseded_at: datetime | None = None,
) -> None:
    await conn.execute(
        insert(PriorityAreaPosition).values(
            priority_area_id=area,
            organization_id=org,
            stance=stance,
            reason=reason,
            taken_at=at,
            is_current=superseded_at is None,
            superseded_at=superseded_at,
        )
    )


async def load(conn: AsyncConnection) -> str | None:
    """Add the demo's priority areas; returns a note when the Summit meeting was not found (the
    agreed area is then recorded at no meeting), else None."""
    group = (
        await conn.execute(
            select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.slug == SLUG)
        )
    ).first()
    if group is None:
        return None
    done = await conn.scalar(
        select(PriorityArea.id).where(
            PriorityArea.group_id == group.id, PriorityArea.title == AGREED_TITLE
        )
    )
    if done is not None:
        return None
    names = [CA_TBS, GB_CO, KE_ICTA, UY_AGESIC, WEBF, OKF, SUNLIGHT]
    orgs = await _ids(conn, Organization.id, Organization.name, names)
    if len(orgs) < len(names):
        return None  # the core demo's organisations are not there: nothing to attach to
    countries = await _ids(conn, Country.id, Country.alpha2, ["GB", "KE", "CA", "UY"])
    meeting = await conn.scalar(
        select(Meeting.id).where(
            Meeting.group_id == group.id, Meeting.title == summit_title(group.name)
        )
    )
    proposed = datetime(2013, 9, 24, 16, 0, tzinfo=UTC)  # at the introductory webinar
    agreed = await _area(
        conn,
        {
            "group_id": group.id,
            "title": AGREED_TITLE,
            "rationale": "Governments release the datasets citizens ask for most (budgets, "
            "spending, company registers, maps) in open, machine-readable formats, so that "
            f"civil society can put them to use. {ILLUSTRATIVE}",
            "proposed_by_organization_id": orgs[OKF],
            "created_at": proposed,
            "illustrative": True,
        },
        [countries[c] for c in ("CA", "GB", "KE") if c in countries],
    )
    await _move(
        conn,
        agreed,
        PriorityAreaStatus.UNDER_DISCUSSION,
        opened_at=proposed + timedelta(days=1),
        closes_at=SUMMIT_CLOSE,
    )
    for index, name in enumerate((CA_TBS, WEBF, GB_CO, OKF)):
        at = datetime(2013, 10, 7 + index * 5, 14, 0, tzinfo=UTC)
        await _position(conn, agreed, orgs[name], PositionStance.ENDORSE, at)
    await _move(
        conn,
        agreed,
        PriorityAreaStatus.AGREED,
        closed_at=SUMMIT_CLOSE,
        meeting_id=meeting,
        agreed=True,
        endorsements=4,
        objections=0,
        participants=4,
        member_organizations=BODY_AT_SUMMIT,
        rule_objections_block=DEFAULT_OBJECTIONS_BLOCK,
        rule_min_endorsement_share=DEFAULT_MIN_ENDORSEMENT_SHARE,
    )

    today = datetime.combine(demo_groups.TODAY.get(None) or date.today(), time(12, 0), tzinfo=UTC)
    opened = today - timedelta(days=10)
    area = await _area(
        conn,
        {
            "group_id": group.id,
            "title": OPEN_TITLE,
            "rationale": "Publish public contracts, from planning to implementation, in the "
            "Open Contracting Data Standard, so that spending can be followed and compared "
            f"across countries. {ILLUSTRATIVE}",
            "proposed_by_organization_id": orgs[SUNLIGHT],
            "created_at": opened - timedelta(days=3),
            "illustrative": True,
        },
        [countries[c] for c in ("GB", "KE", "UY") if c in countries],
    )
    await _move(
        conn,
        area,
        PriorityAreaStatus.UNDER_DISCUSSION,
        opened_at=opened,
        closes_at=today + timedelta(days=20),
    )
    await _position(conn, area, orgs[SUNLIGHT], PositionStance.ENDORSE, opened + timedelta(hours=2))
    await _position(conn, area, orgs[OKF], PositionStance.ENDORSE, opened + timedelta(days=1))
    changed = opened + timedelta(days=4)
    await _position(
        conn,
        area,
        orgs[KE_ICTA],
        PositionStance.ENDORSE,
        opened + timedelta(days=2),
        superseded_at=changed,
    )
    await _position(
        conn,
        area,
        orgs[KE_ICTA],
        PositionStance.OBJECT,
        changed,
        reason="Our procurement law must change first; we propose to start with the largest "
        f"contracts only. {ILLUSTRATIVE}",
    )
    await _position(conn, area, orgs[GB_CO], PositionStance.ENDORSE, opened + timedelta(days=5))
    await _area(
        conn,
        {
            "group_id": group.id,
            "title": PROPOSED_TITLE,
            "rationale": "Weather, soil and market price data help smallholders plan their "
            f"season; publish them together, openly licensed. {ILLUSTRATIVE}",
            "proposed_by_organization_id": orgs[UY_AGESIC],
            "created_at": today - timedelta(days=1),
            "illustrative": True,
        },
        [countries[c] for c in ("UY", "KE") if c in countries],
    )
    if meeting is None:
        return f"Summit meeting {summit_title(group.name)!r} not found: agreed at no meeting"
    return None
