"""Every HTTP request to the backend gets a request id, a JSON log line and a latency sample.

The id comes from the caller's `X-Request-ID` (a proxy's) when it is a sane token, else a new
one; it is bound into the log context, so every line logged while answering carries it, and
returned in the response's `X-Request-ID`.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog

from learn_app.logging import get_logger
from learn_app.ops import metrics

log = get_logger("learn_app.http")
HEADER = b"x-request-id"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Polled constantly; a log line each would drown the rest.
QUIET_PATHS = {"/ping", "/health", "/ready", "/metrics", "/_health"}


def _route_template(scope: dict[str, Any]) -> str:
    """The matched route's path template, whole (an included router's route lacks its prefix)."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    raw = scope.get("path", "")
    if isinstance(template, str) and template:
        static = template.split("{", 1)[0]
        start = raw.find(static) if static else 0
        return raw[:start] + template if start > 0 else template
    return raw if raw in QUIET_PATHS else "other"


class RequestContext:
    """Pure ASGI middleware (websockets pass straight through)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(HEADER, b"").decode("latin-1")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                headers.append((HEADER, request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = _route_template(scope)
                metrics.HTTP_REQUEST_SECONDS.labels(scope["method"], route, str(status)).observe(
                    seconds
                )
                if scope.get("path") not in QUIET_PATHS:
                    log.info(
                        "http.request",
                        method=scope["method"],
                        path=scope.get("path", ""),
                        route=route,
                        status=status,
                        ms=round(seconds * 1000, 1),
                    )
