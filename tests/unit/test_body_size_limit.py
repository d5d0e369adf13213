"""A body without Content-Length is counted as it arrives: past the cap the answer is the 413
problem, also in front of an app with no exception handlers of its own (Reflex's uploads)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from learn_app.api.limits import BodySizeLimit

CAP = 100_000


async def _read_everything(request: Request) -> PlainTextResponse:
    body = await request.body()
    return PlainTextResponse(f"read {len(body)} bytes")


def _post(chunks: AsyncIterator[bytes]) -> httpx.Response:
    inner = Starlette(routes=[Route("/_upload", _read_everything, methods=["POST"])])
    app = BodySizeLimit(inner, max_bytes=CAP, prefix="/_upload")

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://backend") as client:
            return await client.post("/_upload", content=chunks)

    return asyncio.run(send())


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 10_000):
        yield b"x" * 10_000


def test_a_chunked_body_past_the_cap_gets_413():
    response = _post(_chunks(CAP + 20_000))

    assert response.status_code == 413
    assert "too large" in response.text


def test_a_chunked_body_within_the_cap_is_read_whole():
    response = _post(_chunks(CAP - 10_000))

    assert response.status_code == 200
    assert response.text == f"read {CAP - 10_000} bytes"
