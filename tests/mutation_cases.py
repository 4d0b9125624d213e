"""A succeeding call of every mutation of the live schema, as staff over the demo data.

The core mutations follow a hand-written chain (`core_steps`: each step's input comes from the
one before; the waitlist and its promotion on cancel and on more places); every other mutation (the plugins') gets its input generated
from the schema: required fields only, values by type and name, IDs from the demo data or from
an object an earlier mutation of the list created (an `id` is the last object of the payload's
type, `lawId` the last object whose type ends with `Law`). A mutation whose input cannot be
generated gets no case: `missing_cases` names it, so a new mutation fails a test until it has one.

A step is (mutation field, document, variables as a function of the previous results); the
results are {"<field>": payload, "<ObjectType>": last created id}.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
)
from sqlalchemy import insert, select

from core.db import Database
from core.enums import OrganizationKind
from core.models import Country, Organization, WorkingGroup
from core.schema.ids import to_global_id
from plugins.fiscal_openness.models import Survey
from tests.server_process import people_with_tokens
from tests.test_access_matrix import POLICY

ERRORS = "userErrors { code message field }"
Results = dict[str, Any]
Step = tuple[str, str, Callable[[Results], dict[str, Any]]]


class NoCase(Exception):
    """The input of a mutation cannot be generated (an ID nothing provides)."""


# Values a generated input takes by field name (first match), then by type.
BY_NAME: dict[str, Any] = {
    "actionPlanCycle": "2020-2022",
    "chambers": 1,
    "total": 7,  # rtiRatingRecord: the sum of its seven categories (1 each)
    "lastUpdated": "2024-02",
}
# Per mutation, input fields a plugin's cross-field rules need (merged over the generated ones).
OVERRIDES: dict[str, dict[str, Any]] = {
    # a 2016 Validation is assessed on the progress scale and carries no scores
    "eitiValidationRecord": {"overallAssessment": "SATISFACTORY_PROGRESS"},
    "odinScoreRecord": {"edition": "2017"},  # one of its rounds
}

# Optional in the schema, required by the plugins' validation (a record cites its source).
ALWAYS = frozenset({"sourceUrl", "retrievedOn", "lastUpdated"})
YEAR_NAMES = ("year", "yearAdopted", "fiscalYear")
IDS_FROM_DEMO = ("groupId", "organizationId", "companyId", "personId")


def payload_object(schema: GraphQLSchema, field: str) -> str | None:
    """The payload's field holding the object (the one with an `id`), if any."""
    payload = get_named_type(schema.mutation_type.fields[field].type)  # type: ignore[union-attr]
    assert isinstance(payload, GraphQLObjectType)
    for name, sub in payload.fields.items():
        named = get_named_type(sub.type)
        if isinstance(named, GraphQLObjectType) and "id" in named.fields:
            return name
    return None


def _object_type(schema: GraphQLSchema, field: str) -> str | None:
    payload = get_named_type(schema.mutation_type.fields[field].type)  # type: ignore[union-attr]
    holder = payload_object(schema, field)
    if holder is None:
        return None
    return get_named_type(payload.fields[holder].type).name  # type: ignore[union-attr]


class Generator:
    """Generates one mutation's input; IDs are resolved lazily against the results."""

    def __init__(self, schema: GraphQLSchema, field: str, demo: dict[str, str]) -> None:
        self.schema, self.field, self.demo = schema, field, demo
        self.own_type = _object_type(schema, field)
        self.needs: list[tuple[str, str]] = []  # (input field, results key) checked in `plan`

    def value(self, type_: Any, name: str) -> Any:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            return [self.value(type_.of_type, name)]
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            return {
                k: self.value(f.type, k)
                for k, f in type_.fields.items()
                if k in ALWAYS
                or (isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined)
            }
        assert isinstance(type_, GraphQLScalarType)
        if type_.name == "ID":
            return self.id_for(name)
        if name in BY_NAME:
            return BY_NAME[name]
        if type_.name == "Int":
            return 2019 if name in YEAR_NAMES or name == "edition" else 1
        if type_.name == "Float":
            return 50.0
        if type_.name == "Boolean":
            return False
        if type_.name == "Date":
            return "2024-03-01"
        if type_.name == "DateTime":
            return "2024-03-01T09:00:00+00:00"
        if name == "country":
            return self.demo["country"]
        if name == "edition":
            return "2019"
        if name == "url" or name.endswith("Url"):
            return f"https://example.org/fault/{self.field}/{name}"
        return f"Fault {self.field} {name}"

    def id_for(self, name: str) -> str:
        """A marker `@<results key>` resolved when the step runs; demo IDs directly."""
        if name == "groupId":  # a plugin's group: one of its theme (the rule's owner)
            return self.demo.get(f"group:{POLICY.owners.get(self.field)}", self.demo[name])
        if name in IDS_FROM_DEMO:
            return self.demo[name]
        if name == "id" and self.own_type is not None:
            return f"@{self.own_type}"
        if name.endswith("Id"):
            return f"@*{name[0].upper()}{name[1:-2]}"
        raise NoCase(f"{self.field}: no source for the ID {name!r}")


