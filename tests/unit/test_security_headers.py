"""Every page of the frontend forbids framing and images from other hosts."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from learn_app.ops.security_headers import SecurityHeaders


async def _lesson_page(request) -> HTMLResponse:
    return HTMLResponse(
        '<img src="https://tracker.example/pixel.gif">',
        headers={"Content-Security-Policy": "default-src *", "X-Frame-Options": "ALLOWALL"},
    )


def _get(path: str) -> httpx.Response:
    app = SecurityHeaders(Starlette(routes=[Route("/lessons/1", _lesson_page)]))

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
            return await client.get(path)

    return asyncio.run(fetch())


def test_pages_cannot_be_framed_or_load_images_from_other_hosts():
    response = _get("/lessons/1")

    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "img-src 'self' data: blob:" in policy
    assert "tracker.example" not in policy and "*" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers.get_list("content-security-policy") == [policy]  # replaced, not added


def test_a_missing_page_gets_the_headers_too():
    response = _get("/nowhere")

    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
