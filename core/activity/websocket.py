"""GraphQL subscriptions over WebSocket on /graphql: the graphql-transport-ws protocol.

The view (`core.app.GraphQLApp`) takes `SubscriptionsView` in: Strawberry's own protocol
handler, with what this service adds to it:

- authentication at `connection_init`: its payload's `authorization` ("Bearer <token>", the
  same tokens and checks as HTTP's header: core/auth/) sets the connection's viewer; no
  `authorization`: the viewer of the upgrade request's own header, anonymous without one. A
  token that is refused closes the socket with 4403 Forbidden, as the protocol says for a
  rejected `connection_init`; `subscribe` before `connection_ack` closes it with 4401
  Unauthorized, and no `connection_init` within CONNECTION_INIT_TIMEOUT with 4408;
- every `subscribe` goes through the schema's own pipeline, as an HTTP request does (the
  limits of core.limits, validation, then the cost before execution): a document refused on
  the way is answered with an `error` message carrying the refusal's `extensions.code`
  (QUERY_TOO_LONG, TOO_MANY_TOKENS, QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_DIRECTIVES,
  GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COSTLY, INVALID_ARGUMENT...), never a bare `complete`;
  a syntax error closes the socket with 4400 and the parser's message, as Strawberry's
  handler does;
- subscriptions only: a query or mutation within the limits is answered with an `error`
  message, BAD_REQUEST (they go through HTTP, with its audit and idempotency);
- at most MAX_SUBSCRIPTIONS_PER_CONNECTION at once: past that, an `error` message,
  TOO_MANY_SUBSCRIPTIONS;
- rate limits (core.ratelimit): each `subscribe` costs a query's points; one that does not fit
  is answered with an `error` message, RATE_LIMITED with `retryAfter`, and is not run;
- errors formatted with the HTTP path's rules, in `next` and `error` messages alike
  (`core.errors.classify`: a code on each, nothing internal shown; an internal error carries
  `extensions.correlationId`, the connection's request ID, which its log line has; with
  `production`, no "Did you mean ...?" suggestions);
- `ogp_wg_subscriptions_open` counts the subscriptions being served (core/observability).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from cross_web import HTTPException
from graphql import GraphQLError
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET
from strawberry.utils.aio import aclosing

from core.activity.bus import Bus
from core.auth.middleware import Unauthenticated, viewer_of
from core.auth.oidc import KeysUnavailable
from core.context import Context
from core.errors import api_error, classify
from core.limits import hide_suggestions
from core.observability.logs import current_request_id
from core.ratelimit import SCOPE_KEY, Charges, rate_limited

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema

    from core.auth.middleware import Authentication
    from core.context import AppState

log = logging.getLogger("ogp_wg")

MAX_SUBSCRIPTIONS_PER_CONNECTION = 20
NO_SUBSCRIPTIONS = (
    "Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql, not over HTTP."
)
CONNECTION_INIT_TIMEOUT = timedelta(seconds=10)
ONLY_SUBSCRIPTIONS = (
    "Only subscriptions are served over WebSocket; send queries and mutations with HTTP POST "
    "to /graphql."
)


VIEW_OPTIONS: dict[str, Any] = {
    "subscription_protocols": (GRAPHQL_TRANSPORT_WS_PROTOCOL,),  # not the legacy graphql-ws
    "max_subscriptions_per_connection": MAX_SUBSCRIPTIONS_PER_CONNECTION,
    "connection_init_wait_timeout": CONNECTION_INIT_TIMEOUT,
}
"""Keyword arguments of Strawberry's view for the WebSocket side (with `allowed_origins`: the
pages of other origins that may connect, the CORS origins)."""


@dataclass
class SubscriptionContext(Context):
    """A WebSocket connection's context: one per connection, shared by its subscriptions."""

    connection_params: dict[str, Any] = field(default_factory=dict)
    """The `connection_init` payload (Strawberry sets it)."""
    bus: Bus | None = None
    subscriptions_gauge: Any = None


class TransportHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """Strawberry's graphql-transport-ws handler with this service's rules (the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = cast("BaseSchema", _SubscriptionsPipeline(self.schema))

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and message.get("id") not in self.operations:
            refusal = await self._refusal(message)
            if refusal is not None:
                await self.send_message(
                    {"id": message.get("id"), "type": "error", "payload": [refusal.formatted]}
                )
                return
        await super().handle_subscribe(message)

    async def _refusal(self, message: Any) -> GraphQLError | None:
        """Too many subscriptions on this connection, or no points left (in that order: a
        refused one is not charged)."""
        limit = self.max_subscriptions_per_connection
        if limit is not None and len(self.operations) >= limit:
            return api_error(
                "TOO_MANY_SUBSCRIPTIONS",
                f"Subscription limit reached: at most {limit} at once on a connection.",
                limit=limit,
            )
        request = getattr(self.context, "request", None)
        charges = request.scope.get(SCOPE_KEY) if request is not None else None
        if isinstance(charges, Charges):
            params = getattr(self.context, "connection_params", None) or {}
            authorization = params.get("authorization", params.get("Authorization"))
            token = authorization if isinstance(authorization, str) else None
            retry_after = await charges.message(token)
            if retry_after is not None:
                return rate_limited(retry_after)
        return None

    async def send_message(self, message: Any) -> None:
        kind = message.get("type")
        if kind == "next" and message["payload"].get("errors"):
            payload = message["payload"]
            message = {
                **message,
                "payload": {**payload, "errors": self._present(payload["errors"])},
            }
        elif kind == "error":
            message = {**message, "payload": self._present(message["payload"])}
        await super().send_message(message)

    def _present(self, errors: list[Any]) -> list[Any]:
        """Formatted errors as the HTTP path presents them (core.app's process_result)."""
        debug = getattr(self.view, "debug", False)
        production = getattr(self.view, "production", False)
        presented: list[Any] = []
        for formatted in errors:
            error = GraphQLError(
                formatted["message"],
                path=formatted.get("path"),
                extensions=formatted.get("extensions"),
            )
            done = classify(error, debug=debug)
            if formatted.get("locations"):
                done["locations"] = formatted["locations"]
            if production:
                done["message"] = hide_suggestions(done["message"])
            if done["extensions"]["code"] == "INTERNAL_SERVER_ERROR":
                done["extensions"]["correlationId"] = current_request_id()
            presented.append(done)
        return presented


class _SubscriptionsPipeline:
    """The schema as the handler sees it: `stream` runs every document through the schema's
    own pipeline (the same extensions as HTTP: limits, validation, cost) allowing only
    subscriptions, and turns what refuses a document before it runs into the first result's
    errors, so that the handler answers them with an `error` message."""

    def __init__(self, schema: BaseSchema) -> None:
        self.schema = schema

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Any = None,
    ) -> AsyncGenerator[Any, None]:
        source = await self.schema.stream(
            query,
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_name=operation_name,
            operation_extensions=operation_extensions,
            allowed_operation_types=(OperationType.SUBSCRIPTION,),
        )
        return _refusals_as_errors(source)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.schema, name)


async def _refusals_as_errors(source: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    """`source`'s results; before the first, a refusal (an extension's GraphQLError, e.g. a
    limit; a query or mutation; a request-level error such as QUERY_TOO_COSTLY) becomes a
    PreExecutionError, which the handler sends as an `error` message."""
    first = True
    try:
        async with aclosing(source):
            async for result in source:
                if first:
                    result = _pre_execution(result)
                first = False
                yield result
    except Exception as exc:
        if not first:
            raise
        if isinstance(exc, GraphQLError):
            error = exc
        else:  # a bug: logged with the connection's request ID, masked for the client
            log.error("subscription refused by an internal error", exc_info=exc)
            error = api_error("INTERNAL_SERVER_ERROR", "Internal server error")
        yield PreExecutionError(data=None, errors=[error])


def _pre_execution(result: Any) -> Any:
    if not isinstance(result, ExecutionResult) or not result.errors:
        return result
    if isinstance(result.errors[0].original_error, InvalidOperationTypeError):
        return PreExecutionError(data=None, errors=[api_error("BAD_REQUEST", ONLY_SUBSCRIPTIONS)])
    if result.data is None and all(error.path is None for error in result.errors):
        return PreExecutionError(data=None, errors=result.errors, extensions=result.extensions)
    return result


class SubscriptionsView:
    """What `core.app.GraphQLApp` adds to Strawberry's view for WebSocket connections: built
    with `**VIEW_OPTIONS`; set `bus`, `authentication` and `subscriptions_gauge` before
    serving."""

    graphql_transport_ws_handler_class: type[BaseGraphQLTransportWSHandler[Any, Any]] = (
        TransportHandler
    )
    bus: Bus
    authentication: Authentication
    subscriptions_gauge: Any = None

    def subscription_context(self, state: AppState, request: Any, response: Any) -> Context:
        return SubscriptionContext(
            app=state,
            request=request,
            response=response,
            viewer=viewer_of(request),
            bus=self.bus,
            subscriptions_gauge=self.subscriptions_gauge,
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        """Strawberry's, without subscriptions over HTTP (it would run one as a query, and its
        field would be null): 400 BAD_REQUEST naming the WebSocket endpoint instead."""
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(  # type: ignore[attr-defined,no-any-return]
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except InvalidOperationTypeError as exc:
            if exc.operation_type == OperationType.SUBSCRIPTION:
                raise HTTPException(400, NO_SUBSCRIPTIONS) from None
            raise HTTPException(400, exc.as_http_error_reason(request_adapter.method)) from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "No GraphQL query found in the request") from exc

    async def on_ws_connect(self, context: Any) -> Any:
        """`connection_init`: the viewer from its `authorization`; ConnectionRejectionError
        (close 4403) for credentials that are refused."""
        params = context.connection_params
        value = params.get("authorization", params.get("Authorization"))
        if value is None:
            return UNSET
        if not isinstance(value, str):
            raise ConnectionRejectionError({"message": "`authorization` must be a string"})
        try:
            context.viewer = await self.authentication.authenticate([value.encode()])
        except (Unauthenticated, KeysUnavailable, UnicodeEncodeError) as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from None
        return UNSET