def _resolve(value: Any, results: Results) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, results) for v in value]
    if isinstance(value, str) and value.startswith("@*"):
        suffix = value[2:]
        found = [k for k in results if k[:1].isupper() and k.endswith(suffix)]
        if not found:
            raise NoCase(f"no earlier mutation created a ...{suffix}")
        return results[found[-1]]
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in results:
            raise NoCase(f"no earlier mutation created a {value[1:]}")
        return results[value[1:]]
    return value


def generated_step(schema: GraphQLSchema, field: str, demo: dict[str, str]) -> Step:
    """The generated step of `field` (raises NoCase when an ID has no source)."""
    mutation = schema.mutation_type.fields[field]  # type: ignore[union-attr]
    gen = Generator(schema, field, demo)
    args = {
        a: gen.value(arg.type, a)
        for a, arg in mutation.args.items()
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
    }
    if isinstance(args.get("input"), dict):
        if list(args["input"]) == ["id"]:  # an update of nothing writes nothing: change a text
            input_type = get_named_type(mutation.args["input"].type)
            texts = [
                k
                for k, f in input_type.fields.items()  # type: ignore[union-attr]
                if get_named_type(f.type).name == "String"
                and k not in ("id", "country", *BY_NAME, *ALWAYS)
            ]
            if texts:
                args["input"][texts[0]] = gen.value(input_type.fields[texts[0]].type, texts[0])  # type: ignore[union-attr]
        args["input"] |= OVERRIDES.get(field, {})
    params = ", ".join(f"${a}: {mutation.args[a].type}" for a in args)
    passed = ", ".join(f"{a}: ${a}" for a in args)
    holder = payload_object(schema, field)
    selection = f"{holder} {{ id }} " if holder else ""
    document = f"mutation({params}) {{ {field}({passed}) {{ {selection}{ERRORS} }} }}"
    return field, document, lambda results: _resolve(args, results)


def record(schema: GraphQLSchema, field: str, payload: Any, results: Results) -> None:
    """Keeps the payload and the ID of the object it holds (by its type name)."""
    results.setdefault(f"{field}#0", payload)
    results[field] = payload
    holder = payload_object(schema, field)
    if holder and (payload.get(holder) or {}).get("id"):
        results[_object_type(schema, field) or ""] = payload[holder]["id"]


def all_steps(
    schema: GraphQLSchema, core: list[Step], demo: dict[str, str]
) -> tuple[list[Step], list[str]]:
    """(the core steps then a generated step per other mutation, the mutations without a case)."""
    covered = {field for field, _, _ in core}
    steps, missing = list(core), []
    others = [f for f in schema.mutation_type.fields if f not in covered]  # type: ignore[union-attr]
    # removals last: a later step may need the object (opennessIndicatorRecord its chamber)
    for field in sorted(others, key=lambda f: f.endswith("Remove")):
        try:
            steps.append(generated_step(schema, field, demo))
        except NoCase:
            missing.append(field)
    return steps, missing


