"""Findings of the security review that the API answers: each would fail without its fix.

- Re-enabling a disabled account must not revive the sign-ins it had.
- A lone surrogate in JSON is a 422 naming the field, not a 500, and leaves no audit trace.
- Names shown to others cannot hide right-to-left overrides or invisible characters.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from learn_app.models import AuditEvent, User

SURROGATE_BODY = '{"display_name": "A\\ud800B"}'


def test_disabling_an_account_signs_it_out_for_good(client, admin, learner, new_token):
    def set_active(active: bool) -> None:
        response = client.patch(
            f"/api/admin/users/{learner.id}", json={"is_active": active}, headers=admin.headers
        )
        assert response.status_code == 200, response.text

    set_active(False)
    assert client.get("/api/me", headers=learner.headers).status_code == 401
    set_active(True)

    assert client.get("/api/me", headers=learner.headers).status_code == 401
    fresh = {"Authorization": f"Bearer {new_token(learner.email)}"}
    assert client.get("/api/me", headers=fresh).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", "/api/me", '{"display_name": "A\\ud800B"}', "display_name"),
        ("POST", "/api/tutor/ask", '{"question": "What is \\udfff?"}', "question"),
        ("POST", "/api/writing/submissions", '{"text": "x\\ud800", "word_ids": [1]}', "text"),
    ],
)
def test_a_lone_surrogate_is_a_422_naming_the_field(client, learner, method, path, body, field):
    response = client.request(
        method,
        path,
        content=body.encode(),
        headers={**learner.headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text
    assert "not valid Unicode" in response.json()["detail"]
    if field is not None:
        assert response.json()["field"] == field


def test_a_refused_change_leaves_no_audit_row_and_the_name_unchanged(client, learner, session):
    response = client.patch(
        "/api/me",
        content=SURROGATE_BODY.encode(),
        headers={**learner.headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    events = session.exec(select(AuditEvent.event).where(AuditEvent.user_id == learner.id)).all()
    assert "user.profile_updated" not in events
    assert client.get("/api/me", headers=learner.headers).json()["display_name"] == "Lena Learner"


@pytest.mark.parametrize(
    "hidden",
    ["\u202e", "\u200b", "\ufeff", "\u2066", "\ue000"],
    ids=["rtl-override", "zero-width-space", "bom", "isolate", "private-use"],
)
def test_display_names_refuse_invisible_and_reordering_characters(client, learner, hidden):
    response = client.patch(
        "/api/me", json={"display_name": f"Lena{hidden}Admin"}, headers=learner.headers
    )

    assert response.status_code == 422
    assert response.json()["field"] == "display_name"
    assert "invisible" in response.json()["detail"]


def test_display_names_are_stored_composed(client, learner, session):
    response = client.patch(
        "/api/me", json={"display_name": "Jose\u0301 Pe\u0301rez"}, headers=learner.headers
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "José Pérez"
    stored = session.exec(select(User.display_name).where(User.id == learner.id)).one()
    assert stored == "José Pérez" and len(stored) == 10
