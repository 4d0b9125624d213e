"""Enforcement: field extensions that both executors run (graphql-core's and core.execution's).

- `MutationGuard` on every root mutation: sign-in, the `write` scope and the declared rule are
  checked before the mutation runs; every call, allowed or not, is written to the audit log.
- `FieldGuard` on every field with a `FieldRule`: a viewer the rule refuses reads null (or gets
  UNAUTHENTICATED / FORBIDDEN with `refuse`), unless the rule's `public` holds for the object.
  The fast executor sends fields that carry an extension down graphql-core's own path, so no
  executor can skip a guard.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from core.access import audit
from core.access.declare import FieldRule, MutationRule, Scope
from core.access.roles import FORBIDDEN, UNAUTHENTICATED, Access, access_of, refusal
from core.access.rules import NOTHING, Subject
from core.auth import WRITE
from core.errors import api_error
from core.schema.ids import pk_of

REFUSALS = (UNAUTHENTICATED, FORBIDDEN)


def _merge(subjects: list[Subject]) -> Subject:
    merged: dict[str, Any] = {}
    for subject in subjects:
        for name, value in vars(subject).items():
            if value is not None:
                merged.setdefault(name, value)
    return Subject(**merged)


def _input_value(arguments: Mapping[str, Any], graphql_name: str) -> Any:
    """The value of `input.<graphql_name>` among a mutation's converted arguments."""
    data = arguments.get("input")
    definition = get_object_definition(data) if data is not None else None
    if definition is None:
        return None
    for field in definition.fields:
        if (field.graphql_name or to_camel_case(field.python_name)) == graphql_name:
            return getattr(data, field.python_name, None)
    return None


def _node_in(result: Any) -> Any:
    """The object a payload returns (its first attribute that is a Node object), if any."""
    from core.schema.base import Node

    if not dataclasses.is_dataclass(result):
        return None
    for value in vars(result).values():
        if isinstance(value, Node):
            return value
    return None


def _outcome(result: Any, record: audit.Record) -> None:
    errors = getattr(result, "user_errors", None) or []
    record.outcome = "USER_ERROR" if errors else "OK"
    record.codes = [str(getattr(error, "code", "")) for error in errors]
    node = _node_in(result)
    if node is not None:
        record.about(type(node).node_type, node.pk)


class MutationGuard(FieldExtension):
    """Checks a root mutation's rule and records the call in the audit log."""

    def __init__(
        self, declared: MutationRule, scopes: Mapping[str, Scope], theme: str | None
    ) -> None:
        self.declared = declared
        self.scopes = scopes
        self.theme = theme

    def apply(self, field: StrawberryField) -> None:
        # A refused call answers null for this field alone (with its error), as GitHub's API
        # does: the payload type is made nullable, whatever the mutation declared.
        resolved = field.type
        if not isinstance(resolved, StrawberryOptional):
            field.type = StrawberryOptional(resolved)

    async def _subject(self, access: Access, arguments: Mapping[str, Any], record: Any) -> Subject:
        found: list[Subject] = []
        for field, type_name in self.declared.targets.items():
            value = _input_value(arguments, field)
            pk = pk_of(value, type_name) if isinstance(value, str) else None
            if pk is None:
                continue
            if record.object_id is None:
                record.about(type_name, pk)
            if not access.viewer.is_staff:  # staff pass whatever the subject: no lookup
                subject = await access.subject(self.scopes[type_name], pk)
                found.append(subject or NOTHING)
        if not self.declared.targets and self.theme is not None:
            found.append(Subject(theme=self.theme))
        return _merge(found)

    async def _check(self, access: Access, subject: Subject) -> None:
        viewer, rule = access.viewer, self.declared.rule
        what = f"call {self.declared.mutation}"
        if not rule.is_public and not viewer.signed_in:
            raise refusal(viewer, what)
        if viewer.signed_in and not viewer.has_scope(WRITE):
            raise api_error(FORBIDDEN, f"this token cannot {what}: it lacks the `write` scope")
        if not await access.allows(rule, subject):
            raise refusal(viewer, what)

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        ctx = info.context
        access = access_of(ctx)
        record = audit.Record(self.declared.mutation)
        try:
            subject = await self._subject(access, kwargs, record)
            await self._check(access, subject)
            result = next_(source, info, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            _outcome(result, record)
            return result
        except GraphQLError as error:
            code = (error.extensions or {}).get("code")
            record.outcome = code if code in REFUSALS else "ERROR"
            record.codes = [str(code)] if code else []
            raise
        except BaseException:
            record.outcome = "ERROR"
            raise
        finally:
            # a call cancelled with its request (client gone) is still recorded: the row is
            # handed in at once, and written by a task of its own (core.grouping)
            await audit.write(ctx, record)


class FieldGuard(FieldExtension):
    """Hides (or refuses) a field from viewers its rule does not allow."""

    def __init__(self, declared: FieldRule, scope: Scope | None) -> None:
        self.declared = declared
        self.scope = scope

    def _subject(self, source: Any) -> Subject:
        if self.scope is None or source is None:
            return NOTHING
        return self.scope.subject_of(source)

    def _refused(self, access: Access) -> None:
        if self.declared.refuse:
            rule = self.declared
            raise refusal(access.viewer, f"read {rule.type_name}.{rule.field}")
        return None

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        if self.declared.is_public(source):
            return next_(source, info, **kwargs)
        access = access_of(info.context)
        subject = self._subject(source)
        decided = access.decide_now(self.declared.rule, subject)
        if decided is True:
            return next_(source, info, **kwargs)
        if decided is False:
            return self._refused(access)
        return self._later(access, subject, next_, source, info, kwargs)

    async def _later(
        self,
        access: Access,
        subject: Subject,
        next_: Any,
        source: Any,
        info: Info,
        kwargs: dict[str, Any],
    ) -> Any:
        if not await access.allows(self.declared.rule, subject):
            return self._refused(access)
        value = next_(source, info, **kwargs)
        return await value if inspect.isawaitable(value) else value

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        if self.declared.is_public(source):
            value = next_(source, info, **kwargs)
            return await value if inspect.isawaitable(value) else value
        access = access_of(info.context)
        subject = self._subject(source)
        return await self._later(access, subject, next_, source, info, kwargs)
