"""Every mutation is one transaction (issue 8, point 5): a failure injected mid-mutation leaves
nothing written. Over HTTP, on both databases.

Two injections, neither known to the code under test:
- a hook on the app's engine raises right AFTER the mutation's first write statement has run
  (an INSERT, UPDATE or DELETE of a domain table; the audit log, token bookkeeping and
  idempotency keys are not the mutation's writes) — a crash, a bug in a plugin's hook, a lost
  connection between two statements. Both ways a statement runs are armed: SQLAlchemy's
  (its `after_cursor_execute` event) and the driver's (`core.db.on_raw_statement`: the
  registrations' transactions, core.driver). A mutation done in one statement (PostgreSQL's
  `register_at_once`, a new registration) has no such point: for it the second injection
  stands, and the chain's comeback registration takes the transaction's path on PostgreSQL too;
- a database trigger refuses the SECOND write of a registration (the INSERT after the place was
  taken) — a constraint violated late.

For every mutation of the live schema (tests/mutation_cases.py: the core ones along a chain where
each step's input comes from the one before, every plugin's generated from the schema): with the
fault armed, the answer is an error and every table is exactly as before; disarmed, the same
request succeeds and writes (so the fault really struck a write). A mutation without a case fails
`test_every_mutation_has_a_fault_case`, named.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, text

from core.db import Database, on_raw_statement
from core.testing import ClientFactory
from tests.mutation_cases import every_step, record
from tests.server_process import people_with_tokens
from tests.snapshots import differences, table_rows

# The audit log records refused and failed calls too (in its own transaction, by design);
# api_tokens.last_used_at is authentication's bookkeeping.
SKIP = frozenset({"audit_log", "api_tokens"})
BOOKKEEPING = ("audit_log", "api_tokens", "idempotency_keys")
ERRORS = "userErrors { code message field }"


class InjectedFault(Exception):
    pass


WHOLE_MUTATIONS = ("register_at_once(",)
"""Functions that are a whole mutation in one statement, its own transaction (PostgreSQL's
registrationCreate in the common case: core_0021): nothing runs between their writes, so no fault
can be injected there; a refusal inside one is `test_a_late_refusal_undoes_the_place_taken`'s."""


