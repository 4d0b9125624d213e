"""Authorisation as the issue states it: the core's rules, private data in lists and by ID, the
audit log, start-up refusals and the per-request cache of the viewer's relations.
(tests/test_access_matrix.py checks every declaration against every role.)"""

from __future__ import annotations

import types as pytypes
from typing import Any

import pytest
import strawberry
from sqlalchemy import text

import core
from core.db import Database
from core.models import Meeting, Person
from core.plugins import PluginError, discover
from core.testing import token_for
from tests.access_world import ROLES, build_world
from tests.mutation_cases import every_step, record
from tests.server_process import people_with_tokens

CORE_RULES = {
    "workingGroupCreate": "staff",
    "workingGroupUpdate": "staff",
    "anchorSet": "staff",
    "anchorRemove": "staff",
    "workingGroupPropose": "signed in",
    "groupDecisionRecord": "staff",
    "membershipAdd": "anchor | staff",
    "membershipRemove": "anchor | staff",
    "meetingSchedule": "anchor | staff",
    "meetingUpdate": "anchor | staff",
    "registrationCreate": "anchor | self | staff",
    "registrationCancel": "anchor | self | staff",
    "commentPost": "signed in",
    "notificationPreferencesSet": "signed in",
    "translationSet": "anchor | staff",
    "translationRemove": "anchor | staff",
    "commentEdit": "self",
    "commentHide": "anchor | staff",
    "commentUnhide": "staff",
    "feedbackSubmit": "signed in",
    "meetingCancel": "anchor | staff",
    "attendanceRecord": "anchor | staff",
    "meetingMinutesSet": "anchor | staff",
    "meetingLinkAdd": "anchor | staff",
    "meetingLinkRemove": "anchor | staff",
    "calendarFeedTokenCreate": "signed in",
    "priorityAreaPropose": "member | anchor | staff",
    "priorityAreaOpen": "anchor | staff",
    "priorityAreaClosingDateSet": "anchor | staff",
    "priorityAreaClose": "anchor | staff",
    "priorityAreaArchive": "anchor | staff",
    "priorityAreaPositionTake": "member | anchor | staff",
    "priorityAreaObjectionWithdraw": "member | anchor | staff",
    "consensusRuleSet": "anchor | staff",
    # plans are governments' documents and the IRM is independent: staff copy them in
    "actionPlanCreate": "staff",
    "actionPlanUpdate": "staff",
    "milestoneAdd": "staff",
    "milestoneUpdate": "staff",
    "commitmentCreate": "staff",
    "commitmentUpdate": "staff",
    "milestoneStatusSet": "staff",
    "irmAssessmentRecord": "staff",
    "commitmentGroupLink": "anchor | staff",
    "commitmentGroupUnlink": "anchor | staff",
    # a draft's authors (its creator, its organisation's people) and its group's anchors
    "resourceCreate": "member | anchor | staff",
    "resourceUpdate": "anchor | self | organization | staff",
    "resourcePublish": "anchor | self | organization | staff",
    "resourceDelete": "anchor | self | organization | staff",
    "expertiseDeclare": "self | organization | staff",
    "expertiseUpdate": "self | organization | staff",
    "expertiseWithdraw": "self | organization | staff",
    "assistanceRequestPost": "member | anchor | staff",
    "assistanceRequestClose": "signed in",
    "assistanceOfferPost": "signed in",
    "assistanceOfferClose": "signed in",
    "assistanceMatchesSuggest": "signed in",
    "assistanceMatchMove": "signed in",
    "assistanceMatchPublishOutcome": "signed in",
    # the service then allows staff and the anchors of a group the commitment is linked to
    "commitmentEvidenceLink": "signed in",
    "commitmentEvidenceUnlink": "signed in",
}


def test_the_core_rules_are_the_issues(empty_db: str, make_client: Any) -> None:
    client = make_client(empty_db)
    policy = client.app.state.ogp.schema.access_policy
    core_rules = {n: str(r.rule) for n, r in policy.mutations.items() if policy.owners[n] == "core"}
    assert core_rules == CORE_RULES
    fields = {f"{t}.{f}": str(r.rule) for (t, f), r in policy.fields.items()}
    assert fields == {
        "Person.email": "self | staff",
        "Meeting.onlineUrl": "anchor | registered | staff",
        "Query.auditLog": "staff",
        "Comment.body": "anchor | self | staff",  # of a hidden comment: public=hidden_at IS NULL
        "Comment.revisions": "anchor | self | staff",
        "Comment.hiddenBy": "anchor | staff",
        "Person.notificationPreferences": "self | staff",
        "Query.missingTranslations": "staff",
    }
    assert str(policy.fields[("Comment", "body")].public) == "comments.hidden_at IS NULL"
    assert {t: str(r.rule) for t, r in policy.rows.items()} == {
        "Registration": "anchor | self | staff",
        "Feedback": "self | staff",
        "Resource": "anchor | self | organization | staff",  # drafts; PUBLISHED: public
    }
    plugin_rules = {str(r.rule) for n, r in policy.mutations.items() if policy.owners[n] != "core"}
    assert plugin_rules == {"anchor | staff"}  # the default: no built-in plugin declares its own