async def _demo(url: str) -> dict[str, str]:
    """Organisations of their own (a ministry, a watchdog, a company) and a demo country and
    group: the IDs the generated inputs take."""
    db = Database(url)
    try:
        async with db.write() as conn:
            ids = {}
            for key, name, kind in (
                ("gov", "Fault ministry", OrganizationKind.GOVERNMENT),
                ("cso", "Fault watchdog", OrganizationKind.CIVIL_SOCIETY),
                ("company", "Fault mining company", OrganizationKind.PRIVATE_SECTOR),
            ):
                stmt = insert(Organization).values(name=name, kind=kind).returning(Organization.id)
                ids[key] = to_global_id("Organization", int(await conn.scalar(stmt) or 0))
            country = await conn.scalar(select(Country.alpha2).order_by(Country.id.desc()))
            survey = await conn.scalar(select(Survey.id).order_by(Survey.id))  # evidence
            groups = (
                await conn.execute(
                    select(WorkingGroup.theme, WorkingGroup.id).order_by(WorkingGroup.id)
                )
            ).all()
            group = groups[0].id
            return {
                **{
                    f"group:{theme}": to_global_id("WorkingGroup", pk)
                    for theme, pk in reversed(groups)
                },
                **ids,
                "organizationId": ids["cso"],
                "companyId": ids["company"],
                "country": str(country),
                "evidence": to_global_id("OpenBudgetSurvey", int(survey or 0)),
                "groupId": to_global_id("WorkingGroup", int(group or 0)),
            }
    finally:
        await db.dispose()


