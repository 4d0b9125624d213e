"""Rows in every table, written the way clients and operators write them, for the tests that
compare every table ("no row lost", a backup's round trip).

After `ogp-wg demo` several tables are still empty (the audit log, idempotency keys, ended anchor
terms, feed tokens, translations of meetings and areas, notification state...): a comparison of
every table would pass for them whatever happened to their rows. `fill_every_table(url,
workdir)` writes at least one row to each of them through GraphQL over HTTP (the demo's role
tokens, `core.testing.token_for`), one notification pass (the real `ogp-wg notify send`) and
`ogp-wg db upgrade` (the plugin registry).
`empty_tables(snapshot)` then names every table of the database (read from its own catalogue by
`tests.snapshots.table_rows`, so a new table is covered without editing this module) that still
has no row.

Every mutation below is checked: no GraphQL error and no user error, or the filling stops with
the answer.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.auth.staff import find_person
from core.db import Database
from core.demo import DEMO_ROLES
from core.schema.ids import to_global_id
from core.testing import ROLES, ClientFactory, GraphQLClient, token_for
from tests.server_process import OGP_WG, free_port, server_env
from tests.snapshots import Snapshot

EMPTY_ALLOWED: dict[str, str] = {}
"""Tables that may stay empty, each with why (none today: every table takes a row below)."""

ERRORS = "userErrors { code field message }"
GROUP = """{ workingGroup(slug: "open-data") { id ... on OpenDataGroup {
  highValueDatasets(first: 1) { nodes { id } } } } }"""
GOVERNMENTS = """{ organizations(filter: {kind: [GOVERNMENT]}, first: 100) {
  nodes { id } } }"""
ANCHORS = """query($g: ID!) { node(id: $g) { ... on WorkingGroup {
  anchors { role organization { id } } } } }"""
ANCHOR_SET = f"""mutation($i: AnchorSetInput!) {{ anchorSet(input: $i) {{
  anchor {{ id }} {ERRORS} }} }}"""
SCHEDULE = f"""mutation($i: MeetingScheduleInput!) {{ meetingSchedule(input: $i) {{
  meeting {{ id }} {ERRORS} }} }}"""
REGISTER = f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m,
  personId: $p}}) {{ registration {{ id }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{ meetingCancel(input: {{id: $id, reason: "Every table"}}) {{
  meeting {{ id }} {ERRORS} }} }}"""
PREFERENCES = f"""mutation {{ notificationPreferencesSet(input: {{digest: DAILY,
  meetingNotices: true}}) {{ notificationPreferences {{ digest }} {ERRORS} }} }}"""
FEED_TOKEN = f"mutation {{ calendarFeedTokenCreate {{ url {ERRORS} }} }}"
RULE = f"""mutation($g: ID!) {{ consensusRuleSet(input: {{groupId: $g, objectionsBlock: true,
  minEndorsementShare: 0.6}}) {{ consensusRule {{ isDefault }} {ERRORS} }} }}"""
PROPOSE = f"""mutation($i: PriorityAreaProposeInput!) {{ priorityAreaPropose(input: $i) {{
  priorityArea {{ id }} {ERRORS} }} }}"""
TRANSLATE = f"""mutation($i: TranslationSetInput!) {{ translationSet(input: $i) {{
  record {{ id }} {ERRORS} }} }}"""
COMMENT = f"""mutation($t: ID!) {{ commentPost(input: {{targetId: $t, body: "First words"}}) {{
  comment {{ id }} {ERRORS} }} }}"""
EDIT = f"""mutation($id: ID!) {{ commentEdit(input: {{id: $id, body: "Better words"}}) {{
  comment {{ id }} {ERRORS} }} }}"""


def empty_tables(snapshot: Snapshot) -> list[str]:
    """The tables of `snapshot` without a row, but those EMPTY_ALLOWED names."""
    return sorted(name for name, rows in snapshot.items() if not rows and name not in EMPTY_ALLOWED)


async def _person(url: str, role: str) -> str:
    """The global ID of the demo person of `role`."""
    db = Database(url)
    try:
        async with db.read() as conn:
            pk, _ = await find_person(conn, DEMO_ROLES[role])
    finally:
        await db.dispose()
    return to_global_id("Person", pk)


