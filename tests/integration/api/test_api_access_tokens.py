"""Personal access tokens: made with a sign-in, shown once, stored hashed, held to their scope,
and refused once expired, revoked, or their account disabled."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy
from sqlmodel import SQLModel, select

from learn_app.models import AccessToken, AuditEvent
from learn_app.models.base import utcnow
from learn_app.services.accounts import auth
from learn_app.services.errors import NotAuthenticated


@pytest.fixture
def make_token(client):
    """Make a token as `account` (signed in); returns the creation answer's JSON."""

    def make(account, scope="read", name="My script", **body):
        response = client.post(
            "/api/me/tokens",
            json={"name": name, "scope": scope, **body},
            headers=account.headers,
        )
        assert response.status_code == 201, response.text
        return response.json()

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_is_shown_once_and_listed_without_its_secret(client, learner, make_token):
    made = make_token(learner, name="Anki sync")

    assert made["token"].startswith("lp_") and len(made["token"]) >= 40
    assert made["scope"] == "read"
    assert made["hint"] == made["token"][-4:]
    lifetime = _parse(made["expires_at"]) - _parse(made["created_at"])
    assert lifetime == timedelta(days=90)  # the default
    listed = client.get("/api/me/tokens", headers=learner.headers).json()
    assert [(t["id"], t["name"]) for t in listed] == [(made["id"], "Anki sync")]
    assert "token" not in listed[0]
    assert made["token"] not in client.get("/api/me/tokens", headers=learner.headers).text


def test_only_a_hash_of_the_secret_is_stored_anywhere(client, learner, make_token, session):
    made = make_token(learner)
    client.get("/api/me", headers=bearer(made["token"]))  # used once: last_used_at, audit

    stored = session.exec(select(AccessToken)).one()
    assert stored.secret_hash == hashlib.sha256(made["token"].encode()).hexdigest()
    for table in SQLModel.metadata.sorted_tables:
        found = session.exec(  # type: ignore[call-overload]
            sqlalchemy.text(
                f'SELECT count(*) FROM "{table.name}" t WHERE row_to_json(t)::text LIKE :secret'
            ).bindparams(secret=f"%{made['token'][3:]}%")
        ).scalar()
        assert found == 0, f"the secret is stored in {table.name}"


def test_a_read_token_reads_and_is_refused_any_change(client, learner, make_token, content):
    secret = make_token(learner, scope="read")["token"]

    me = client.get("/api/me", headers=bearer(secret))
    words = client.get("/api/words", headers=bearer(secret))
    start = client.post(
        "/api/study_activities",
        json={"group_id": content.groups["animals"], "study_activity_id": 1},
        headers=bearer(secret),
    )
    rename = client.patch("/api/me", json={"display_name": "Hacked"}, headers=bearer(secret))

    assert me.status_code == 200 and me.json()["email"] == learner.email
    assert words.status_code == 200 and words.json()["items"]
    assert start.status_code == 403
    assert "read scope" in start.json()["detail"]
    assert rename.status_code == 403
    assert client.get("/api/me", headers=learner.headers).json()["display_name"] == "Lena Learner"


def test_a_study_token_starts_sessions_and_answers(
    client, learner, make_token, content, activity_ids
):
    secret = make_token(learner, scope="study")["token"]

    started = client.post(
        "/api/study_activities",
        json={
            "group_id": content.groups["animals"],
            "study_activity_id": activity_ids["flashcards"],
        },
        headers=bearer(secret),
    )
    assert started.status_code == 201, started.text
    session_id = started.json()["id"]
    answered = client.post(
        f"/api/study_sessions/{session_id}/words/{content.words['猫']}/review",
        json={"correct": True},
        headers=bearer(secret),
    )
    ended = client.post(f"/api/study_sessions/{session_id}/end", headers=bearer(secret))

    assert answered.status_code in (200, 201), answered.text
    assert ended.status_code == 200, ended.text
    stats = client.get("/api/me/stats", headers=learner.headers).json()
    assert stats["total_reviews"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/me", {"display_name": "Someone else"}),
        ("POST", "/api/me/password", {"current_password": "x", "new_password": "y" * 12}),
        ("DELETE", "/api/me", {"password": "correct horse battery"}),
        ("POST", "/api/me/sessions/revoke-others", None),
        ("POST", "/api/full_reset", None),
        ("POST", "/api/tutor/ask", {"question": "What is neko?"}),
    ],
)
def test_a_study_token_never_changes_the_account_or_deletes_history(
    client, learner, make_token, method, path, body
):
    secret = make_token(learner, scope="study")["token"]

    response = client.request(method, path, json=body, headers=bearer(secret))

    assert response.status_code == 403, response.text
    assert "study scope" in response.json()["detail"]
    assert client.get("/api/me", headers=learner.headers).status_code == 200


def test_an_admins_token_cannot_change_roles(client, admin, learner, make_token):
    secret = make_token(admin, scope="study")["token"]

    response = client.patch(
        f"/api/admin/users/{learner.id}", json={"role": "admin"}, headers=bearer(secret)
    )
    listing = client.get("/api/admin/users", headers=bearer(secret))

    assert response.status_code == 403
    assert listing.status_code == 200  # reading is what a token may do
    assert client.get("/api/me", headers=learner.headers).json()["role"] == "learner"