class AfterFirstWrite:
    """Raises once a domain table's INSERT/UPDATE/DELETE has run, while `armed`; notes a call of
    one of WHOLE_MUTATIONS in `whole` instead."""

    def __init__(self) -> None:
        self.armed = False
        self.struck: list[str] = []
        self.whole: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.after(statement)

    def after(self, statement: str, _seconds: float = 0.0) -> None:
        if self.armed and any(function in statement for function in WHOLE_MUTATIONS):
            self.whole.append(statement)
            return
        head = statement.lstrip()[:80]
        is_write = head[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        if self.armed and is_write and not any(t in head for t in BOOKKEEPING):
            self.armed = False
            self.struck.append(head.split("\n")[0])
            raise InjectedFault("injected after the first write")


async def test_every_mutation_has_a_fault_case(demo_db: str, make_client: ClientFactory) -> None:
    schema = make_client(demo_db).app.state.ogp.schema._schema
    steps, missing = await every_step(demo_db, schema)
    assert missing == [], f"mutations without a case in tests/mutation_cases.py: {missing}"
    assert {field for field, _, _ in steps} == set(schema.mutation_type.fields)


async def test_a_fault_after_the_first_write_leaves_nothing(
    demo_db: str, make_client: ClientFactory
) -> None:
    staff = (await people_with_tokens(demo_db, 1, staff=True, label="fault staff"))[0]
    client = make_client(demo_db).with_token(staff.token)
    schema = client.app.state.ogp.schema._schema
    steps, _ = await every_step(demo_db, schema)
    fault = AfterFirstWrite()
    engine = client.app.state.ogp.db.engine.sync_engine
    event.listen(engine, "after_cursor_execute", fault)
    on_raw_statement(engine, fault.after)

    results: dict[str, Any] = {}
    for field, document, variables in steps:
        values = variables(results)
        before = await table_rows(demo_db, skip=SKIP)
        fault.armed, fault.struck, fault.whole = True, [], []
        response = await client.post(document, values)
        if fault.whole and not fault.struck:  # one statement: it wrote, all of it, or nothing
            fault.armed = False
            done = response.json()["data"]
            assert done[field]["userErrors"] == [], (field, values, done)
            assert differences(before, await table_rows(demo_db, skip=SKIP)), f"{field}: no write"
            record(schema, field, done[field], results)
            continue
        assert fault.struck, f"{field}: the fault never struck (no write?) {response.text}"
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["data"] in (None, {field: None}), body  # a non-null payload nulls `data`
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL_SERVER_ERROR"], body
        assert differences(before, await table_rows(demo_db, skip=SKIP)) == [], (
            field,
            fault.struck[-1],
        )

        fault.armed = False
        done = await client.execute(document, values)
        assert done[field]["userErrors"] == [], (field, values, done)
        assert differences(before, await table_rows(demo_db, skip=SKIP)), f"{field} wrote nothing"
        record(schema, field, done[field], results)
    # the chain's first meetingUpdate (later steps update other meetings)
    assert results["meetingUpdate#0"]["meeting"]["remainingPlaces"] == 0  # 3 places, 3 taken


TRIGGERS = {
    # Refuses the INSERT of a registration: by then the meeting's place has been taken (UPDATE).
    "sqlite": [
        """CREATE TRIGGER fault_second_write BEFORE INSERT ON registrations
           BEGIN SELECT RAISE(ABORT, 'refused by the fault trigger'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION fault_refuse() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'refused by the fault trigger' USING ERRCODE = '23514'; END $$""",
        """CREATE TRIGGER fault_second_write BEFORE INSERT ON registrations
           FOR EACH ROW EXECUTE FUNCTION fault_refuse()""",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS fault_second_write"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS fault_second_write ON registrations",
        "DROP FUNCTION IF EXISTS fault_refuse()",
    ],
}


async def _run(url: str, statements: list[str]) -> None:
    db = Database(url)
    try:
        async with db.write() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await db.dispose()


async def test_a_late_refusal_undoes_the_place_taken(
    demo_db: str, make_client: ClientFactory
) -> None:
    staff = (await people_with_tokens(demo_db, 1, staff=True, label="trigger staff"))[0]
    person = (await people_with_tokens(demo_db, 1, label="trigger registrant"))[0]
    client = make_client(demo_db).with_token(staff.token)
    start = datetime.now(UTC) + timedelta(days=15)
    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"][
        "id"
    ]
    schedule = f"""mutation($input: MeetingScheduleInput!) {{ meetingSchedule(input: $input)
      {{ meeting {{ id remainingPlaces }} {ERRORS} }} }}"""
    values = {
        "groupId": group,
        "title": "Trigger clinic",
        "kind": "IN_PERSON",
        "location": "Nairobi",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "Africa/Nairobi",
        "capacity": 2,
    }
    meeting = (await client.execute(schedule, {"input": values}))["meetingSchedule"]["meeting"][
        "id"
    ]
    register = f"""mutation($m: ID!, $p: ID!) {{ registrationCreate(input: {{meetingId: $m, personId: $p}})
      {{ registration {{ id }} {ERRORS} }} }}"""
    places = """query($id: ID!) { node(id: $id) { ... on Meeting { remainingPlaces } } }"""

    backend = "sqlite" if demo_db.startswith("sqlite") else "postgresql"
    await _run(demo_db, TRIGGERS[backend])
    try:
        before = await table_rows(demo_db, skip=SKIP)
        refused = await client.execute(register, {"m": meeting, "p": person.id})
        assert refused["registrationCreate"]["registration"] is None
        assert [e["code"] for e in refused["registrationCreate"]["userErrors"]] == [
            "CONSTRAINT_VIOLATION"
        ]
        assert differences(before, await table_rows(demo_db, skip=SKIP)) == []
        assert (await client.execute(places, {"id": meeting}))["node"]["remainingPlaces"] == 2
    finally:
        await _run(demo_db, DROP[backend])
    done = await client.execute(register, {"m": meeting, "p": person.id})
    assert done["registrationCreate"]["userErrors"] == []
    assert (await client.execute(places, {"id": meeting}))["node"]["remainingPlaces"] == 1
