"""Stop a request's work when its client goes away: a write whose client is gone rolls back.

An ASGI server (uvicorn) keeps running the application after its client has disconnected; only
the request's `receive` says so, and only to whoever is waiting on it. `CancelOnDisconnect`
waits on it: once the application has read the whole request body, a task listens for the
`http.disconnect` that ends the request. If it comes before the response is complete, the
request's task is cancelled, and with it every task of the request: a transaction still open
rolls back (`Database.write()` commits only when its block completes; SQLAlchemy drops a
connection whose statement was interrupted), and a statement waiting for a lock stops waiting.

Once the response's last byte has been handed to the server, nothing is cancelled any more: the
result was committed and sent, whether or not the client reads it. A request whose body is not
read (GET: queries only) is not watched.
"""

from __future__ import annotations

import asyncio
from typing import Any

Message = dict[str, Any]


class CancelOnDisconnect:
    """ASGI middleware: cancel the HTTP request at `path` when its client disconnects."""

    def __init__(self, app: Any, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        request_task = asyncio.current_task()
        listener: asyncio.Task[None] | None = None
        responded = False
        cancelled = False

        async def listen() -> None:
            nonlocal cancelled
            # The server answers this once the client has gone, or once the response is sent.
            message = await receive()
            if message["type"] == "http.disconnect" and not responded and request_task:
                cancelled = True
                request_task.cancel()

        async def app_receive() -> Message:
            nonlocal listener
            message: Message = await receive()
            if listener is None and (
                message["type"] != "http.request" or not message.get("more_body", False)
            ):
                listener = asyncio.get_running_loop().create_task(listen())
            return message

        async def app_send(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                responded = True  # from here on, the request has done its work
            await send(message)

        try:
            await self.app(scope, app_receive, app_send)
        except asyncio.CancelledError:
            if cancelled and request_task and request_task.uncancel() == 0:
                return  # our own cancellation: the client is gone, there is no one to answer
            raise
        finally:
            if listener is not None:
                listener.cancel()
                listener.add_done_callback(_forget)


def _forget(task: asyncio.Task[None]) -> None:
    """Drop a cancelled listener's CancelledError, which the task would keep: its traceback's
    frames refer to the request (its receive, its task), so kept it would make each request a
    reference cycle that only the cyclic garbage collector frees (issue 12)."""
    if task.cancelled():
        try:
            task.exception()  # raises the task's CancelledError, and the task lets go of it
        except asyncio.CancelledError as error:
            error.__traceback__ = None
