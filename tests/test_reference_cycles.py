"""A request leaves no reference cycle behind (issue 12): whatever it made is freed when it ends,
not by the cyclic garbage collector. Under load each request's cycle (its executor, its
disconnect listener's CancelledError, its Context and Access) kept the whole request alive until
a collection, which then freed hundreds of requests at once: 16% of a registration's server
time, and pauses of 100-200 ms (the p99). Both databases.

Through the ASGI app over HTTP, requests that succeed: a query kept, one answered the whole way
(introspection), a mutation kept and the whole way. Not yet free of cycles: errors (an
exception's traceback refers to the frames that hold it) and the resolver path's SQLAlchemy
statements, built per request (SQLAlchemy's own structures refer to each other). The collector is stopped,
told to keep what it finds (`gc.DEBUG_SAVEALL`), and nothing it finds may come from the server's
side: the test's HTTP client (httpx) makes cycles of its own, which are not the server's.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any

from core.testing import ClientFactory
from tests.server_process import people_with_tokens

SERVER_SIDE = ("core.", "plugins.", "strawberry.", "graphql.", "starlette.", "sqlalchemy.")
GROUP = 'query G { workingGroup(slug: "open-data") { name meetings(filter: {upcoming: true}, first: 3) { nodes { id } } } }'
SCHEMA = "{ __schema { queryType { name } } }"  # introspection: never compiled, never kept
REGISTER = """mutation Register($meetingId: ID!, $personId: ID!) {
  registrationCreate(input: {meetingId: $meetingId, personId: $personId}) {
    registration { status } userErrors { code }
  }
}"""


@contextmanager
def cycles() -> Iterator[list[Any]]:
    """Within: the collector stopped; after: what a full collection found in cycles."""
    gc.collect()
    gc.disable()
    found: list[Any] = []
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        yield found
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def server_side(objects: list[Any]) -> list[str]:
    """The objects of `objects` that the server made (by their type's module), named."""
    named = []
    for obj in objects:
        module = type(obj).__module__ or ""
        if module.startswith(SERVER_SIDE) or type(obj) in (FrameType, TracebackType):
            named.append(f"{module}.{type(obj).__qualname__}")
    return sorted(set(named))


async def test_requests_leave_no_cycles(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    compiled = make_client(demo_db, rate_limits=False)
    resolvers = make_client(demo_db, rate_limits=False, compiled_reads=False)
    staff = role_tokens["staff"]
    one, two = await people_with_tokens(demo_db, 2, label="cycle registrant")
    group = await compiled.execute(GROUP)
    meetings = [node["id"] for node in group["workingGroup"]["meetings"]["nodes"]]

    async def register(client: Any, person: Any, meeting: str) -> None:
        answer = await client.with_token(staff).post(
            REGISTER, {"meetingId": meeting, "personId": person.id}
        )
        assert answer.json()["data"]["registrationCreate"]["userErrors"] == [], answer.text

    # Each kind of request once first: what is made once per document (its parse, validation,
    # SQL, plan) and kept is no request's garbage.
    for client in (compiled, resolvers):
        assert "errors" not in (await client.post(GROUP)).json()
        assert "errors" not in (await client.post(SCHEMA)).json()
    await register(compiled, one, meetings[0])
    await register(resolvers, two, meetings[0])
    with cycles() as found:
        assert "errors" not in (await compiled.post(GROUP)).json()  # kept
        for client in (compiled, resolvers):
            assert "errors" not in (await client.post(SCHEMA)).json()  # the whole way
        await register(compiled, one, meetings[1])  # kept
        await register(resolvers, two, meetings[1])  # the whole way
    assert server_side(found) == []