REGISTRATIONS = """query($id: ID!) { node(id: $id) { ... on Meeting {
  kind onlineUrl registrations { totalCount nodes { id person { name email } } } } } }"""


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "standard"])
async def test_registrations_lists_show_only_what_the_role_may_see(
    empty_db: str, make_client: Any, fast: bool
) -> None:
    world = await build_world(empty_db)
    client = make_client(empty_db, fast_execution=fast, compiled_reads=False)
    staff = client.with_token(world.tokens["staff"])
    meeting = world.gid("Meeting", world.meeting)
    # a second registration, the member's, made by the member themself
    made = await client.execute(
        "mutation($i: RegistrationCreateInput!) { registrationCreate(input: $i) {"
        " registration { id } userErrors { code } } }",
        {"i": {"meetingId": meeting, "personId": world.gid("Person", world.people["member"])}},
        token=world.tokens["member"],
    )
    assert made["registrationCreate"]["userErrors"] == []
    everyone = {world.people["registered"], world.people["member"]}
    sees = {
        "anonymous": set(),
        "readonly": everyone,
        "other": set(),
        "member": {world.people["member"]},
        "registered": {world.people["registered"]},
        "anchor": everyone,
        "staff": everyone,
    }
    for role in ROLES:
        data = await client.execute(REGISTRATIONS, {"id": meeting}, token=world.tokens[role])
        node = data["node"]
        assert node["kind"] == "VIRTUAL"  # the meeting still says it is online
        names = {n["person"]["name"] for n in node["registrations"]["nodes"]}
        assert names == {f"World {r}" for r, pk in world.people.items() if pk in sees[role]}
        assert node["registrations"]["totalCount"] == len(sees[role]), role
        # the member has a place now too (the meeting has no capacity limit)
        url_visible = role in ("readonly", "member", "registered", "anchor", "staff")
        assert (node["onlineUrl"] is not None) is url_visible, role
        for registration in node["registrations"]["nodes"]:
            email = registration["person"]["email"]
            own = registration["person"]["name"] == f"World {role}"
            assert (email is not None) is (own or role in ("readonly", "staff")), role
    everything = await staff.execute(REGISTRATIONS, {"id": meeting})
    assert everything["node"]["registrations"]["totalCount"] == 2


async def test_the_viewers_relations_are_read_once_per_request(
    empty_db: str, make_client: Any
) -> None:
    """As many meetings as you like: the member's relations cost one statement per request."""
    world = await build_world(empty_db)
    client = make_client(empty_db, debug=True)
    query = "query($n: Int!) { meetings(first: $n) { nodes { onlineUrl } } }"
    staff = world.tokens["staff"]
    for i in range(5):
        await client.execute(
            "mutation($i: MeetingScheduleInput!) { meetingSchedule(input: $i) { userErrors { code } } }",
            {
                "i": {
                    "groupId": world.gid("WorkingGroup", world.group),
                    "title": f"Call {i}",
                    "kind": "VIRTUAL",
                    "startsAt": "2031-01-01T10:00:00+00:00",
                    "endsAt": "2031-01-01T11:00:00+00:00",
                    "timezone": "UTC",
                    "onlineUrl": f"https://meet.example/{i}",
                }
            },
            token=staff,
        )
    counts = []
    for n in (1, 6):
        response = await client.post(query, {"n": n}, token=world.tokens["registered"])
        nodes = response.json()["data"]["meetings"]["nodes"]
        assert len(nodes) == n
        counts.append(int(response.headers["x-sql-statements"]))
    assert counts[0] == counts[1]
    anchor = await client.execute(query, {"n": 6}, token=world.tokens["anchor"])
    assert all(node["onlineUrl"] for node in anchor["meetings"]["nodes"])


GROUP_CREATE = """mutation($i: WorkingGroupCreateInput!) { workingGroupCreate(input: $i) {
  workingGroup { id } userErrors { code } } }"""


