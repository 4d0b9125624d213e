"""Kept operations (issue 12): a query the compiled read path answered wholly from kept
statements is answered again, for the same request, without Strawberry's or graphql-core's
execution: its statements run with this request's clock and their JSON is spliced as before.

Kept: a query operation whose every root field ran a kept statement (core.compiled.plan: its SQL
text and parameters ready, `RootPlan.bound`) and answered without an error. Such an answer
depends on nothing but the request (the document's text, the operation's name, the viewer, the
`Accept-Language` header, the variables' values as sent: the key here), the database and the clock,
which each statement reads again when it runs (`Bound.now`); a plugin declaration that read
another header of the request would have its statement kept per viewer, not per header value,
by core.compiled.plan already (core.compiled.watch): none does. core.compiled.plan keys the same
statements by no less (its plan key: the document, the operation, the viewer's kind, the
language negotiated from that header, the `@skip`/`@include` flags; then the viewer and the
coerced values, which the values as sent determine).

What the skipped execution did, done here alike:
- the limits (core.limits.extension): the document was read, validated and found within its
  limits when it was kept; its `extensions.cost`, a function of the document and the variables'
  values, is the kept answer's;
- the operation's name and type for the access log and the metrics (core.observability);
- a query reads from the replica, if there is one (core.replica);
- each operation is charged by the rate limiter (core.ratelimit.charge_operation) before it
  runs: a refusal answers the same 429 as before.
A statement that fails is reported as the compiled path reports it (at its root field's path;
a database fault: 503 SERVICE_UNAVAILABLE), but one that met a value its SQL does not print (a
non-finite float, or a statement nested too deep for SQLite: core.compiled.sqljson.
unrepresentable): that request, and every one after it, runs the whole way (charged no more),
whose resolver path answers it.

Mutations are kept apart, by document (core.compiled.kept_mutations): their statements run anew.
Not kept: subscriptions, an operation with a root field that fell back or failed,
variables that core.compiled.plan.values_key keeps no key for (too long or too deep), and every
operation while tracing is on (each a span of its own: `create_app` turns this off).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import FieldNode, GraphQLError, located_error
from strawberry.types import ExecutionResult

from core.auth.middleware import confirm, unconfirmed
from core.compiled.kept_mutations import KeptMutations
from core.compiled.plan import values_key
from core.compiled.sqljson import spliced, unrepresentable
from core.compiled.template import Bound
from core.db import replica_reads, utcnow
from core.observability.logs import log_graphql_errors
from core.observability.operations import Operation, note
from core.ratelimit import charge_operation, charged_already

KEPT_SIZE = 1024
"""Requests kept, per app (each: the key's texts, one `Bound` per root field, and the field
nodes its errors are located at, which keep the request's parsed document alive)."""


@dataclass(frozen=True)
class KeptRoot:
    """One root field of a kept query: its response key, kept statement, field nodes (where its
    error is located) and whether its type is non-null (its error then nulls `data`)."""

    key: str
    bound: Bound
    nodes: tuple[FieldNode, ...]
    non_null: bool


@dataclass(frozen=True)
class KeptOperation:
    """A kept query: its root fields in the response's order, its result's `extensions` (never
    changed: every answer shares them) and its name."""

    roots: tuple[KeptRoot, ...]
    name: str | None
    extensions: dict[str, Any] | None = None


_recording: ContextVar[list[KeptOperation] | None] = ContextVar("ogp_wg_kept", default=None)


def recording() -> bool:
    """Whether the current operation is recorded (`record` would keep it)."""
    return _recording.get() is not None


def record(name: str | None, roots: tuple[KeptRoot, ...]) -> None:
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


def kept_operations(app: Any) -> KeptOperations | None:
    """The kept queries of an app (`core.context.AppState`), None when it keeps none."""
    found: KeptOperations | None = app.caches.get(__name__)
    return found


def keep_operations(app: Any) -> KeptOperations:
    """An app's kept queries, made now (`create_app`: when it compiles reads)."""
    kept = app.caches[__name__] = KeptOperations()
    return kept


class KeptOperations:
    """One app's kept queries: a bounded LRU of `KEPT_SIZE` requests (in `AppState.caches`)."""

    def __init__(self, size: int = KEPT_SIZE) -> None:
        self._kept: LRUCache[tuple[Any, ...], KeptOperation] = LRUCache(size)
        self.answered = 0
        """Operations answered here so far, refusals included (the tests' evidence of this
        path)."""
        self._documents: LRUCache[tuple[Any, ...], bool] = LRUCache(size)
        """(document, operation name, viewer, language) of the kept requests: answered wholly
        by kept statements, whatever the variables' values."""
        self.mutations = KeptMutations()
        """The kept mutations (core.compiled.kept_mutations)."""

    async def serve(
        self, request: Any, context: Any, work: Callable[[], Awaitable[ExecutionResult]]
    ) -> ExecutionResult:
        """The kept answer to `request` (Strawberry's GraphQLRequestData) for `context`'s
        viewer, else `await work()` (the whole way), kept when it qualifies."""
        mutation = self.mutations.get(request, context)
        if mutation is not None:
            await confirm(context)  # a provisional viewer (core.auth.known)
            return await self.mutations.run(mutation, request, context)
        key = _key(request, context)
        if key is None:
            result = await work()
            self.mutations.consider(request, context, result)
            return result
        kept = self._kept.get(key)
        charged: AbstractContextManager[None] = nullcontext()
        if kept is not None:
            # charged before it runs, as the whole way charges it (a batch's order: its own)
            try:
                refused = await charge_operation(context, is_mutation=False)
                answered = await _answer(kept, context) if refused is None else None
            except BaseException:  # cancelled (the deadline): noted as the whole way notes it
                note(Operation(kept.name, "query"))
                raise
            if refused is not None:
                await confirm(context)  # nothing is told a viewer not confirmed
                log_graphql_errors([refused], operation=kept.name)
                answered = ExecutionResult(None, [refused], extensions=kept.extensions)
            if answered is None:  # it would fail again: the whole way from now on
                self._kept.pop(key, None)  # (unless a request alike did so meanwhile)
            elif isinstance(answered, ExecutionResult):
                self.answered += 1
                note(Operation(kept.name, "query"))
                return answered
            else:  # STALE: its token changed; looked up, it is 401 or another viewer's
                await confirm(context)
            charged = charged_already()
        # a document answered wholly by kept statements before, for this viewer: run again
        # unconfirmed, its first statement confirming the viewer (`read_for_viewer`)
        provisional = unconfirmed(context)
        speculate = provisional is not None and key[:4] in self._documents
        with charged, _recorded() as recorded, _speculating(speculate):
            result = await work()
        if provisional is not None and speculate and provisional.viewer is None:
            await confirm(context)  # 401, or the viewer its token stands for now
            if provisional.bailed:  # nothing of that run goes out: it runs confirmed
                with charged_already(), _recorded() as recorded:
                    result = await work()
        if context.viewer != key[2]:  # confirmed as another (core.auth.known): kept as its
            key = (*key[:2], context.viewer, *key[3:])
        if len(recorded) == 1 and not result.errors and isinstance(result.data, dict):
            (candidate,) = recorded
            if list(result.data) == [root.key for root in candidate.roots]:
                self._kept[key] = KeptOperation(candidate.roots, candidate.name, result.extensions)
                self._documents[key[:4]] = True
        else:
            self.mutations.consider(request, context, result)
        return result


def _key(request: Any, context: Any) -> tuple[Any, ...] | None:
    """The request's key (see the module docstring), None when it is not to be kept."""
    name = request.operation_name
    if not isinstance(request.query, str) or not (name is None or isinstance(name, str)):
        return None  # the whole way refuses a name that is no string (400)
    # Two orders of the same keys are two keys, each answered right.
    values = values_key(request.variables)
    if values is None:
        return None
    http = context.request
    language = http.headers.get("accept-language") if http is not None else None
    return (request.query, name, context.viewer, language, values)


class _Stale:
    """`read_for_viewer`'s word that the request's provisional viewer no longer holds."""


STALE = _Stale()

_speculation: ContextVar[bool] = ContextVar("kept_speculation", default=False)


@contextmanager
def _speculating(on: bool) -> Iterator[None]:
    token = _speculation.set(on)
    try:
        yield
    finally:
        _speculation.reset(token)


def speculating() -> bool:
    """Whether the operation runs for a viewer not confirmed yet (`KeptOperations.serve`):
    the view does not confirm it first, its first statement does (`read_for_viewer`)."""
    return _speculation.get()


async def read_for_viewer(context: Any, sql: str, parameters: Any) -> Any:
    """`Database.read_value(sql, parameters)` for the request of `context`; while its viewer is
    provisional (core.auth.known), the same statement checks its token and confirms it: STALE
    when the token no longer stands for that viewer (the read is not made)."""
    provisional = unconfirmed(context)
    if provisional is None:
        return await context.db.read_value(sql, parameters)
    assert isinstance(parameters, tuple)  # both drivers' are positional
    checked = provisional.known.checked(context.db.engine.dialect, sql, parameters, utcnow())
    ((still, text),) = await context.db.read_rows(*checked)
    if not still:
        return STALE
    provisional.confirmed()
    return text


async def _answer(kept: KeptOperation, context: Any) -> ExecutionResult | _Stale | None:
    """The kept operation's answer now, its statements' failures reported as the compiled path
    reports them (core.compiled.execute: each at its root field's path, logged, a non-null
    field's nulling `data`); None when a statement met a value its SQL does not print (the whole
    way answers it on the resolver path). A provisional viewer (core.auth.known) is confirmed by
    the first statement itself; STALE when its token no longer stands for that viewer."""
    data: dict[str, Any] = {}
    errors: list[GraphQLError] = []
    nulled = False  # by a non-null root field's error
    token = replica_reads.set(True)  # a query's reads (core.replica)
    try:
        for root in kept.roots:
            try:
                text = await read_for_viewer(context, root.bound.sql, root.bound.now())
                if isinstance(text, _Stale):
                    return STALE
                data[root.key] = spliced(context, text)
            except Exception as exc:  # a cancellation is no Exception: it goes on
                await confirm(context)  # nothing is told a viewer not confirmed
                if unrepresentable(exc):
                    return None
                errors.append(located_error(exc, list(root.nodes), [root.key]))
                if root.non_null:
                    nulled = True
                    break
                data[root.key] = None
    finally:
        replica_reads.reset(token)
    if errors:
        log_graphql_errors(errors, operation=kept.name)
    return ExecutionResult(
        data=None if nulled else data, errors=errors or None, extensions=kept.extensions
    )
