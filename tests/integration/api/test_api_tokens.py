"""Who may call: only a live token from the auth gateway; logging out ends it."""

from datetime import timedelta

import jwt

from learn_app.models import AuthSession
from learn_app.models.base import utcnow
from learn_app.services.accounts import tokens


def test_without_a_token_the_caller_is_asked_to_sign_in(client):
    response = client.get("/api/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "Please sign in.", "field": None}
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_garbage_token_is_refused(client):
    response = client.get("/api/me", headers={"Authorization": "Bearer not.a.token"})

    assert response.status_code == 401
    assert response.json()["detail"] == "Please sign in."


def test_a_non_bearer_authorization_is_refused(client, learner):
    response = client.get("/api/me", headers={"Authorization": f"Basic {learner.token}"})

    assert response.status_code == 401


def test_a_token_signed_with_another_key_is_refused(client, learner):
    claims = jwt.decode(learner.token, options={"verify_signature": False})
    forged = jwt.encode(claims, "a key the attacker chose" * 2, algorithm="HS256")

    response = client.get("/api/me", headers={"Authorization": f"Bearer {forged}"})

    assert response.status_code == 401


def test_an_unsigned_token_is_refused(client, learner):
    claims = jwt.decode(learner.token, options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")

    response = client.get("/api/me", headers={"Authorization": f"Bearer {unsigned}"})

    assert response.status_code == 401


def test_a_token_past_its_expiry_time_is_refused(client, learner, session):
    live = session.get(
        AuthSession, jwt.decode(learner.token, options={"verify_signature": False})["jti"]
    )
    issued = utcnow() - timedelta(days=8)
    expired = tokens.issue(learner.id, live.id, issued, issued + timedelta(days=7))

    response = client.get("/api/me", headers={"Authorization": f"Bearer {expired}"})

    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has expired. Please sign in again."


def test_a_token_whose_session_has_expired_is_refused(client, learner, session):
    jti = jwt.decode(learner.token, options={"verify_signature": False})["jti"]
    live = session.get(AuthSession, jti)
    live.expires_at = utcnow() - timedelta(seconds=1)
    session.add(live)
    session.commit()

    response = client.get("/api/me", headers=learner.headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has ended. Please sign in again."


def test_logging_out_answers_no_content(client, learner):
    response = client.post("/api/auth/logout", headers=learner.headers)

    assert response.status_code == 204
    assert response.content == b""


def test_a_token_stops_working_after_logging_out(client, learner):
    client.post("/api/auth/logout", headers=learner.headers)

    response = client.get("/api/me", headers=learner.headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has ended. Please sign in again."


def test_logging_out_ends_only_that_device(client, learner, new_token):
    other_device = {"Authorization": f"Bearer {new_token(learner.email)}"}

    client.post("/api/auth/logout", headers=learner.headers)

    assert client.get("/api/me", headers=other_device).status_code == 200


def test_logging_out_twice_is_not_an_error(client, learner):
    client.post("/api/auth/logout", headers=learner.headers)

    assert client.post("/api/auth/logout", headers=learner.headers).status_code == 204