async def test_every_call_is_audited_with_who_what_when_and_the_request_id(
    empty_db: str, make_client: Any
) -> None:
    world = await build_world(empty_db)
    client = make_client(empty_db)
    calls = [
        ("anonymous", "req-anon", "UNAUTHENTICATED", []),
        ("member", "req-member", "FORBIDDEN", []),
        ("readonly", "req-read", "FORBIDDEN", []),
        ("staff", "req-staff", "OK", []),
        ("staff", "req-again", "USER_ERROR", ["DUPLICATE_SLUG"]),
    ]
    created = None
    for role, request_id, _, _ in calls:
        headers = {"x-request-id": request_id}
        if world.tokens[role]:
            headers["authorization"] = f"Bearer {world.tokens[role]}"
        variables = {"i": {"slug": "audited", "name": "Audited", "theme": "open_data"}}
        body = {"query": GROUP_CREATE, "variables": variables}
        answer = (await client.http.post("/graphql", json=body, headers=headers)).json()
        created = created or (answer["data"]["workingGroupCreate"] or {}).get("workingGroup")
    assert created is not None
    log = await client.execute(
        "{ auditLog(first: 10) { totalCount nodes { at mutation outcome codes objectType"
        " objectId requestId person { id } } } }",
        token=world.tokens["staff"],
    )
    nodes = list(reversed(log["auditLog"]["nodes"]))
    assert log["auditLog"]["totalCount"] == len(calls)
    for (role, request_id, outcome, codes), entry in zip(calls, nodes, strict=True):
        assert entry["mutation"] == "workingGroupCreate"
        assert entry["outcome"] == outcome
        assert entry["requestId"] == request_id
        assert entry["codes"] == (codes or ([outcome] if outcome not in ("OK",) else []))
        person = world.people.get("staff" if role == "readonly" else role)
        expected_person = None if role == "anonymous" else {"id": world.gid("Person", person or 0)}
        assert entry["person"] == expected_person
        assert entry["at"].endswith("+00:00") or entry["at"].endswith("Z")
    assert nodes[3]["objectType"] == "WorkingGroup"
    assert nodes[3]["objectId"] == created["id"]
    assert [n["objectId"] for n in nodes[:3]] == [None, None, None]  # nothing was acted on


async def _audit_rows(url: str) -> list[dict[str, Any]]:
    """Every audit_log row as the database holds it (every column), by id."""
    db = Database(url)
    try:
        async with db.read() as conn:
            rows = await conn.execute(text("SELECT * FROM audit_log ORDER BY id"))
            return [dict(r._mapping) for r in rows]
    finally:
        await db.dispose()


async def test_nothing_in_the_api_edits_the_audit_log(demo_db: str, make_client: Any) -> None:
    """Every mutation of the live schema, run as staff (tests/mutation_cases.py, the fault test's
    cases), leaves the audit rows written before it exactly as they were: only new rows appear,
    one per call."""
    client = make_client(demo_db)
    schema = client.app.state.ogp.schema._schema
    assert "auditLog" in schema.query_type.fields
    mutation_types = {str(f.type) for f in schema.mutation_type.fields.values()}
    assert not [m for m in schema.mutation_type.fields if "audit" in m.lower()]
    assert not [t for t in mutation_types if "Audit" in t]

    staff = (await people_with_tokens(demo_db, 1, staff=True, label="audit staff"))[0]
    steps, missing = await every_step(demo_db, schema)
    assert missing == [], missing
    # rows of several outcomes before: unauthenticated, forbidden, a user error
    member = await token_for(demo_db, "member")
    _, first_document, first_variables = steps[0]
    await client.post(first_document, first_variables({}))
    await client.post(first_document, first_variables({}), token=member)
    await client.post(
        'mutation { registrationCancel(input: {id: "UmVnaXN0cmF0aW9uOjk5OTk5"}) { userErrors { code } } }',
        token=staff.token,
    )
    before = await _audit_rows(demo_db)
    outcomes = {row["outcome"] for row in before}
    assert {"UNAUTHENTICATED", "FORBIDDEN", "USER_ERROR"} <= outcomes, outcomes

    results: dict[str, Any] = {}
    staffed = client.with_token(staff.token)
    for field, document, variables in steps:
        done = await staffed.execute(document, variables(results))
        assert done[field]["userErrors"] == [], (field, done)
        record(schema, field, done[field], results)

    after = await _audit_rows(demo_db)
    assert after[: len(before)] == before  # byte for byte, in order
    appended = after[len(before) :]
    assert [row["mutation"] for row in appended] == [field for field, _, _ in steps]
    assert {row["outcome"] for row in appended} == {"OK"}
    assert min(row["id"] for row in appended) > max(row["id"] for row in before)


