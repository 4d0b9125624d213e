"""`FieldRule(..., public=condition)` means the same on both read paths: the resolver path tests
the object's attribute in Python (`FieldRule.is_public`), the compiled path the row's column in
SQL (`FieldRule.public_on`). Every accepted form of condition, every constant and every value of
the column (NULL included) agree on both databases; the forms the two could read differently
are refused when declared.
"""

from __future__ import annotations

import asyncio
from itertools import product
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import case, literal, select, true
from sqlalchemy.ext.asyncio import create_async_engine

from core import STAFF, FieldRule
from core.comments.models import Comment

VALUES = (None, "spam", "off topic", "other")
CONDITIONS = (
    Comment.hidden_reason.is_(None),
    Comment.hidden_reason.is_not(None),
    *(Comment.hidden_reason == v for v in VALUES[1:]),
    *(Comment.hidden_reason != v for v in VALUES[1:]),
    Comment.hidden_reason.in_(["spam"]),
    Comment.hidden_reason.in_(["spam", "off topic"]),
    Comment.hidden_reason.not_in(["spam"]),
    Comment.hidden_reason.not_in(["spam", "off topic"]),
)


def test_every_accepted_condition_reads_the_same_in_python_and_in_sql(empty_db: str) -> None:
    cases = [
        (FieldRule("Comment", "body", STAFF, public=condition), value)
        for condition, value in product(CONDITIONS, VALUES)
    ]

    async def in_sql() -> list[bool]:
        engine = create_async_engine(empty_db)
        try:
            async with engine.connect() as conn:
                answers = []
                for rule, value in cases:
                    holds = rule.public_on(literal(value, Comment.hidden_reason.type))
                    stmt = select(case((holds, true()), else_=False))
                    answers.append(bool((await conn.execute(stmt)).scalar_one()))
                return answers
        finally:
            await engine.dispose()

    in_python = [rule.is_public(SimpleNamespace(hidden_reason=value)) for rule, value in cases]
    assert in_python == asyncio.run(in_sql())
    assert any(in_python) and not all(in_python)


@pytest.mark.parametrize(
    "condition",
    [
        Comment.illustrative.is_(True),  # IS TRUE: a value, not NULL
        Comment.illustrative.is_not(True),
        Comment.illustrative == true(),  # a SQL constant, not a bound value
        Comment.hidden_reason.not_in([]),  # an empty NOT IN (true in SQL, even for NULL)
        Comment.hidden_reason.in_(["spam", None]),  # NULL in a list: three-valued in SQL only
        Comment.hidden_reason.like("%spam%"),
        Comment.hidden_reason == Comment.body,
    ],
    ids=str,
)
def test_a_condition_the_paths_could_read_differently_is_refused(condition: Any) -> None:
    with pytest.raises(TypeError, match="public must compare one column"):
        FieldRule("Comment", "body", STAFF, public=condition)
