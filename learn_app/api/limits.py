"""A cap on request bodies under /api, so an oversized body is refused before it is read.

FastAPI's own `max_body_size` would do the counting, but when a request declares too large a
Content-Length it answers in plain text, past our exception handlers; this answers in the API's
JSON shape either way. Reflex's upload route gets its own cap (`learn_app.learn_app`).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learn_app.api.errors import TOO_LARGE, problem


class BodySizeLimit:
    """`max_bytes` for every request under `prefix`; `upload_max_bytes` under `upload_prefix`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        prefix: str,
        upload_prefix: str | None = None,
        upload_max_bytes: int = 0,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.upload_prefix = upload_prefix
        self.upload_max_bytes = upload_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (
            path == self.prefix or path.startswith(self.prefix + "/")
        ):
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        if self.upload_prefix and (
            path == self.upload_prefix or path.startswith(self.upload_prefix + "/")
        ):
            limit = self.upload_max_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await problem(413, TOO_LARGE)(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            # A body sent without Content-Length (chunked) is counted as it arrives.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(413, TOO_LARGE)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watched_send)
        except BodyTooLarge:
            # Inside the API its exception handlers answer first; an app without them (Reflex's
            # upload route) gets the same answer here, if it has not begun one of its own.
            if started:
                raise
            await problem(413, TOO_LARGE)(scope, receive, send)


class BodyTooLarge(HTTPException):
    """The body grew past the cap while it was being read."""


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