def _plugin(key: str, **hooks: Any) -> pytypes.ModuleType:
    module = pytypes.ModuleType(f"test_access_plugin_{key}")
    theme = core.Theme(key=key, title=key.title(), summary="test", version="9.9")
    group = strawberry.type(
        type(f"{key.title().replace('_', '')}Group", (core.types.WorkingGroup,), {})
    )
    module.ogp_wg_theme = core.hookimpl(lambda: theme)  # type: ignore[attr-defined]
    module.ogp_wg_group_type = core.hookimpl(lambda: group)  # type: ignore[attr-defined]
    for name, fn in hooks.items():
        setattr(module, name, core.hookimpl(fn))
    return module


@strawberry.mutation
async def access_probe_touch(info: strawberry.Info, note: str) -> str:
    return note


def _installed(**hooks: Any) -> dict[str, object]:
    plugins: dict[str, object] = {key: found.obj for key, found in discover().items()}
    hooks.setdefault("ogp_wg_mutation_fields", lambda: [access_probe_touch])
    return {**plugins, "access_probe": _plugin("access_probe", **hooks)}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (lambda: [], "mutation 'accessProbeTouch' of plugin 'access_probe' has no access rule"),
        (
            lambda: [
                core.MutationRule("accessProbeTouch", core.STAFF),
                core.MutationRule("nope", core.STAFF),
            ],
            "plugin 'access_probe' declares an access rule for the mutation 'nope'",
        ),
        (
            lambda: [core.MutationRule("anchorSet", core.PUBLIC)],
            "the core and plugin 'access_probe' both declare the access rule of the mutation anchorSet",
        ),
        (
            lambda: [
                core.MutationRule("accessProbeTouch", core.STAFF),
                core.FieldRule("Meeting", "nope", core.STAFF),
            ],
            "for Meeting.nope, which the schema does not have",
        ),
        (
            lambda: [
                core.MutationRule("accessProbeTouch", core.STAFF),
                core.FieldRule("Meeting", "title", core.STAFF, public=Meeting.title.like("%x")),
            ],
            "FieldRule Meeting.title: public must compare one column of the type's table with",
        ),
        (
            lambda: [
                core.MutationRule("accessProbeTouch", core.STAFF),
                core.FieldRule("Meeting", "title", core.STAFF, public=Person.name.is_not(None)),
            ],
            "the public condition of Meeting.title reads people.name, which is not a column of "
            "the table of Meeting's Scope",
        ),
        (lambda: "STAFF", "must return a list of core.access declarations"),
    ],
)
def test_start_up_refuses_a_mutation_without_a_rule_and_bad_declarations(
    empty_db: str, make_client: Any, rules: Any, message: str
) -> None:
    with pytest.raises(PluginError) as refused:
        make_client(empty_db, installed=_installed(ogp_wg_access_rules=rules))
    assert message in str(refused.value)


async def test_a_plugin_rule_is_enforced_and_audited(empty_db: str, make_client: Any) -> None:
    world = await build_world(empty_db)
    rules = [core.MutationRule("accessProbeTouch", core.SIGNED_IN)]
    client = make_client(empty_db, installed=_installed(ogp_wg_access_rules=lambda: rules))
    touch = 'mutation { accessProbeTouch(note: "hi") }'
    assert (await client.execute(touch, token=world.tokens["other"])) == {"accessProbeTouch": "hi"}
    refused = (await client.post(touch)).json()
    assert refused["data"] == {"accessProbeTouch": None}
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    default = make_client(empty_db, installed=_installed())  # no hook: ANCHOR | STAFF of its theme
    refused = (await default.post(touch, token=world.tokens["anchor"])).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # anchors open_data, not it
    staff = await default.execute(touch, token=world.tokens["staff"])
    assert staff == {"accessProbeTouch": "hi"}


async def test_nodes_answers_in_order_and_takes_at_most_100_ids(
    empty_db: str, make_client: Any
) -> None:
    world = await build_world(empty_db)
    client = make_client(empty_db)
    ids = [
        world.gid("Meeting", world.meeting),
        "not an id",
        world.gid("Registration", world.registration),
        world.gid("WorkingGroup", world.group),
    ]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    seen = await client.execute(query, {"ids": ids}, token=world.tokens["other"])
    assert seen["nodes"] == [{"id": ids[0]}, None, None, {"id": ids[3]}]  # registration hidden
    seen = await client.execute(query, {"ids": ids}, token=world.tokens["registered"])
    assert seen["nodes"] == [{"id": ids[0]}, None, {"id": ids[2]}, {"id": ids[3]}]
    errors = await client.errors(query, {"ids": ids * 26})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