class _Caller:
    """Mutations over HTTP as one demo role; each must succeed without a user error."""

    def __init__(self, client: GraphQLClient, token: str) -> None:
        self.client = client
        self.token = token

    async def read(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        return await self.client.execute(query, variables, token=self.token)

    async def do(
        self, query: str, variables: dict[str, Any] | None = None, *, key: str | None = None
    ) -> Any:
        headers = {"authorization": f"Bearer {self.token}"}
        if key is not None:
            headers["idempotency-key"] = key
        response = await self.client.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        assert payload["userErrors"] == [], payload
        return payload


async def _through_the_api(url: str) -> None:
    factory = ClientFactory()
    try:
        client = factory(url)
        tokens = {role: await token_for(url, role) for role in ROLES}
        staff, anchor, member = (_Caller(client, tokens[r]) for r in ("staff", "anchor", "member"))
        group_data = (await staff.read(GROUP))["workingGroup"]
        group = group_data["id"]
        dataset = group_data["highValueDatasets"]["nodes"][0]["id"]

        # notification_preferences (the member's), before the events their digest will tell
        await member.do(PREFERENCES)
        # calendar_feed_tokens
        await member.do(FEED_TOKEN)
        # consensus_rules (the group's anchor); idempotency_keys: sent with an Idempotency-Key
        await anchor.do(RULE, {"g": group}, key="every-table-consensus-rule")

        # a meeting the member registered for, cancelled: the notice the pass below queues;
        # meeting_translations before it is cancelled
        start = datetime.now(UTC) + timedelta(days=20)
        meeting_input = {
            "groupId": group,
            "title": "Every table",
            "kind": "VIRTUAL",
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=1)).isoformat(),
            "timezone": "UTC",
            "onlineUrl": "https://meet.example.org/every-table",
            "capacity": 10,
        }
        meeting = (await anchor.do(SCHEDULE, {"i": meeting_input}))["meeting"]["id"]
        await member.do(REGISTER, {"m": meeting, "p": await _person(url, "member")})
        texts = [{"field": "TITLE", "text": "Todas las tablas"}]
        await anchor.do(TRANSLATE, {"i": {"meetingId": meeting, "language": "ES", "texts": texts}})
        await anchor.do(CANCEL, {"id": meeting})

        # priority_area_records: an area that builds on a record of the group's plugin, and
        # priority_area_translations
        area_input = {
            "groupId": group,
            "title": "Every table",
            "rationale": "Each table holds a row",
            "thematicRecordIds": [dataset],
        }
        area = (await member.do(PROPOSE, {"i": area_input}))["priorityArea"]["id"]
        texts = [{"field": "TITLE", "text": "Todas las tablas"}]
        await anchor.do(
            TRANSLATE, {"i": {"priorityAreaId": area, "language": "ES", "texts": texts}}
        )

        # comment_revisions: a comment edited by its author
        comment = (await member.do(COMMENT, {"t": area}))["comment"]["id"]
        await member.do(EDIT, {"id": comment})

        # anchor_terms: a government anchor replaced ends its term (staff only); last, as the
        # demo's anchor may be of the organisation replaced
        current = (await staff.read(ANCHORS, {"g": group}))["node"]["anchors"]
        anchoring = {a["organization"]["id"] for a in current}
        governments = (await staff.read(GOVERNMENTS))["organizations"]["nodes"]
        newcomer = next(o["id"] for o in governments if o["id"] not in anchoring)
        since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        anchor_input = {"groupId": group, "organizationId": newcomer, "role": "GOVERNMENT"}
        await staff.do(ANCHOR_SET, {"i": {**anchor_input, "since": since, "replace": True}})
        # audit_log: every mutation above
    finally:
        await factory.close()


def _console(
    url: str, workdir: Path, *args: str, **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OGP_WG, *args],
        env=server_env(url, **settings),
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _notification_pass(url: str, workdir: Path) -> None:
    """`ogp-wg notify send` against an SMTP port nobody listens on: the pass takes its lease
    (notification_jobs) and queues the notice and the digest (notification_outbox), which stay
    PENDING."""
    settings = {"smtp_host": "127.0.0.1", "smtp_port": str(free_port()), "smtp_starttls": "false"}
    done = _console(url, workdir, "notify", "send", **settings)
    assert done.returncode == 1 and "stay pending" in done.stderr, done.stderr


async def fill_every_table(url: str, workdir: Path) -> None:
    """Write at least one row to every table of the demo database at `url` (see the module
    docstring); `workdir`: an empty directory the console scripts run in.

    Also `ogp-wg db upgrade` (at head: nothing to apply): it records which plugin owns which
    revision and table in `plugin_registry`, which the tests' `demo_db` fixture empties with
    every other table (a deployed database always has it)."""
    await _through_the_api(url)
    _notification_pass(url, workdir)
    done = _console(url, workdir, "db", "upgrade")
    assert done.returncode == 0, done.stderr
