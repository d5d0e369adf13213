"""What the backend refuses before any page is involved: an upload larger than any page takes
(Reflex's upload route answers anyone with a client token), and credentials from any origin but
the portal's own frontend (CORS)."""

from __future__ import annotations

import httpx
from reflex.config import get_config

from learn_app.api.app import MAX_IMPORT_BODY_BYTES


def test_an_oversized_upload_is_refused_before_it_is_read(app_url: str) -> None:
    backend = get_config().api_url.rstrip("/")
    body = b"x" * (MAX_IMPORT_BODY_BYTES + 1)

    response = httpx.post(
        f"{backend}/_upload",
        content=body,
        headers={
            "Content-Type": "multipart/form-data; boundary=x",
            "Reflex-Client-Token": "made-up-token",
            "Reflex-Event-Handler": "state.content_import_state.upload",
        },
        timeout=30,
    )

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_the_backend_answers_its_own_frontend_and_no_other_origin(app_url: str) -> None:
    backend = get_config().api_url.rstrip("/")
    preflight = {"Access-Control-Request-Method": "GET"}

    own = httpx.options(f"{backend}/api/me", headers={"Origin": app_url, **preflight})
    other = httpx.options(
        f"{backend}/api/me", headers={"Origin": "https://evil.example", **preflight}
    )

    assert own.headers.get("access-control-allow-origin") == app_url
    assert own.headers.get("access-control-allow-credentials") == "true"
    assert "access-control-allow-origin" not in other.headers
