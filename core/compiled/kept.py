"""Kept operations (issue 12): a query the compiled read path answered wholly from kept
statements is answered again, for the same request, without Strawberry's or graphql-core's
execution: its statements run with this request's clock and their JSON is spliced as before.

Kept: a query operation whose every root field ran a kept statement (core.compiled.plan: its SQL
text and parameters ready, `RootPlan.bound`) and answered without an error. Such an answer
depends on nothing but the request (the document's text, the operation's name, the viewer, the
`Accept-Language` header, the variables' values: the key here), the database and the clock,
which each statement reads again when it runs (`Bound.now`). core.compiled.plan keys the same
statements by no less (its plan key: the document, the operation, the viewer's kind, the
language negotiated from that header, the `@skip`/`@include` flags; then the viewer and the
coerced values, which the values as sent determine).

What the skipped execution did, done here alike:
- the limits (core.limits.extension): the document was read, validated and found within its
  limits when it was kept; its `extensions.cost`, a function of the document and the variables'
  values, is the kept answer's;
- the operation's name and type for the access log and the metrics (core.observability);
- a query reads from the replica, if there is one (core.replica);
- each operation is charged by the rate limiter (core.ratelimit.charge_operation), here once
  its statements have answered: a refusal answers the same 429 as before, having read.
A statement that fails is not answered here: the request runs the whole way, which reads again
and reports the failure as it always does (the statements that ran first are counted twice).

Not kept: mutations and subscriptions, an operation with a root field that fell back or failed,
variables of more than `MAX_KEPT_VALUES` characters, and every operation while tracing is on
(each a span of its own: `create_app` turns this off).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import orjson
from strawberry.types import ExecutionResult

from core.compiled.plan import MAX_KEPT_VALUES
from core.compiled.template import Bound
from core.db import replica_reads
from core.observability.operations import Operation, note
from core.ratelimit import charge_operation

KEPT_SIZE = 2048
"""Requests kept, per app (each: the key's texts and one `Bound` per root field, whose SQL text
is the template's own: a few kilobytes at most)."""


@dataclass(frozen=True)
class KeptOperation:
    """A kept query: (response key, kept statement) per root field in the response's order, its
    result's `extensions` and its name."""

    roots: tuple[tuple[str, Bound], ...]
    name: str | None
    extensions: dict[str, Any] | None = None


_recording: ContextVar[list[KeptOperation] | None] = ContextVar("ogp_wg_kept", default=None)


def record(name: str | None, roots: tuple[tuple[str, Bound], ...]) -> None:
    """Called by the compiled path when every root field of the operation `name` ran its kept
    statement and answered: a candidate to keep, if the operation is being recorded."""
    recorded = _recording.get()
    if recorded is not None:
        recorded.append(KeptOperation(roots, name))


@contextmanager
def _recorded() -> Iterator[list[KeptOperation]]:
    recorded: list[KeptOperation] = []
    token = _recording.set(recorded)
    try:
        yield recorded
    finally:
        _recording.reset(token)


class KeptOperations:
    """One app's kept queries: a bounded LRU of `KEPT_SIZE` requests."""

    def __init__(self, size: int = KEPT_SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[Any, ...], KeptOperation] = OrderedDict()

    async def serve(
        self, request: Any, context: Any, work: Callable[[], Awaitable[ExecutionResult]]
    ) -> ExecutionResult:
        """The kept answer to `request` (Strawberry's GraphQLRequestData) for `context`'s
        viewer, else `await work()` (the whole way), kept when it qualifies."""
        key = _key(request, context)
        if key is None:
            return await work()
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            answered = await _answer(kept, context)
            if answered is not None:
                return answered
        with _recorded() as recorded:
            result = await work()
        if len(recorded) == 1 and not result.errors and isinstance(result.data, dict):
            (candidate,) = recorded
            if list(result.data) == [key_ for key_, _ in candidate.roots]:
                self._kept[key] = KeptOperation(candidate.roots, candidate.name, result.extensions)
                if len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return result


def _key(request: Any, context: Any) -> tuple[Any, ...] | None:
    """The request's key (see the module docstring), None when it is not to be kept."""
    if not isinstance(request.query, str):
        return None
    try:  # keys sorted: the same values however a client ordered them
        values = orjson.dumps(request.variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    if len(values) > MAX_KEPT_VALUES:
        return None
    http = context.request
    language = http.headers.get("accept-language") if http is not None else None
    return (request.query, request.operation_name, context.viewer, language, values)


async def _answer(kept: KeptOperation, context: Any) -> ExecutionResult | None:
    """The kept operation's answer now; None when a statement failed (see the module doc)."""
    data: dict[str, Any] = {}
    token = replica_reads.set(True)  # a query's reads (core.replica)
    try:
        for key, bound in kept.roots:
            data[key] = orjson.Fragment(await context.db.read_value(bound.sql, bound.now()))
    except Exception:  # the whole way reports it (a cancellation is no Exception: it goes on)
        return None
    finally:
        replica_reads.reset(token)
    refused = await charge_operation(context, is_mutation=False)
    note(Operation(kept.name, "query"))
    if refused is not None:
        return ExecutionResult(data=None, errors=[refused])
    return ExecutionResult(data=data, errors=None, extensions=kept.extensions)