def test_tokens_are_made_listed_and_revoked_only_with_a_sign_in(client, learner, make_token):
    made = make_token(learner, scope="study")
    secret = made["token"]

    more = client.post(
        "/api/me/tokens", json={"name": "another", "scope": "read"}, headers=bearer(secret)
    )
    listing = client.get("/api/me/tokens", headers=bearer(secret))
    revoke = client.delete(f"/api/me/tokens/{made['id']}", headers=bearer(secret))

    assert more.status_code == listing.status_code == revoke.status_code == 403
    assert "sign-in with your password" in more.json()["detail"]
    assert len(client.get("/api/me/tokens", headers=learner.headers).json()) == 1


def test_an_expired_token_is_refused(client, learner, make_token, session):
    made = make_token(learner)
    stored = session.get(AccessToken, made["id"])
    stored.expires_at = utcnow() - timedelta(seconds=1)
    session.add(stored)
    session.commit()

    response = client.get("/api/me", headers=bearer(made["token"]))

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert client.get("/api/me/tokens", headers=learner.headers).json() == []


def test_a_revoked_token_is_refused_at_once_and_revocation_is_audited(
    client, learner, make_token, session
):
    made = make_token(learner)
    assert client.get("/api/me", headers=bearer(made["token"])).status_code == 200

    revoked = client.delete(f"/api/me/tokens/{made['id']}", headers=learner.headers)
    again = client.get("/api/me", headers=bearer(made["token"]))

    assert revoked.status_code == 204
    assert again.status_code == 401 and "revoked" in again.json()["detail"]
    events = session.exec(select(AuditEvent.event).where(AuditEvent.user_id == learner.id)).all()
    assert "token.created" in events and "token.revoked" in events


def test_nobody_revokes_someone_elses_token(client, learner, new_account, make_token):
    made = make_token(learner)
    other = new_account(display_name="Otto Other")

    response = client.delete(f"/api/me/tokens/{made['id']}", headers=other.headers)

    assert response.status_code == 404
    assert client.get("/api/me", headers=bearer(made["token"])).status_code == 200


def test_disabling_the_account_ends_its_tokens_for_good(client, admin, learner, make_token):
    secret = make_token(learner)["token"]

    client.patch(f"/api/admin/users/{learner.id}", json={"is_active": False}, headers=admin.headers)
    while_disabled = client.get("/api/me", headers=bearer(secret))
    client.patch(f"/api/admin/users/{learner.id}", json={"is_active": True}, headers=admin.headers)
    after = client.get("/api/me", headers=bearer(secret))

    assert while_disabled.status_code == after.status_code == 401


def test_the_last_use_is_listed(client, learner, make_token):
    made = make_token(learner)
    assert made["last_used_at"] is None

    client.get("/api/me/stats", headers=bearer(made["token"]))

    listed = client.get("/api/me/tokens", headers=learner.headers).json()[0]
    assert listed["last_used_at"] is not None
    assert _parse(listed["last_used_at"]) >= _parse(made["created_at"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "scope": "read", "expires_in_days": 45}, "expires_in_days"),
        ({"name": "   ", "scope": "read"}, "name"),
        ({"name": "a\u202eb", "scope": "read"}, "name"),
    ],
)
def test_a_token_with_a_bad_field_is_refused_by_name(client, learner, body, field):
    response = client.post("/api/me/tokens", json=body, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert client.get("/api/me/tokens", headers=learner.headers).json() == []


def test_a_token_never_opens_the_pages_sign_in(client, learner, make_token, session):
    """The pages authenticate with the sign-in gateway, which knows no access tokens."""
    secret = make_token(learner, scope="study")["token"]

    with pytest.raises(NotAuthenticated):
        auth.authenticate(session, secret)


def test_an_unknown_token_is_refused(client):
    response = client.get("/api/me", headers=bearer("lp_" + "A" * 43))

    assert response.status_code == 401


def _parse(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)


def test_a_read_token_fetches_the_learners_own_recording(
    client, learner, make_token, content, session
):
    from learn_app.models import PronunciationAttempt

    attempt = PronunciationAttempt(
        user_id=learner.id,
        word_id=content.words["猫"],
        part="term",
        language="ja",
        target_text="猫",
        score=90,
        pass_score=70,
        rating="good",
        audio=b"RIFF the recording",
        audio_seconds=1.0,
        scoring_ms=10,
    )
    session.add(attempt)
    session.commit()
    secret = make_token(learner)["token"]

    response = client.get(f"/api/speaking/attempts/{attempt.id}/audio", headers=bearer(secret))

    assert response.status_code == 200
    assert response.content == b"RIFF the recording"


def test_every_request_a_study_token_may_make_is_an_endpoint_of_the_api():
    """A renamed endpoint would silently leave study tokens without it."""
    from learn_app.api.app import api_app
    from learn_app.api.token_scopes import STUDY_ENDPOINTS

    paths = api_app.openapi()["paths"]

    for method, path in STUDY_ENDPOINTS:
        assert method.lower() in paths.get(path, {}), f"{method} {path} is not in the API"


def test_the_data_export_lists_the_tokens_without_their_hash(client, learner, make_token):
    made = make_token(learner, name="Nightly export")

    data = client.get("/api/me/export", headers=learner.headers).json()

    assert [(t["id"], t["name"], t["scope"]) for t in data["api_tokens"]] == [
        (made["id"], "Nightly export", "read")
    ]
    assert "secret_hash" not in data["api_tokens"][0]
