"""Every core mutation: success, each of its error codes, and nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.testing import GraphQLClient

# Mutations need a signed-in caller allowed to call them; staff may call every one (the rules
# themselves are tested in test_access*.py).
pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code message field }"

GROUP_CREATE = f"""
mutation($input: WorkingGroupCreateInput!) {{
  workingGroupCreate(input: $input) {{
    workingGroup {{ id slug name theme status summary __typename }}
    {ERRORS}
  }}
}}"""

GROUP_UPDATE = f"""
mutation($input: WorkingGroupUpdateInput!) {{
  workingGroupUpdate(input: $input) {{ workingGroup {{ name status updatedAt }} {ERRORS} }}
}}"""

ANCHOR_SET = f"""
mutation($input: AnchorSetInput!) {{
  anchorSet(input: $input) {{ anchor {{ role organization {{ name }} }} {ERRORS} }}
}}"""

ANCHOR_REMOVE = f"""
mutation($input: AnchorRemoveInput!) {{
  anchorRemove(input: $input) {{ anchor {{ role }} {ERRORS} }}
}}"""

MEMBER_ADD = f"""
mutation($input: MembershipAddInput!) {{
  membershipAdd(input: $input) {{ membership {{ role organization {{ name }} }} {ERRORS} }}
}}"""

MEMBER_REMOVE = f"""
mutation($input: MembershipRemoveInput!) {{
  membershipRemove(input: $input) {{ membership {{ role }} {ERRORS} }}
}}"""

MEETING_SCHEDULE = f"""
mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{
    meeting {{ id title kind startsAt endsAt timezone capacity remainingPlaces }}
    {ERRORS}
  }}
}}"""

MEETING_UPDATE = f"""
mutation($input: MeetingUpdateInput!) {{
  meetingUpdate(input: $input) {{ meeting {{ title capacity remainingPlaces }} {ERRORS} }}
}}"""

REGISTER = f"""
mutation($input: RegistrationCreateInput!) {{
  registrationCreate(input: $input) {{ registration {{ id status person {{ name }} }} {ERRORS} }}
}}"""

CANCEL = f"""
mutation($input: RegistrationCancelInput!) {{
  registrationCancel(input: $input) {{ registration {{ id status }} {ERRORS} }}
}}"""


async def _ids(client: GraphQLClient) -> dict[str, Any]:
    data = await client.execute(
        """{
          workingGroup(slug: "open-data") { id anchors { role organization { id } } }
          gov: organizations(filter: {kind: [GOVERNMENT]}, first: 50) { nodes { id name } }
          cso: organizations(filter: {kind: [CIVIL_SOCIETY]}, first: 50) {
            nodes { id name people { id } }
          }
        }"""
    )
    people = [p["id"] for org in data["cso"]["nodes"] for p in org["people"]]
    return {
        "group": data["workingGroup"]["id"],
        "gov": [o["id"] for o in data["gov"]["nodes"]],
        "cso": [o["id"] for o in data["cso"]["nodes"]],
        "people": people,
    }


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def _meeting(client: GraphQLClient, group: str, **overrides: Any) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=30)
    values = {
        "groupId": group,
        "title": "Peer exchange on data portals",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=2)).isoformat(),
        "timezone": "America/Mexico_City",
        "onlineUrl": "https://meet.example.org/peer-exchange",
        "capacity": 2,
    } | overrides
    return _payload(await client.execute(MEETING_SCHEDULE, {"input": values}))


async def test_group_create_and_update(client: GraphQLClient) -> None:
    created = _payload(
        await client.execute(
            GROUP_CREATE,
            {
                "input": {
                    "slug": "open-data-cities",
                    "name": "Open data in cities",
                    "theme": "open_data",
                    "summary": "Subnational open data",
                }
            },
        )
    )
    assert created["userErrors"] == []
    group = created["workingGroup"]
    assert group["__typename"] == "OpenDataGroup"
    assert group["status"] == "PROPOSED"

    # status through workingGroupUpdate (deprecated) is a decision under the same rules: a
    # proposal goes to the PIPELINE; ACTIVE needs both anchors first (tests/test_group_lifecycle.py)
    updated = _payload(
        await client.execute(GROUP_UPDATE, {"input": {"id": group["id"], "status": "PIPELINE"}})
    )
    assert updated["workingGroup"]["status"] == "PIPELINE"
    assert updated["workingGroup"]["name"] == "Open data in cities"


async def test_group_create_errors(client: GraphQLClient) -> None:
    base = {"slug": "x-group", "name": "X", "theme": "open_data"}
    cases = [
        ({"slug": "fiscal-openness"}, "DUPLICATE_SLUG"),
        ({"slug": "Not A Slug"}, "INVALID_SLUG"),
        ({"theme": "astrology"}, "UNKNOWN_THEME"),
        ({"name": "   "}, "REQUIRED"),
        ({"name": "n" * 201}, "TOO_LONG"),
    ]
    for change, code in cases:
        payload = _payload(await client.execute(GROUP_CREATE, {"input": base | change}))
        assert _codes(payload) == [code], change
        assert payload["workingGroup"] is None
    data = await client.execute('{ workingGroup(slug: "x-group") { id } }')
    assert data["workingGroup"] is None


async def test_invalid_enum_value_has_its_own_code(client: GraphQLClient) -> None:
    errors = await client.errors(
        GROUP_CREATE,
        {"input": {"slug": "y", "name": "Y", "theme": "open_data", "status": "DORMANT"}},
    )
    assert errors[0]["extensions"]["code"] == "INVALID_ENUM_VALUE"
    literal = await client.errors("{ workingGroups(filter: {status: [DORMANT]}) { totalCount } }")
    assert literal[0]["extensions"]["code"] == "INVALID_ENUM_VALUE"


async def test_group_update_unknown_id(client: GraphQLClient) -> None:
    for bad in ("nonsense", "TWVldGluZzox"):  # not an ID; a Meeting ID
        payload = _payload(await client.execute(GROUP_UPDATE, {"input": {"id": bad}}))
        assert _codes(payload) == ["NOT_FOUND"]
        assert payload["userErrors"][0]["field"] == ["input", "id"]


async def test_anchor_set_replace_and_remove(client: GraphQLClient) -> None:
    ids = await _ids(client)
    group, new_gov = ids["group"], ids["gov"][0]
    taken = _payload(
        await client.execute(
            ANCHOR_SET,
            {"input": {"groupId": group, "organizationId": new_gov, "role": "GOVERNMENT"}},
        )
    )
    assert _codes(taken) == ["ANCHOR_ROLE_TAKEN"]

    replaced = _payload(
        await client.execute(
            ANCHOR_SET,
            {
                "input": {
                    "groupId": group,
                    "organizationId": new_gov,
                    "role": "GOVERNMENT",
                    "replace": True,
                    "since": "2024-01-15",
                }
            },
        )
    )
    assert replaced["userErrors"] == []
    data = await client.execute(
        '{ workingGroup(slug: "open-data") { anchors { role organization { id } } } }'
    )
    anchors = {a["role"]: a["organization"]["id"] for a in data["workingGroup"]["anchors"]}
    assert anchors["GOVERNMENT"] == new_gov
    assert len(anchors) == 2

    # a PILOT group keeps a government anchor (core_0006); paused by a decision, it may lose it
    refused = _payload(
        await client.execute(ANCHOR_REMOVE, {"input": {"groupId": group, "role": "GOVERNMENT"}})
    )
    assert _codes(refused) == ["ANCHORS_REQUIRED"]
    paused = await client.execute(
        """mutation($g: ID!) { groupDecisionRecord(input: {groupId: $g, toStatus: PAUSED,
          decidedOn: "2024-02-01", reason: "Anchors change"}) {
          workingGroup { status } userErrors { code } } }""",
        {"g": group},
    )
    assert paused["groupDecisionRecord"] == {
        "workingGroup": {"status": "PAUSED"},
        "userErrors": [],
    }
    removed = _payload(
        await client.execute(ANCHOR_REMOVE, {"input": {"groupId": group, "role": "GOVERNMENT"}})
    )
    assert removed["anchor"]["role"] == "GOVERNMENT"
    again = _payload(
        await client.execute(ANCHOR_REMOVE, {"input": {"groupId": group, "role": "GOVERNMENT"}})
    )
    assert _codes(again) == ["NOT_FOUND"]


async def test_anchor_kind_must_match_role(client: GraphQLClient) -> None:
    ids = await _ids(client)
    payload = _payload(
        await client.execute(
            ANCHOR_SET,
            {
                "input": {
                    "groupId": ids["group"],
                    "organizationId": ids["cso"][0],
                    "role": "GOVERNMENT",
                    "replace": True,
                }
            },
        )
    )
    assert _codes(payload) == ["ANCHOR_KIND_MISMATCH"]
    data = await client.execute('{ workingGroup(slug: "open-data") { anchors { role } } }')
    assert len(data["workingGroup"]["anchors"]) == 2  # the replace rolled back


async def test_anchor_unknown_ids(client: GraphQLClient) -> None:
    ids = await _ids(client)
    payload = _payload(
        await client.execute(
            ANCHOR_SET,
            {
                "input": {
                    "groupId": ids["group"],
                    "organizationId": "T3JnYW5pemF0aW9uOjk5OTk5",
                    "role": "GOVERNMENT",
                }
            },
        )
    )
    assert _codes(payload) == ["NOT_FOUND"]
    assert payload["userErrors"][0]["field"] == ["input", "organizationId"]


async def test_membership_add_and_remove(client: GraphQLClient) -> None:
    ids = await _ids(client)
    before = await client.execute('{ workingGroup(slug: "open-data") { memberCount } }')
    count = before["workingGroup"]["memberCount"]
    data = await client.execute(
        '{ workingGroup(slug: "open-data") { members { organization { id } } } }'
    )
    existing = {m["organization"]["id"] for m in data["workingGroup"]["members"]}
    newcomer = next(o for o in ids["gov"] + ids["cso"] if o not in existing)

    added = _payload(
        await client.execute(
            MEMBER_ADD,
            {"input": {"groupId": ids["group"], "organizationId": newcomer, "role": "OBSERVER"}},
        )
    )
    assert added["membership"]["role"] == "OBSERVER"
    duplicate = _payload(
        await client.execute(
            MEMBER_ADD, {"input": {"groupId": ids["group"], "organizationId": newcomer}}
        )
    )
    assert _codes(duplicate) == ["ALREADY_MEMBER"]
    after = await client.execute('{ workingGroup(slug: "open-data") { memberCount } }')
    assert after["workingGroup"]["memberCount"] == count + 1

    removed = _payload(
        await client.execute(
            MEMBER_REMOVE, {"input": {"groupId": ids["group"], "organizationId": newcomer}}
        )
    )
    assert removed["membership"]["role"] == "OBSERVER"
    again = _payload(
        await client.execute(
            MEMBER_REMOVE, {"input": {"groupId": ids["group"], "organizationId": newcomer}}
        )
    )
    assert _codes(again) == ["NOT_A_MEMBER"]


async def test_meeting_schedule_and_update(client: GraphQLClient) -> None:
    ids = await _ids(client)
    payload = await _meeting(client, ids["group"])
    assert payload["userErrors"] == []
    meeting = payload["meeting"]
    assert meeting["remainingPlaces"] == 2
    assert meeting["startsAt"].endswith("+00:00")

    updated = _payload(
        await client.execute(
            MEETING_UPDATE, {"input": {"id": meeting["id"], "title": "Renamed", "capacity": 10}}
        )
    )
    assert updated["meeting"] == {"title": "Renamed", "capacity": 10, "remainingPlaces": 10}


async def test_meeting_errors(client: GraphQLClient) -> None:
    ids = await _ids(client)
    start = datetime.now(UTC) + timedelta(days=3)
    cases = [
        (
            {"endsAt": (start - timedelta(hours=1)).isoformat(), "startsAt": start.isoformat()},
            "ENDS_BEFORE_STARTS",
        ),
        ({"timezone": "Mars/Olympus_Mons"}, "INVALID_TIMEZONE"),
        ({"capacity": -1}, "INVALID_CAPACITY"),
        ({"onlineUrl": "ftp://x"}, "INVALID_URL"),
        ({"kind": "IN_PERSON"}, "LOCATION_REQUIRED"),
        ({"startsAt": "2030-01-01T10:00:00", "endsAt": "2030-01-01T12:00:00"}, "NAIVE_DATETIME"),
        ({"title": ""}, "REQUIRED"),
        ({"groupId": "V29ya2luZ0dyb3VwOjk5OTk="}, "NOT_FOUND"),
    ]
    for change, code in cases:
        payload = await _meeting(client, ids["group"], **change)
        assert code in _codes(payload), (change, payload)
        assert payload["meeting"] is None
    data = await client.execute(
        '{ meetings(filter: {group: "open-data"}, first: 100) { nodes { title } } }'
    )
    assert all(m["title"] != "Peer exchange on data portals" for m in data["meetings"]["nodes"])


async def test_registration_waitlist_and_cancel(client: GraphQLClient) -> None:
    ids = await _ids(client)
    meeting = (await _meeting(client, ids["group"], capacity=1))["meeting"]
    first, second = ids["people"][:2]

    one = _payload(
        await client.execute(REGISTER, {"input": {"meetingId": meeting["id"], "personId": first}})
    )
    assert one["registration"]["status"] == "REGISTERED"
    dup = _payload(
        await client.execute(REGISTER, {"input": {"meetingId": meeting["id"], "personId": first}})
    )
    assert _codes(dup) == ["DUPLICATE_REGISTRATION"]
    two = _payload(
        await client.execute(REGISTER, {"input": {"meetingId": meeting["id"], "personId": second}})
    )
    assert two["registration"]["status"] == "WAITLISTED"

    shrink = _payload(
        await client.execute(MEETING_UPDATE, {"input": {"id": meeting["id"], "capacity": 0}})
    )
    assert _codes(shrink) == ["CAPACITY_BELOW_REGISTERED"]

    cancelled = _payload(await client.execute(CANCEL, {"input": {"id": one["registration"]["id"]}}))
    assert cancelled["registration"]["status"] == "CANCELLED"
    again = _payload(await client.execute(CANCEL, {"input": {"id": one["registration"]["id"]}}))
    assert _codes(again) == ["NOT_CANCELLABLE"]

    data = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Meeting {
             remainingPlaces registrations { nodes { status person { id } } } } } }""",
        {"id": meeting["id"]},
    )
    node = data["node"]
    assert node["remainingPlaces"] == 0
    statuses = {r["person"]["id"]: r["status"] for r in node["registrations"]["nodes"]}
    assert statuses == {first: "CANCELLED", second: "REGISTERED"}  # the waitlist moved up


async def test_registration_errors(client: GraphQLClient) -> None:
    ids = await _ids(client)
    meeting = (await _meeting(client, ids["group"]))["meeting"]
    unknown_person = _payload(
        await client.execute(
            REGISTER, {"input": {"meetingId": meeting["id"], "personId": "UGVyc29uOjk5OTk5"}}
        )
    )
    assert _codes(unknown_person) == ["NOT_FOUND"]
    past = await client.execute(
        '{ meetings(filter: {upcoming: false, group: "open-data"}) { nodes { id } } }'
    )
    ended = _payload(
        await client.execute(
            REGISTER,
            {
                "input": {
                    "meetingId": past["meetings"]["nodes"][0]["id"],
                    "personId": ids["people"][0],
                }
            },
        )
    )
    assert _codes(ended) == ["MEETING_ENDED"]
