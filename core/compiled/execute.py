"""The execution context of the compiled read path: compiled root fields run as one SQL
statement each and are spliced into the response as `orjson.Fragment`s (never parsed); every
other root field goes through the resolver path (core.execution) as before, and so does a
compiled one whose statement met a value its SQL does not print (core.compiled.sqljson.
unrepresentable: a non-finite float), so that the resolver path reports it as it always does,
or that SQLite refused as nested too deep (it is tried again on the next request: a kept
statement's token check nests it deeper than the first run's).
An operation answered wholly by kept statements is recorded for core.compiled.kept, which answers
it again without this."""

from __future__ import annotations

from typing import Any

from graphql import OperationType, is_non_null_type
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path

from core.auth.middleware import unconfirmed
from core.compiled.kept import STALE, KeptRoot, read_for_viewer, record, recording
from core.compiled.plan import RootPlan, plan_roots
from core.compiled.sqljson import spliced, unrepresentable
from core.execution import FastExecutionContext


def _bail(context: Any) -> bool:
    """Whether the request's viewer is not confirmed yet (core.auth.known: its operation runs
    speculatively, core.compiled.kept); then noted, so that it runs again, confirmed."""
    provisional = unconfirmed(context)
    if provisional is not None:
        provisional.bailed = True
    return provisional is not None


class CompiledExecutionContext(FastExecutionContext):
    """FastExecutionContext whose query root fields compile to SQL where they can."""

    def execute_fields(
        self,
        parent_type: Any,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if path is not None or position_context is not None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        if self.operation.operation is not OperationType.QUERY:
            if _bail(self.context_value):
                return {}
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = [p for p in plan_roots(self.context_value, self, parent_type, grouped_field_set)]
        compiled = [p for p in plans if p.statement is not None]
        # a viewer not confirmed yet: only a kept statement, which checks it, may run first
        # (no root field at all, e.g. `{}` or every one skipped: nothing runs, nothing to check)
        unchecked = len(compiled) < len(plans) or (compiled and compiled[0].sql is None)
        if unchecked and _bail(self.context_value):
            return {}
        if not compiled:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        rest = {p.key: grouped_field_set[p.key] for p in plans if p.statement is None}
        others = (
            super().execute_fields(parent_type, source_value, path, rest, position_context)
            if rest
            else {}
        )
        return self._spliced(parent_type, source_value, grouped_field_set, compiled, others)

    async def _spliced(
        self,
        parent_type: Any,
        source_value: Any,
        grouped: Any,
        compiled: list[RootPlan],
        others: Any,
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        again: dict[str, Any] = {}
        failed = False
        db = self.context_value.db
        for plan in compiled:
            try:
                if plan.sql is not None:  # a kept statement, this request's rows
                    text = await read_for_viewer(self.context_value, plan.sql, plan.parameters)
                    if text is STALE:  # nothing more runs: again, once confirmed
                        _bail(self.context_value)
                        return {}
                else:
                    async with db.read() as conn:
                        text = (await conn.execute(plan.statement)).scalar_one()
                values[plan.key] = spliced(self.context_value, text)
            except Exception as raw_error:
                if _bail(self.context_value):  # nothing is told a viewer not confirmed
                    return {}
                if unrepresentable(raw_error):
                    again[plan.key] = grouped[plan.key]
                    continue
                field_def = parent_type.fields[plan.field]
                path = Path(None, plan.key, parent_type.name)
                failed = True
                self.handle_field_error(raw_error, field_def.type, grouped[plan.key], path)
                values[plan.key] = None
        every = len(compiled) == len(grouped) and all(p.bound is not None for p in compiled)
        if every and not (failed or again) and recording():  # for core.compiled.kept
            name = self.operation.name.value if self.operation.name is not None else None
            record(name, self._kept(parent_type, grouped, compiled))
        if self.is_awaitable(others):
            others = await others
        if again:
            answered = super().execute_fields(parent_type, source_value, None, again, None)
            if self.is_awaitable(answered):
                answered = await answered
            values.update(answered)
        return {
            key: values[key] if key in values else others[key]
            for key in grouped
            if key in values or key in others
        }

    def _kept(
        self, parent_type: Any, grouped: Any, compiled: list[RootPlan]
    ) -> tuple[KeptRoot, ...]:
        """The root fields of an operation answered wholly by kept statements, as kept."""
        return tuple(
            KeptRoot(
                plan.key,
                plan.bound,
                tuple(to_nodes(grouped[plan.key])),
                # its error nulls `data`, as `handle_field_error` would have it
                self.error_propagation and is_non_null_type(parent_type.fields[plan.field].type),
            )
            for plan in compiled
            if plan.bound is not None
        )
