"""Headers every page of the portal's frontend is served with.

- `Content-Security-Policy`: no other site may frame the portal (`frame-ancestors 'none'`), and
  images load only from the portal itself (or inline `data:`/`blob:` ones, as charts make):
  a lesson or a model's answer written in Markdown cannot plant an image that reports a
  learner's visit to another host. No plugins (`object-src 'none'`), no foreign `<base>`.
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (addresses, which can hold
  a question, are not sent to other sites), `X-Frame-Options: DENY` for older browsers.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "frame-ancestors 'none'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'"
)
HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """Adds `HEADERS` to every HTTP response of the wrapped app (replacing any it set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*kept, *HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
