"""A registration's common case in one statement, on PostgreSQL: the function
`register_at_once` of migration core_0021 (whose docstring gives its rules and why a function).

`registrationCreate` calls it outside a transaction (the call is its own: one round trip where
core.meetings.registrations.register takes five); when it returns no row, it wrote nothing and
`register` decides in its transaction. tests/test_register_at_once.py holds the two to the same
answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, String, bindparam, column, func, select

from core import lookups
from core.activity import bus
from core.db import UTCDateTime, utcnow
from core.driver import DriverStatement, rows
from core.driver import WriteConnection as Connection
from core.errors import Rejected
from core.meetings.models import Registration

_AT_ONCE = DriverStatement(
    select(
        *func.register_at_once(
            bindparam("meeting"),
            bindparam("person"),
            bindparam("themes", type_=ARRAY(String)),
            bindparam("now", type_=UTCDateTime),
            bindparam("channel"),
            bindparam("topic"),
        )
        .table_valued(*(column(c.name, c.type) for c in Registration.__table__.c))
        .c
    ),
    writes=True,
)
"""PostgreSQL's `register_at_once` (core_0021): the new registration, or no row."""


async def register_at_once(
    conn: Connection, *, meeting_id: str, person_id: str, themes: tuple[str, ...]
) -> Any:
    """`register`'s common case in one statement, PostgreSQL's `register_at_once` (core_0021),
    on a connection outside any transaction (the call is its own: one round trip): the new
    registration (REGISTERED, WAITLISTED or PRE_REGISTERED), or None when the case is not the
    common one (IDs that do not decode or name nothing visible, a refusal, a duplicate, a
    comeback, an admission due first); then nothing was written and `register` decides.
    """
    try:
        meeting_pk = lookups.decode(meeting_id, "Meeting", "meetingId")
        person_pk = lookups.decode(person_id, "Person", "personId")
    except Rejected:
        return None  # `register` answers, in its order of errors
    found = await rows(
        conn,
        _AT_ONCE,
        meeting=meeting_pk,
        person=person_pk,
        themes=list(themes),
        now=utcnow(),
        channel=bus.CHANNEL,
        topic=bus.meeting_topic(meeting_pk),
    )
    return found[0] if found else None
