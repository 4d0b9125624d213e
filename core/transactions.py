"""All-or-nothing writes: one transaction per mutation, expected failures as user errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.errors import Rejected, UserError, user_error

if TYPE_CHECKING:
    from core.context import Context

T = TypeVar("T")

# Constraint (by name, or SQLite's "table.column" wording) -> (code, message, input field).
CONSTRAINT_ERRORS: dict[str, tuple[str, str, str | None]] = {}


def register_constraint_error(
    pattern: str, code: str, message: str, field: str | None = None
) -> None:
    """Map a database constraint to a user error; plugins register their own the same way.

    `pattern` is a regular expression matched against the driver's error text, which names the
    constraint (PostgreSQL) or its columns (SQLite): give both, e.g. `uq_x_a_b|x\\.a, x\\.b`.
    """
    CONSTRAINT_ERRORS[pattern] = (code, message, field)


def integrity_user_error(exc: IntegrityError) -> UserError:
    text = str(exc.orig)
    for pattern, (code, message, field) in CONSTRAINT_ERRORS.items():
        if re.search(pattern, text):
            return user_error(code, message, *([field] if field else []))
    return user_error("CONSTRAINT_VIOLATION", "the change conflicts with existing data")


async def in_transaction(
    ctx: Context, work: Callable[[AsyncConnection], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run `work` in one write transaction. `Rejected` or a constraint violation rolls it all
    back and comes out as user errors; nothing is half-written.
    """
    try:
        async with ctx.db.write() as conn:
            return await work(conn), []
    except Rejected as rejected:
        return None, rejected.errors
    except IntegrityError as exc:
        return None, [integrity_user_error(exc)]
