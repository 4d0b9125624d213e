"""All-or-nothing writes: one transaction per mutation, expected failures as user errors.

A constraint the database refuses becomes a user error through a table the core and each
enabled plugin declare (hook `ogp_wg_constraint_errors`): constraint NAME -> (code, message,
field). The name is what the database calls the constraint, after the naming convention
(`uq_<table>_<columns>`, `ck_<table>_<name>`, an index's own name...). It is found in the error
the driver raises: PostgreSQL (asyncpg) gives it as `constraint_name`; SQLite names CHECK
constraints in its message and UNIQUE ones only by their columns ("UNIQUE constraint failed:
t.a, t.b"), which are matched to the unique constraint or index declared on those columns in the
models. A failure the table does not name (NOT NULL, a foreign key on SQLite...) is the generic
`CONSTRAINT_VIOLATION`: never another constraint's message.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import Index, MetaData, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.driver import WriteConnection, autocommit, transaction
from core.errors import Rejected, UserError, user_error

if TYPE_CHECKING:
    from core.context import Context

T = TypeVar("T")

GENERIC_CODE = "CONSTRAINT_VIOLATION"
GENERIC_MESSAGE = "the change conflicts with existing data"
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
# SQLite's wording (3.26+); PostgreSQL needs none: asyncpg exposes `constraint_name`.
SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>[^']+)'")
SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)")
SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")


class ConstraintError(NamedTuple):
    """The user error for one constraint: `code` (SCREAMING_SNAKE_CASE), `message`, and the
    input `field` at fault (camelCase, inside `input`), or None. A plain tuple
    `(code, message)` or `(code, message, field)` is accepted wherever this is."""

    code: str
    message: str
    field: str | None = None


class ConstraintMapError(Exception):
    """A constraint-error table that cannot be used; the message names the owner and the name."""


@dataclass(frozen=True)
class ConstraintErrors:
    """The merged tables of the core and the enabled plugins, ready to look errors up."""

    by_name: Mapping[str, ConstraintError] = field(default_factory=dict)
    owners: Mapping[str, str] = field(default_factory=dict)
    """constraint name -> 'core' or the plugin key that mapped it."""
    unique_columns: Mapping[tuple[str, tuple[str, ...]], tuple[str, ...]] = field(
        default_factory=dict
    )
    """SQLite: (table, columns in order) -> names of the unique constraints/indexes on them."""

    @classmethod
    def build(
        cls, contributions: Iterable[tuple[str, Mapping[str, Any]]], metadata: MetaData
    ) -> ConstraintErrors:
        """Merge `(owner, {name: (code, message[, field])})` pairs, checked against `metadata`.

        Raises ConstraintMapError when a name is mapped twice (naming both owners), names no
        constraint or index of the models, or maps to something that is not a user error.
        """
        known, unique_columns = _declared(metadata)
        by_name: dict[str, ConstraintError] = {}
        owners: dict[str, str] = {}
        for owner, table in contributions:
            who = "the core" if owner == "core" else f"plugin '{owner}'"
            if not isinstance(table, Mapping):
                raise ConstraintMapError(
                    f"{who} (hook ogp_wg_constraint_errors) must return a dict "
                    f"{{constraint name: (code, message, field)}}, not {type(table).__name__}"
                )
            for name, value in table.items():
                if name in owners:
                    first = "the core" if owners[name] == "core" else f"plugin '{owners[name]}'"
                    raise ConstraintMapError(
                        f"{first} and {who} both map the constraint '{name}' to a user error"
                    )
                if name not in known:
                    raise ConstraintMapError(
                        f"{who} (hook ogp_wg_constraint_errors) maps '{name}', which is not the "
                        "name of a constraint or index of the models; use the database's name "
                        "after the naming convention, e.g. 'uq_<table>_<columns>' or "
                        "'ck_<table>_<name>'"
                    )
                by_name[name] = _constraint_error(who, name, value)
                owners[name] = owner
        return cls(by_name, owners, unique_columns)

    def user_error(self, exc: IntegrityError) -> UserError:
        """The user error for a refused write: the mapped one, else the generic one."""
        found = self.lookup(exc)
        if found is None:
            found = _legacy_lookup(str(exc.orig))
        if found is None:
            return user_error(GENERIC_CODE, GENERIC_MESSAGE)
        return user_error(found.code, found.message, *([found.field] if found.field else []))

    def lookup(self, exc: IntegrityError) -> ConstraintError | None:
        mapped = {self.by_name[n] for n in self.constraint_names(exc) if n in self.by_name}
        # Several candidates only on SQLite (unique indexes on the same columns): answer only
        # when they agree, never with a guess.
        return mapped.pop() if len(mapped) == 1 else None

    def constraint_names(self, exc: IntegrityError) -> list[str]:
        """The names of the constraint `exc` reports (several only if SQLite is ambiguous)."""
        orig: BaseException | None = exc.orig
        for error in (orig, orig.__cause__ if orig else None):
            name = getattr(error, "constraint_name", None)  # asyncpg
            if isinstance(name, str):
                return [name]
        text = str(orig)
        if match := SQLITE_INDEX.fullmatch(text) or SQLITE_CHECK.fullmatch(text):
            return [match["name"]]
        if match := SQLITE_UNIQUE.fullmatch(text):
            qualified = [part.strip().split(".", 1) for part in match["columns"].split(",")]
            if all(len(part) == 2 for part in qualified) and len({t for t, _ in qualified}) == 1:
                key = (qualified[0][0], tuple(column for _, column in qualified))
                return list(self.unique_columns.get(key, ()))
        return []


def _constraint_error(who: str, name: str, value: Any) -> ConstraintError:
    if isinstance(value, tuple) and len(value) in (2, 3):
        error = ConstraintError(*value)
        if (
            isinstance(error.code, str)
            and CODE.fullmatch(error.code)
            and isinstance(error.message, str)
            and error.message
            and (error.field is None or isinstance(error.field, str))
        ):
            return error
    raise ConstraintMapError(
        f"{who} (hook ogp_wg_constraint_errors) maps '{name}' to {value!r}; expected "
        "(CODE_IN_CAPITALS, message) or (CODE_IN_CAPITALS, message, input field)"
    )


def _declared(
    metadata: MetaData,
) -> tuple[set[str], dict[tuple[str, tuple[str, ...]], tuple[str, ...]]]:
    """Every constraint and index name of the models, and the unique ones by their columns."""
    names: set[str] = set()
    unique: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
    for table in metadata.tables.values():
        # rules a trigger keeps, refusing with a CHECK's name (e.g. core_0013): declared on the
        # model as `__table_args__ = (..., {"info": {"trigger_checks": ("ck_<table>_<rule>",)}})`
        names.update(str(name) for name in table.info.get("trigger_checks", ()))
        items: list[Any] = [*table.constraints, *table.indexes]
        for item in items:
            if not isinstance(item.name, str):
                continue
            names.add(str(item.name))
            is_unique = isinstance(item, UniqueConstraint) or item is table.primary_key
            if is_unique or (isinstance(item, Index) and item.unique):
                columns = tuple(column.name for column in item.columns)
                key = (table.name, columns)
                unique[key] = (*unique.get(key, ()), str(item.name))
    return names, unique


def core_constraint_errors() -> list[tuple[str, Mapping[str, Any]]]:
    """The core domains' own tables, as `(owner, table)` pairs for `ConstraintErrors.build`."""
    from core import domains  # domains import this module: import late

    return domains.constraint_errors()


