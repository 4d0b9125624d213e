"""Stop a request's work when its client goes away: a write whose client is gone rolls back.

An ASGI server (uvicorn) keeps running the application after its client has disconnected; only
the request's `receive` says so, and only to whoever is waiting on it. `CancelOnDisconnect` is
that reader: it hands the request body on to the application as the application asks for it,
then keeps listening. An `http.disconnect` before the response is complete cancels the
application, and with it every task of the request: a transaction still open rolls back
(`Database.write()` commits only when its block completes; SQLAlchemy drops a connection whose
statement was interrupted), and a statement waiting for a lock stops waiting.

Once the response's last byte has been handed to the server, nothing is cancelled any more: the
result was committed and sent, whether or not the client reads it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import anyio

Message = dict[str, Any]
DISCONNECT: Message = {"type": "http.disconnect"}


class CancelOnDisconnect:
    """ASGI middleware: cancel the HTTP request at `path` when its client disconnects."""

    def __init__(self, app: Any, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        to_app, from_listener = anyio.create_memory_object_stream[Message](1)
        disconnected = anyio.Event()
        responded = False

        async def app_receive() -> Message:
            try:
                return await from_listener.receive()
            except anyio.EndOfStream:  # the whole body was read: the next event is the end
                await disconnected.wait()
                return DISCONNECT

        async def app_send(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                responded = True  # from here on, the request has done its work
            await send(message)

        async def listen(cancel: anyio.CancelScope) -> None:
            async with to_app:
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        break
                    await to_app.send(message)
                    if not message.get("more_body", False):
                        message = await receive()  # waits until the client leaves (or is answered)
                        break
            disconnected.set()
            if message["type"] == "http.disconnect" and not responded:
                cancel.cancel()

        # A scope rather than a task group: the application's own exceptions pass unwrapped.
        cancel = anyio.CancelScope()
        listener = asyncio.create_task(listen(cancel))
        try:
            with cancel:
                await self.app(scope, app_receive, app_send)
        finally:
            listener.cancel()  # answered (or failed): stop listening
            await asyncio.wait([listener])