def core_steps(gov: str, cso: str, people: list[str]) -> list[Step]:
    """The core chain: (mutation field, document, a function of the results so far)."""
    start = datetime.now(UTC) + timedelta(days=15)
    meeting = {
        "title": "Fault clinic",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Rome",
        "onlineUrl": "https://meet.example.org/fault",
        "capacity": 1,
    }
    group = lambda r: r["workingGroupCreate"]["workingGroup"]["id"]  # noqa: E731
    reg = "registration { id status }"
    return [
        (
            "workingGroupCreate",
            f"""mutation {{ workingGroupCreate(input: {{slug: "fault-test", name: "Fault test",
              theme: "open_data"}}) {{ workingGroup {{ id }} {ERRORS} }} }}""",
            lambda r: {},
        ),
        (
            "workingGroupUpdate",
            f"""mutation($id: ID!) {{ workingGroupUpdate(input: {{id: $id, name: "Renamed",
              status: PIPELINE}}) {{ workingGroup {{ id name }} {ERRORS} }} }}""",
            lambda r: {"id": group(r)},
        ),
        (
            "membershipAdd",
            f"""mutation($g: ID!, $o: ID!) {{ membershipAdd(input: {{groupId: $g, organizationId: $o}})
              {{ membership {{ role }} {ERRORS} }} }}""",
            lambda r: {"g": group(r), "o": cso},
        ),
        (
            "anchorSet",
            f"""mutation($g: ID!, $o: ID!) {{ anchorSet(input: {{groupId: $g, organizationId: $o,
              role: GOVERNMENT}}) {{ anchor {{ role }} {ERRORS} }} }}""",
            lambda r: {"g": group(r), "o": gov},
        ),
        (
            "groupDecisionRecord",  # the decision row, the group's allowance, GROUP_DECISION
            f"""mutation($g: ID!) {{ groupDecisionRecord(input: {{groupId: $g,
              maxGovernmentAnchors: 2, decidedOn: "2024-01-01", reason: "Fault test"}})
              {{ decision {{ id }} workingGroup {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "workingGroupPropose",  # the group, its rationale, proposed anchor, GROUP_PROPOSED
            f"""mutation($o: ID!) {{ workingGroupPropose(input: {{slug: "fault-proposal",
              name: "Fault proposal", theme: "open_data", rationale: "Fault test",
              proposedAnchorIds: [$o]}}) {{ workingGroup {{ id }} {ERRORS} }} }}""",
            lambda r: {"o": cso},
        ),
        (
            "meetingSchedule",
            f"""mutation($input: MeetingScheduleInput!) {{ meetingSchedule(input: $input)
              {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {"input": {**meeting, "groupId": group(r)}},
        ),
        (
            "registrationCreate",
            f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
              {{ {reg} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"], "p": people[0]},
        ),
        (
            "registrationCreate",  # the waitlist path
            f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
              {{ {reg} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"], "p": people[1]},
        ),
        (
            "registrationCancel",  # cancel, count, promote the waitlist: several writes
            f"""mutation($id: ID!) {{ registrationCancel(input: {{id: $id}}) {{ {reg} {ERRORS} }} }}""",
            lambda r: {"id": r["registrationCreate#0"]["registration"]["id"]},
        ),
        (
            "registrationCreate",  # waitlisted again: the place went to the second person
            f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
              {{ {reg} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"], "p": people[2]},
        ),
        (
            # a comeback after cancelling: waitlisted at the end of the queue, by the Python
            # rules in their transaction on both databases (PostgreSQL's one-statement
            # register_at_once takes only new registrations)
            "registrationCreate",
            f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
              {{ {reg} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"], "p": people[0]},
        ),
        (
            "meetingUpdate",  # more places: the waitlist of two moves up in the same transaction
            f"""mutation($id: ID!) {{ meetingUpdate(input: {{id: $id, capacity: 3}})
              {{ meeting {{ id remainingPlaces }} {ERRORS} }} }}""",
            lambda r: {"id": r["meetingSchedule"]["meeting"]["id"]},
        ),
        (
            # the signed-in person's (staff's) row: insert. No digest: the chain's staff member
            # may have no e-mail address (NO_EMAIL), and the row is written all the same.
            "notificationPreferencesSet",
            f"""mutation {{ notificationPreferencesSet(input: {{digest: NONE,
              meetingNotices: false}}) {{ notificationPreferences {{ digest }} {ERRORS} }} }}""",
            lambda r: {},
        ),
        # --- meetings that run themselves (issue 9, section 2) ---
        (
            "meetingSchedule",  # a Summit meeting whose registration opens later
            f"""mutation($input: MeetingScheduleInput!) {{ meetingSchedule(input: $input)
              {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {
                "input": {
                    **meeting,
                    "groupId": group(r),
                    "title": "Fault summit",
                    "isSummit": True,
                    "registrationOpensAt": (start - timedelta(days=5)).isoformat(),
                }
            },
        ),
        (
            "registrationCreate",  # taken as PRE_REGISTERED
            f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
              {{ {reg} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"], "p": people[0]},
        ),
        (
            "meetingUpdate",  # registration opens: pre-registrations admitted, history, event
            f"""mutation($id: ID!, $at: DateTime!) {{ meetingUpdate(input: {{id: $id,
              registrationOpensAt: $at, reason: "Fault"}}) {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {
                "id": r["meetingSchedule"]["meeting"]["id"],
                "at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
            },
        ),
        (
            "meetingSchedule",  # a meeting under way: attendance, minutes, links
            f"""mutation($input: MeetingScheduleInput!) {{ meetingSchedule(input: $input)
              {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {
                "input": {
                    **meeting,
                    "groupId": group(r),
                    "title": "Fault session",
                    "startsAt": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
                    "endsAt": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
                }
            },
        ),
        (
            "registrationCreate",
            f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
              {{ {reg} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"], "p": people[1]},
        ),
        (
            "attendanceRecord",
            f"""mutation($m: ID!, $r: ID!) {{ attendanceRecord(input: {{meetingId: $m,
              attendance: [{{registrationId: $r, status: NO_SHOW}}]}}) {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {
                "m": r["meetingSchedule"]["meeting"]["id"],
                "r": r["registrationCreate"]["registration"]["id"],
            },
        ),
        (
            "meetingMinutesSet",
            f"""mutation($id: ID!) {{ meetingMinutesSet(input: {{id: $id, minutes: "Fault minutes"}})
              {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["meetingSchedule"]["meeting"]["id"]},
        ),
        (
            "meetingLinkAdd",
            f"""mutation($m: ID!) {{ meetingLinkAdd(input: {{meetingId: $m, kind: SLIDES,
              url: "https://example.org/fault/slides", title: "Fault slides"}})
              {{ link {{ id }} {ERRORS} }} }}""",
            lambda r: {"m": r["meetingSchedule"]["meeting"]["id"]},
        ),
        (
            "meetingLinkRemove",
            f"""mutation($id: ID!) {{ meetingLinkRemove(input: {{id: $id}}) {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["meetingLinkAdd"]["link"]["id"]},
        ),
        (
            "meetingCancel",  # cancelled, sequence, history row, MEETING_CANCELLED event
            f"""mutation($id: ID!) {{ meetingCancel(input: {{id: $id, reason: "Fault"}})
              {{ meeting {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["meetingSchedule"]["meeting"]["id"]},
        ),
        (
            "calendarFeedTokenCreate",  # replace the old secret with a new one
            f"""mutation {{ calendarFeedTokenCreate {{ url {ERRORS} }} }}""",
            lambda r: {},
        ),
        (
            "consensusRuleSet",  # insert the group's rule (before any area is closed)
            f"""mutation($g: ID!) {{ consensusRuleSet(input: {{groupId: $g, objectionsBlock: false,
              minEndorsementShare: 0.5}}) {{ consensusRule {{ isDefault }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "priorityAreaPropose",  # the area, its country, then PRIORITY_AREA_PROPOSED
            f"""mutation($g: ID!, $o: ID!) {{ priorityAreaPropose(input: {{groupId: $g,
              title: "Fault area", rationale: "Why", countries: ["GB"], organizationId: $o}})
              {{ priorityArea {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r), "o": cso},
        ),
        (
            "priorityAreaOpen",
            f"""mutation($id: ID!, $at: DateTime!) {{ priorityAreaOpen(input: {{id: $id,
              closesAt: $at}}) {{ priorityArea {{ id }} {ERRORS} }} }}""",
            lambda r: {
                "id": r["priorityAreaPropose"]["priorityArea"]["id"],
                "at": start.isoformat(),
            },
        ),
        (
            "priorityAreaClosingDateSet",
            f"""mutation($id: ID!, $at: DateTime!) {{ priorityAreaClosingDateSet(input: {{id: $id,
              closesAt: $at}}) {{ priorityArea {{ id }} {ERRORS} }} }}""",
            lambda r: {
                "id": r["priorityAreaPropose"]["priorityArea"]["id"],
                "at": (start + timedelta(days=1)).isoformat(),
            },
        ),
        (
            "priorityAreaPositionTake",  # a first position, then POSITION_TAKEN
            f"""mutation($a: ID!, $o: ID!) {{ priorityAreaPositionTake(input: {{priorityAreaId: $a,
              stance: OBJECT, reason: "Fault", organizationId: $o}})
              {{ position {{ id }} {ERRORS} }} }}""",
            lambda r: {"a": r["priorityAreaPropose"]["priorityArea"]["id"], "o": cso},
        ),
        (
            "priorityAreaObjectionWithdraw",  # supersede the old row, insert the new, the event
            f"""mutation($a: ID!, $o: ID!) {{ priorityAreaObjectionWithdraw(input: {{
              priorityAreaId: $a, organizationId: $o}}) {{ position {{ id }} {ERRORS} }} }}""",
            lambda r: {"a": r["priorityAreaPropose"]["priorityArea"]["id"], "o": cso},
        ),
        (
            "priorityAreaClose",  # count, record the outcome and rule, then the event
            f"""mutation($id: ID!, $m: ID!) {{ priorityAreaClose(input: {{id: $id, meetingId: $m}})
              {{ priorityArea {{ id status }} {ERRORS} }} }}""",
            lambda r: {
                "id": r["priorityAreaPropose"]["priorityArea"]["id"],
                "m": r["meetingSchedule"]["meeting"]["id"],
            },
        ),
        (
            "priorityAreaArchive",
            f"""mutation($id: ID!) {{ priorityAreaArchive(input: {{id: $id}})
              {{ priorityArea {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["priorityAreaPropose"]["priorityArea"]["id"]},
        ),
        (
            "assistanceRequestPost",  # the request, topics, languages, event, its suggestions
            f"""mutation($g: ID!, $o: ID!) {{ assistanceRequestPost(input: {{groupId: $g,
              organizationId: $o, title: "Fault request", needs: "Fault needs", kind: PEER_EXCHANGE,
              country: "KE", topics: ["fault-topic"], languages: ["en"]}})
              {{ request {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r), "o": cso},
        ),
        (
            "assistanceOfferPost",  # the offer, its lists, event, then the match and its reasons
            f"""mutation($g: ID!, $o: ID!) {{ assistanceOfferPost(input: {{organizationId: $o,
              title: "Fault offer", description: "Fault", topics: ["fault-topic"],
              languages: ["en"], groupIds: [$g], countries: ["KE"]}})
              {{ offer {{ id matches(first: 1) {{ nodes {{ id }} }} }} {ERRORS} }} }}""",
            lambda r: {"g": group(r), "o": gov},
        ),
        (
            "assistanceMatchesSuggest",  # the match's score and reasons rewritten
            f"""mutation($r: ID!) {{ assistanceMatchesSuggest(input: {{requestId: $r}})
              {{ request {{ id }} {ERRORS} }} }}""",
            lambda r: {"r": r["assistanceRequestPost"]["request"]["id"]},
        ),
        *[
            (
                "assistanceMatchMove",  # each move: the row, then its history by trigger
                f"""mutation($m: ID!, $s: AssistanceMatchStatus!) {{ assistanceMatchMove(input:
                  {{matchId: $m, status: $s, outcomeReport: "Fault outcome"}})
                  {{ match {{ id }} {ERRORS} }} }}""",
                lambda r, s=status: {
                    "m": r["assistanceOfferPost"]["offer"]["matches"]["nodes"][0]["id"],
                    "s": s,
                },
            )
            for status in ("PROPOSED", "ACCEPTED", "IN_PROGRESS", "COMPLETED")
        ],
        (
            "assistanceMatchPublishOutcome",  # the draft resource and its lists, then the link
            f"""mutation($m: ID!) {{ assistanceMatchPublishOutcome(input: {{matchId: $m}})
              {{ match {{ id }} {ERRORS} }} }}""",
            lambda r: {"m": r["assistanceOfferPost"]["offer"]["matches"]["nodes"][0]["id"]},
        ),
        (
            "assistanceRequestClose",
            f"""mutation($r: ID!) {{ assistanceRequestClose(input: {{id: $r}})
              {{ request {{ id }} {ERRORS} }} }}""",
            lambda r: {"r": r["assistanceRequestPost"]["request"]["id"]},
        ),
        (
            "assistanceOfferClose",
            f"""mutation($o: ID!) {{ assistanceOfferClose(input: {{id: $o}})
              {{ offer {{ id status }} {ERRORS} }} }}""",
            lambda r: {"o": r["assistanceOfferPost"]["offer"]["id"]},
        ),
        (
            "commentPost",  # the comment, then its COMMENT_POSTED activity event
            f"""mutation($g: ID!) {{ commentPost(input: {{targetId: $g, body: "Fault comment"}})
              {{ comment {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "commentPost",  # a reply (same target)
            f"""mutation($p: ID!) {{ commentPost(input: {{parentId: $p, body: "Fault reply"}})
              {{ comment {{ id }} {ERRORS} }} }}""",
            lambda r: {"p": r["commentPost#0"]["comment"]["id"]},
        ),
        (
            "commentEdit",  # the old text into a revision, then the new one
            f"""mutation($id: ID!) {{ commentEdit(input: {{id: $id, body: "Fault edit"}})
              {{ comment {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["commentPost#0"]["comment"]["id"]},
        ),
        (
            "commentHide",
            f"""mutation($id: ID!) {{ commentHide(input: {{id: $id, reason: "Fault"}})
              {{ comment {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["commentPost#0"]["comment"]["id"]},
        ),
        (
            "commentUnhide",
            f"""mutation($id: ID!) {{ commentUnhide(input: {{id: $id}}) {{ comment {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["commentPost#0"]["comment"]["id"]},
        ),
        (
            "feedbackSubmit",
            f"""mutation {{ feedbackSubmit(input: {{body: "Fault feedback", category: IDEA}})
              {{ feedback {{ id }} {ERRORS} }} }}""",
            lambda r: {},
        ),
        (
            "resourceCreate",  # the draft, its languages, tags, countries, the home group
            f"""mutation($g: ID!) {{ resourceCreate(input: {{groupId: $g, kind: GUIDE,
              title: "Fault guide", summary: "Fault summary", licence: "CC-BY-4.0",
              languages: ["en", "es"], tags: ["open-data"], countries: ["KE"],
              url: "https://example.org/fault"}}) {{ resource {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "resourceUpdate",  # the row, then each list replaced
            f"""mutation($id: ID!) {{ resourceUpdate(input: {{id: $id, title: "Fault guide 2",
              languages: ["fr"], tags: ["open-data", "fault"], countries: []}})
              {{ resource {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["resourceCreate"]["resource"]["id"]},
        ),
        (
            "resourcePublish",  # PUBLISHED (published_at by the database), RESOURCE_PUBLISHED
            f"""mutation($id: ID!) {{ resourcePublish(input: {{id: $id}})
              {{ resource {{ id publishedAt }} {ERRORS} }} }}""",
            lambda r: {"id": r["resourceCreate"]["resource"]["id"]},
        ),
        (
            "resourceDelete",  # staff remove a published resource
            f"""mutation($id: ID!) {{ resourceDelete(input: {{id: $id}})
              {{ deletedResourceId {ERRORS} }} }}""",
            lambda r: {"id": r["resourceCreate"]["resource"]["id"]},
        ),
        (
            "expertiseDeclare",  # the declaration, its topics, languages, countries
            f"""mutation($o: ID!) {{ expertiseDeclare(input: {{organizationId: $o,
              description: "Fault expertise", topics: ["open-data"], languages: ["en"],
              countries: ["KE"]}}) {{ expertise {{ id }} {ERRORS} }} }}""",
            lambda r: {"o": cso},
        ),
        (
            "expertiseUpdate",
            f"""mutation($id: ID!) {{ expertiseUpdate(input: {{id: $id, description: "Fault 2",
              topics: ["open-data", "fault"], languages: []}}) {{ expertise {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["expertiseDeclare"]["expertise"]["id"]},
        ),
        (
            "expertiseWithdraw",
            f"""mutation($id: ID!) {{ expertiseWithdraw(input: {{id: $id}})
              {{ withdrawnExpertiseId {ERRORS} }} }}""",
            lambda r: {"id": r["expertiseDeclare"]["expertise"]["id"]},
        ),
        (
            "translationSet",  # a group's name and summary in Spanish (insert)
            f"""mutation($g: ID!) {{ translationSet(input: {{groupId: $g, language: ES,
              texts: [{{field: NAME, text: "Prueba"}}, {{field: SUMMARY, text: "Resumen"}}]}})
              {{ record {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "translationSet",  # the same translation changed (update), a meeting's too
            f"""mutation($g: ID!) {{ translationSet(input: {{groupId: $g, language: ES,
              texts: [{{field: SUMMARY, text: null}}], isOfficial: false, source: "fault"}})
              {{ record {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "translationRemove",
            f"""mutation($g: ID!) {{ translationRemove(input: {{groupId: $g, language: ES}})
              {{ record {{ id }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "actionPlanCreate",  # an illustrative plan of a country the demo has none of
            f"""mutation {{ actionPlanCreate(input: {{country: "GB", title: "Fault plan",
              cycleStart: "2031-01-01", cycleEnd: "2032-12-31", cohort: 2031,
              illustrative: true}}) {{ actionPlan {{ id }} {ERRORS} }} }}""",
            lambda r: {},
        ),
        (
            "commitmentCreate",  # the commitment, its theme and two milestones
            f"""mutation($p: ID!) {{ commitmentCreate(input: {{actionPlanId: $p,
              reference: "GB-FAULT-1", title: "Fault commitment", themes: ["open-data"],
              milestones: [{{title: "First"}}, {{title: "Second", dueOn: "2032-06-30"}}],
              illustrative: true}}) {{ commitment {{ id milestones {{ id }} }} {ERRORS} }} }}""",
            lambda r: {"p": r["actionPlanCreate"]["actionPlan"]["id"]},
        ),
        (
            "actionPlanUpdate",  # extended by a year, renamed
            f"""mutation($p: ID!) {{ actionPlanUpdate(input: {{id: $p, title: "Fault plan, extended",
              cycleEnd: "2033-12-31"}}) {{ actionPlan {{ id }} {ERRORS} }} }}""",
            lambda r: {"p": r["actionPlanCreate"]["actionPlan"]["id"]},
        ),
        (
            "commitmentUpdate",  # texts and themes replaced
            f"""mutation($id: ID!) {{ commitmentUpdate(input: {{id: $id, title: "Renamed",
              themes: ["open-data", "open-contracting"]}}) {{ commitment {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["commitmentCreate"]["commitment"]["id"]},
        ),
        (
            "milestoneStatusSet",
            f"""mutation($id: ID!) {{ milestoneStatusSet(input: {{id: $id, status: COMPLETE}})
              {{ milestone {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["commitmentCreate"]["commitment"]["milestones"][0]["id"]},
        ),
        (
            "milestoneAdd",  # first: the two others move down
            f"""mutation($c: ID!) {{ milestoneAdd(input: {{commitmentId: $c, title: "Zeroth",
              dueOn: "2031-03-31", position: 1}}) {{ milestone {{ id }} {ERRORS} }} }}""",
            lambda r: {"c": r["commitmentCreate"]["commitment"]["id"]},
        ),
        (
            "milestoneUpdate",  # retitled, re-dated and moved last: the others move up
            f"""mutation($id: ID!) {{ milestoneUpdate(input: {{id: $id, title: "Last",
              dueOn: "2032-12-31", position: 3}}) {{ milestone {{ id }} {ERRORS} }} }}""",
            lambda r: {"id": r["milestoneAdd"]["milestone"]["id"]},
        ),
        (
            "irmAssessmentRecord",
            f"""mutation($c: ID!) {{ irmAssessmentRecord(input: {{commitmentId: $c,
              sourceTitle: "Fault report", verifiable: true, accessToInformation: true,
              potentialImpact: TRANSFORMATIVE, completion: COMPLETE, illustrative: true}})
              {{ irmAssessment {{ id }} {ERRORS} }} }}""",
            lambda r: {"c": r["commitmentCreate"]["commitment"]["id"]},
        ),
        (
            "irmAssessmentRecord",  # replaced (one per commitment)
            f"""mutation($c: ID!) {{ irmAssessmentRecord(input: {{commitmentId: $c,
              sourceTitle: "Fault report, revised", potentialForResults: SUBSTANTIAL,
              illustrative: true}}) {{ irmAssessment {{ id }} {ERRORS} }} }}""",
            lambda r: {"c": r["commitmentCreate"]["commitment"]["id"]},
        ),
        (
            "commitmentGroupLink",
            f"""mutation($c: ID!, $g: ID!) {{ commitmentGroupLink(input: {{commitmentId: $c,
              groupId: $g}}) {{ commitment {{ id }} {ERRORS} }} }}""",
            lambda r: {"c": r["commitmentCreate"]["commitment"]["id"], "g": group(r)},
        ),
        (
            "commitmentGroupUnlink",
            f"""mutation($c: ID!, $g: ID!) {{ commitmentGroupUnlink(input: {{commitmentId: $c,
              groupId: $g}}) {{ commitment {{ id }} {ERRORS} }} }}""",
            lambda r: {"c": r["commitmentCreate"]["commitment"]["id"], "g": group(r)},
        ),
        (
            "anchorRemove",
            f"""mutation($g: ID!) {{ anchorRemove(input: {{groupId: $g, role: GOVERNMENT}})
              {{ anchor {{ role }} {ERRORS} }} }}""",
            lambda r: {"g": group(r)},
        ),
        (
            "membershipRemove",
            f"""mutation($g: ID!, $o: ID!) {{ membershipRemove(input: {{groupId: $g, organizationId: $o}})
              {{ membership {{ role }} {ERRORS} }} }}""",
            lambda r: {"g": group(r), "o": cso},
        ),
    ]


async def every_step(url: str, schema: Any) -> tuple[list[Step], list[str]]:
    """(a step per mutation of `schema` over the demo data at `url`, the mutations without one)."""
    people = [p.id for p in await people_with_tokens(url, 3, label="fault registrant")]
    demo = await _demo(url)
    core = core_steps(demo["gov"], demo["cso"], people) + evidence_steps(demo["evidence"])
    return all_steps(schema, core, demo)


def evidence_steps(record: str) -> list[Step]:
    """A demo Open Budget Survey linked as evidence of the chain's commitment (its row), then
    unlinked (the row deleted): core/commitments/evidence.py."""
    variables = lambda r: {"c": r["commitmentCreate"]["commitment"]["id"], "r": record}  # noqa: E731
    return [
        (
            field,
            f"""mutation($c: ID!, $r: ID!) {{ {field}(input: {{commitmentId: $c, recordId: $r}})
              {{ commitment {{ id }} record {{ id }} {ERRORS} }} }}""",
            variables,
        )
        for field in ("commitmentEvidenceLink", "commitmentEvidenceUnlink")
    ]
