"""The two evaluations of a rule agree: in Python (`allows`, with the viewer's relations loaded by
`core.access.roles`) and in SQL (`condition`, the row filter), for EVERY rule (each of the 128
sets of grants), every role of the test world and every row of every declared scope, on both
databases. A waitlisted or cancelled registration is no place at a meeting.
"""

from __future__ import annotations

import itertools
import types as pytypes
from datetime import UTC, datetime

from sqlalchemy import insert, select

from core import models
from core.access.declare import Scope
from core.access.policy import core_declarations
from core.access.roles import Access
from core.access.rules import Grant, Rule, allows
from core.access.sql import condition
from core.auth import ALL_SCOPES, Viewer
from core.db import Database
from core.enums import RegistrationStatus
from tests.access_world import PEOPLE, build_world

RULES = [
    Rule(frozenset(grants))
    for size in range(len(Grant) + 1)
    for grants in itertools.combinations(list(Grant), size)
]
SCOPES = [d for d in core_declarations() if isinstance(d, Scope)]


async def test_python_and_sql_agree_on_every_rule_role_and_row(empty_db: str) -> None:
    world = await build_world(empty_db)
    db = Database(empty_db)
    try:
        now = datetime.now(UTC)
        async with db.write() as conn:  # rows that must not count as a place
            for role, status in (("member", "WAITLISTED"), ("other", "CANCELLED")):
                await conn.execute(
                    insert(models.Registration).values(
                        meeting_id=world.meeting,
                        person_id=world.people[role],
                        status=RegistrationStatus(status),
                        created_at=now,
                        queued_at=now,
                    )
                )
        viewers = {"anonymous": Viewer()}
        for role in PEOPLE:
            staff = role == "staff"
            viewers[role] = Viewer(world.people[role], 1, ALL_SCOPES, staff, "token")
        checked = 0
        for role, viewer in viewers.items():
            access = Access(pytypes.SimpleNamespace(db=db, viewer=viewer))  # type: ignore[arg-type]
            roles = await access.roles()
            for scope in SCOPES:
                async with db.read() as conn:
                    pks = list((await conn.execute(select(scope.pk))).scalars())
                subjects = {pk: await access.subject(scope, pk) for pk in pks}
                # every rule's condition as a column: one statement per role and scope
                columns = [condition(r, viewer, scope).label(f"r{i}") for i, r in enumerate(RULES)]
                async with db.read() as conn:
                    rows = (await conn.execute(select(scope.pk.label("pk"), *columns))).all()
                for i, rule in enumerate(RULES):
                    in_sql = {row.pk for row in rows if row[i + 1]}
                    in_python = {pk for pk, s in subjects.items() if s and allows(rule, roles, s)}
                    assert in_sql == in_python, (role, scope.type_name, str(rule))
                    checked += 1
        assert checked == len(viewers) * len(SCOPES) * len(RULES)
        member = await Access(
            pytypes.SimpleNamespace(db=db, viewer=viewers["member"])  # type: ignore[arg-type]
        ).roles()
        assert member.registered_for == frozenset()  # waitlisted only: no place
        assert member.member_of == {world.group: "open_data"}
    finally:
        await db.dispose()
