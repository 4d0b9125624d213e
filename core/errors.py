"""The one error convention: `userErrors` for expected failures, `extensions.code` for the rest."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLFormattedError
from strawberry.schema.exceptions import InvalidOperationTypeError


@strawberry.type(description="An expected failure of a mutation: fix the input and try again.")
class UserError:
    code: str = strawberry.field(description="Machine-readable, SCREAMING_SNAKE_CASE.")
    message: str
    field: list[str] | None = strawberry.field(
        default=None, description="Path to the input field at fault, if one is."
    )


def user_error(code: str, message: str, *field: str) -> UserError:
    return UserError(code=code, message=message, field=["input", *field] if field else None)


class Rejected(Exception):
    """Raised inside a mutation's transaction to roll it back and report user errors."""

    def __init__(self, *errors: UserError) -> None:
        super().__init__(errors[0].message if errors else "rejected")
        self.errors = list(errors)


def api_error(code: str, message: str, **extensions: Any) -> GraphQLError:
    """A GraphQL error for queries (bad arguments, limits), carrying `extensions.code`."""
    return GraphQLError(message, extensions={"code": code, **extensions})


def classify(error: GraphQLError, *, debug: bool) -> GraphQLFormattedError:
    """Give every error a code; hide internal details unless debugging."""
    formatted = error.formatted
    extensions = dict(formatted.get("extensions") or {})
    original = error.original_error
    if "code" not in extensions:
        message = error.message
        if isinstance(original, InvalidOperationTypeError):
            extensions["code"] = "BAD_REQUEST"  # e.g. a query sent over WebSocket
        elif (original is not None and not isinstance(original, GraphQLError)) or error.path:
            # A located error without a code failed while completing the response: a resolver
            # raised, or the server's own data did not fit the schema (an Int outside 32 bits,
            # an unknown enum value, NaN). Either way the client is not at fault.
            extensions["code"] = "INTERNAL_SERVER_ERROR"
            if not debug:
                formatted["message"] = "Internal server error"
        elif message.startswith("Syntax Error"):
            extensions["code"] = "GRAPHQL_PARSE_FAILED"
        elif "does not exist in '" in message and "enum" in message:
            extensions["code"] = "INVALID_ENUM_VALUE"
        elif message.startswith("Variable '$"):
            extensions["code"] = "BAD_USER_INPUT"
        else:
            extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
    formatted["extensions"] = extensions
    return formatted