# --- deprecated: register_constraint_error (0.1) -------------------------------------------------

_LEGACY: dict[str, ConstraintError] = {}


def register_constraint_error(
    pattern: str, code: str, message: str, field: str | None = None
) -> None:
    """Deprecated since 0.2, removed in 0.3: return the mapping from the plugin's
    `ogp_wg_constraint_errors` hook instead (by constraint name, enabled plugins only, checked
    for clashes at start-up).

    Kept working for one release: `pattern` is a regular expression matched against the
    driver's error text, and is tried only when no constraint name matched.
    """
    warnings.warn(
        "core.register_constraint_error is deprecated and will be removed in 0.3: return "
        "{constraint_name: (code, message, field)} from the hook ogp_wg_constraint_errors",
        DeprecationWarning,
        stacklevel=2,
    )
    _LEGACY[pattern] = ConstraintError(code, message, field)


def _legacy_lookup(text: str) -> ConstraintError | None:
    for pattern, error in _LEGACY.items():
        if re.search(pattern, text):
            return error
    return None


# --- transactions ------------------------------------------------------------------------------

NO_CONSTRAINT_ERRORS = ConstraintErrors()


def integrity_user_error(
    exc: IntegrityError, errors: ConstraintErrors = NO_CONSTRAINT_ERRORS
) -> UserError:
    """The user error for `exc` under `errors` (a PluginSet's `constraint_errors`)."""
    return errors.user_error(exc)


async def in_transaction(
    ctx: Context, work: Callable[[AsyncConnection], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run `work` in one write transaction. `Rejected` or a constraint violation rolls it all
    back and comes out as user errors; nothing is half-written.

    `ctx` is the request's Context (anything with `.db`): a violated constraint becomes the user
    error the core or an enabled plugin maps its name to, else `CONSTRAINT_VIOLATION`. Returns
    `(result, [])` or `(None, errors)`.
    """
    return await _all_or_nothing(ctx, ctx.db.write, work)


async def in_driver_transaction(
    ctx: Context, work: Callable[[WriteConnection], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """`in_transaction` for `work` whose statements all run through `core.driver.rows`: on the
    driver's own connection (`core.driver.transaction`), or through SQLAlchemy while the
    database's `raw_statements` is off (the SQL echo, tracing)."""
    db = ctx.db
    begin: Callable[[], AbstractAsyncContextManager[Any]] = (
        partial(transaction, db) if db.raw_statements else db.write
    )
    return await _all_or_nothing(ctx, begin, work)


async def at_once_or_in_driver_transaction(
    ctx: Context,
    at_once: Callable[[WriteConnection], Awaitable[T | None]],
    work: Callable[[WriteConnection], Awaitable[T]],
) -> tuple[T | None, list[UserError]]:
    """`in_driver_transaction(ctx, work)`, first tried as `at_once`: one statement, its own
    transaction, on the driver's connection (`core.driver.autocommit`), on PostgreSQL while
    `raw_statements` is on. `at_once` returns the result, or None for a case it does not take
    (it then wrote nothing, and `work` decides); its refusals and constraint errors are answered
    as `work`'s are."""
    db = ctx.db
    if db.raw_statements and not db.is_sqlite:
        done, errors = await _all_or_nothing(ctx, partial(autocommit, db), at_once)
        if done is not None or errors:
            return done, errors
    return await in_driver_transaction(ctx, work)


async def _all_or_nothing(
    ctx: Context,
    begin: Callable[[], AbstractAsyncContextManager[Any]],
    work: Callable[[Any], Awaitable[T]],
) -> tuple[T | None, list[UserError]]:
    try:
        async with begin() as conn:
            return await work(conn), []
    except Rejected as rejected:
        return None, rejected.errors
    except IntegrityError as exc:
        app = getattr(ctx, "app", None)  # scripts may pass a bare object with `.db`
        errors = app.plugins.constraint_errors if app is not None else NO_CONSTRAINT_ERRORS
        return None, [errors.user_error(exc)]
