"""The core's demo data knows no plugin: each enabled plugin's demo creates its own working group
(through `core.demo_groups`), idempotently, with meetings dated from the day `ogp-wg demo` is
given.
"""

from __future__ import annotations

from datetime import date

from core.db import Database
from core.demo import load_demo
from core.plugins import make_plugin_manager
from core.testing import settings_for

# the pilot groups (the demo's one PROPOSED group, core/groups/demo_lifecycle.py, is not a plugin's)
GROUPS = """{ workingGroups(first: 50, filter: {status: [PILOT, ACTIVE]}) { nodes { slug theme anchors { role }
  members { role } memberCount meetings(first: 50) { totalCount
    nodes { title startsAt timezone registrations(first: 1) { totalCount } } } } } }"""
PILOT = {
    "access-to-information": "access_to_info",
    "extractive-industries": "extractives",
    "fiscal-openness": "fiscal_openness",
    "open-data": "open_data",
    "open-parliaments": "open_parliaments",
}


async def _load(url: str, enabled: list[str], today: date) -> dict[str, str]:
    """Load the demo with the plugins `enabled`; the demo roles' new tokens."""
    plugins = make_plugin_manager(settings_for(url, plugins={"enabled": enabled}))
    db = Database(url)
    try:
        return await load_demo(db, plugins, today=today)
    finally:
        await db.dispose()


async def test_each_plugin_demo_creates_its_own_group(empty_db: str, make_client) -> None:
    await _load(empty_db, ["open_data"], date(2030, 1, 15))
    client = make_client(empty_db, plugins={"enabled": sorted(PILOT.values())})
    nodes = (await client.execute(GROUPS))["workingGroups"]["nodes"]
    assert [(g["slug"], g["theme"]) for g in nodes] == [("open-data", "open_data")]

    group = nodes[0]
    assert sorted(a["role"] for a in group["anchors"]) == ["CIVIL_SOCIETY", "GOVERNMENT"]
    assert len(group["members"]) == group["memberCount"] == 7
    meetings = {m["title"]: m for m in group["meetings"]["nodes"]}
    # the plugin's five, and its one Summit session (core/meetings/demo.py)
    assert group["meetings"]["totalCount"] == len(meetings) == 6
    assert "OGP Summit 2013, London: Open Data Working Group session" in meetings
    # relative meetings count from the day given: 10 days later, 09:00 in Toronto (EST)
    assert meetings["Peer exchange: open data portals"]["startsAt"] == "2030-01-25T14:00:00+00:00"

    # idempotent; then the other pilot plugins add their own groups, none twice
    await _load(empty_db, ["open_data"], date(2030, 1, 16))
    again = (await client.execute(GROUPS))["workingGroups"]["nodes"]
    assert again == nodes
    await _load(empty_db, sorted(PILOT.values()), date(2030, 1, 17))
    every = (await client.execute(GROUPS))["workingGroups"]["nodes"]
    assert {g["slug"]: g["theme"] for g in every} == PILOT
    assert [g for g in every if g["slug"] == "open-data"] == nodes


SUMMITS = """{ workingGroups(first: 50, filter: {status: [PILOT, ACTIVE]}) { nodes { slug
  anchors { role organization { name } } members { organization { name } }
  meetings(first: 50) { nodes { title startsAt location isSummit
    registrations(first: 10) { nodes { status person { name organization { name } } } } } } } } }"""


async def test_each_pilot_group_has_one_summit_session_of_its_own_people(
    empty_db: str, make_client
) -> None:
    """One Summit meeting per pilot group (London, 31 October 2013), pre-registered by people of
    the group's real anchors and of members that had joined by then: for access to information,
    Mexico's IFAI and the Alianza Regional (not Article 19, which is in no pilot group)."""
    tokens = await _load(empty_db, sorted(PILOT.values()), date(2030, 1, 17))
    plain = make_client(empty_db, plugins={"enabled": sorted(PILOT.values())})
    client = plain.with_token(tokens["staff"])  # staff see every registration
    groups = (await client.execute(SUMMITS))["workingGroups"]["nodes"]
    assert sorted(g["slug"] for g in groups) == sorted(PILOT)
    for group in groups:
        [summit] = [m for m in group["meetings"]["nodes"] if m["isSummit"]]
        assert summit["title"].startswith("OGP Summit 2013, London: ")
        assert summit["startsAt"].startswith("2013-10-31T")
        assert summit["location"] == "OGP Annual Summit, London"
        orgs = {a["organization"]["name"] for a in group["anchors"]}
        orgs |= {m["organization"]["name"] for m in group["members"]}
        registrations = summit["registrations"]["nodes"]
        assert len(registrations) == 4
        assert all(r["person"]["organization"]["name"] in orgs for r in registrations)
    access = next(g for g in groups if g["slug"] == "access-to-information")
    [summit] = [m for m in access["meetings"]["nodes"] if m["isSummit"]]
    came = [r["person"]["organization"]["name"] for r in summit["registrations"]["nodes"]]
    assert "Alianza Regional por la Libre Expresión e Información" in came
    assert came[0] == "Government of Mexico (Federal Institute for Access to Information, IFAI)"
    assert "Article 19" not in came
