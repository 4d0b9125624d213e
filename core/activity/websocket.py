"""GraphQL subscriptions over WebSocket on /graphql: the graphql-transport-ws protocol.

The view (`core.app.GraphQLApp`) takes `SubscriptionsView` in: Strawberry's own protocol
handler, with what this service adds to it:

- authentication at `connection_init`: its payload's `authorization` ("Bearer <token>", the
  same tokens and checks as HTTP's header: core/auth/) sets the connection's viewer; no
  `authorization`: the viewer of the upgrade request's own header, anonymous without one. A
  token that is refused closes the socket with 4403 Forbidden, as the protocol says for a
  rejected `connection_init`; `subscribe` before `connection_ack` closes it with 4401
  Unauthorized, and no `connection_init` within CONNECTION_INIT_TIMEOUT with 4408;
- subscriptions only: a query or mutation sent over the socket is answered with an `error`
  message (they go through HTTP, with its limits, audit and idempotency);
- at most MAX_SUBSCRIPTIONS_PER_CONNECTION at once: past that, an `error` message;
- errors formatted with the HTTP path's rules (`core.errors.classify`: a code on each, nothing
  internal shown);
- `ogp_wg_subscriptions_open` counts the subscriptions being served (core/observability).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cross_web import HTTPException
from graphql import GraphQLError, get_operation_ast, parse
from graphql import OperationType as DocumentOperation
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from core.activity.bus import Bus
from core.auth.middleware import Unauthenticated, viewer_of
from core.auth.oidc import KeysUnavailable
from core.context import Context
from core.errors import classify

if TYPE_CHECKING:
    from core.auth.middleware import Authentication
    from core.context import AppState

MAX_SUBSCRIPTIONS_PER_CONNECTION = 20
NO_SUBSCRIPTIONS = (
    "Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql, not over HTTP."
)
CONNECTION_INIT_TIMEOUT = timedelta(seconds=10)


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
    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and not _is_subscription(message):
            refusal = GraphQLError(
                "Only subscriptions are served over WebSocket; send queries and mutations "
                "with HTTP POST to /graphql.",
                extensions={"code": "BAD_REQUEST"},
            )
            await self.send_message(
                {"id": message.get("id"), "type": "error", "payload": [refusal.formatted]}
            )
            return
        await super().handle_subscribe(message)

    async def send_message(self, message: Any) -> None:
        debug = getattr(self.view, "debug", False)
        if message.get("type") == "next" and message["payload"].get("errors"):
            payload = message["payload"]
            message = {**message, "payload": {**payload, "errors": _classified(payload, debug)}}
        await super().send_message(message)


def _classified(payload: Any, debug: bool) -> list[Any]:
    errors = []
    for formatted in payload["errors"]:
        error = GraphQLError(
            formatted["message"],
            path=formatted.get("path"),
            extensions=formatted.get("extensions"),
        )
        errors.append(classify(error, debug=debug))
    return errors


def _is_subscription(message: Any) -> bool:
    """A `subscribe` message whose operation is a subscription; anything unreadable is left to
    Strawberry's handler, which answers it as the protocol says."""
    try:
        payload = message["payload"]
        document = parse(payload["query"])
        operation = get_operation_ast(document, payload.get("operationName"))
    except Exception:
        return True
    return operation is None or operation.operation == DocumentOperation.SUBSCRIPTION


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
