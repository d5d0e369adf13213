"""POST /api/auth/token: the OAuth2 password flow, the back-off per address and rate limiting."""

import time
from datetime import datetime, timedelta

import httpx
from sqlmodel import select

from learn_app.config import get_settings
from learn_app.models import AuditEvent, AuthSession

WRONG = {"detail": "Wrong email or password.", "field": None}


def test_the_right_password_gets_a_bearer_token_that_works(client, learner, sign_in):
    response = sign_in(learner.email, learner.password)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert datetime.fromisoformat(body["expires_at"]) > datetime.now().astimezone() + timedelta(
        days=1
    )
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["email"] == learner.email


def test_a_token_response_is_not_cached(learner, sign_in):
    response = sign_in(learner.email, learner.password)

    assert response.headers["Cache-Control"] == "no-store"


def test_the_email_is_matched_whatever_its_case(learner, sign_in):
    assert sign_in(learner.email.upper(), learner.password).status_code == 200


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(learner, sign_in):
    wrong_password = sign_in(learner.email, "not the password at all")
    unknown_email = sign_in("nobody@example.com", "not the password at all")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json() == WRONG
    assert wrong_password.headers["WWW-Authenticate"] == "Bearer"
    assert unknown_email.headers["WWW-Authenticate"] == "Bearer"


def test_a_malformed_email_is_just_wrong_credentials(sign_in):
    response = sign_in("not-an-email", "whatever it is")

    assert response.status_code == 401
    assert response.json() == WRONG


def from_address(api_url: str, address: str) -> httpx.Client:
    """A client whose connections come from another loopback address (another machine)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=api_url, transport=transport, timeout=30)


def test_after_five_wrong_passwords_the_next_try_from_that_address_waits(learner, sign_in):
    for _ in range(5):
        assert sign_in(learner.email, "not the password at all").status_code == 401

    response = sign_in(learner.email, learner.password)

    assert response.status_code == 429
    assert response.json()["detail"] == "Too many failed sign-ins. Try again in 1 second."
    assert response.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert sign_in(learner.email, learner.password).status_code == 200


def test_someone_guessing_elsewhere_does_not_keep_the_owner_out(api_url, learner, sign_in):
    for _ in range(8):
        assert sign_in(learner.email, "not the password at all").status_code in (401, 429)

    with from_address(api_url, "127.0.0.2") as elsewhere:
        response = elsewhere.post(
            "/api/auth/token", data={"username": learner.email, "password": learner.password}
        )

    assert response.status_code == 200, response.text


def test_an_unknown_email_is_throttled_with_the_same_answers_as_a_real_one(learner, sign_in):
    def answers(email: str) -> list[tuple[int, dict]]:
        return [
            (r.status_code, r.json())
            for r in (sign_in(email, "not the password at all") for _ in range(6))
        ]

    real, unknown = answers(learner.email), answers("nobody@example.com")

    assert real == unknown
    assert [status for status, _ in real] == [401] * 5 + [429]


def test_failed_sign_ins_are_audited(learner, sign_in, session):
    for _ in range(5):
        sign_in(learner.email, "not the password at all")

    events = session.exec(select(AuditEvent.event).where(AuditEvent.user_id == learner.id)).all()
    assert events.count("auth.sign_in_failed") == 5
    assert "auth.account_locked" not in events


def test_the_sign_in_records_the_device_and_address(learner, sign_in, session):
    sign_in(learner.email, learner.password, user_agent="Firefox on a phone")

    devices = session.exec(
        select(AuthSession).where(AuthSession.user_agent == "Firefox on a phone")
    ).all()
    assert len(devices) == 1
    assert devices[0].ip == "127.0.0.1"


def test_missing_form_fields_are_named(client):
    response = client.post("/api/auth/token", data={"username": "ada@example.com"})

    assert response.status_code == 422
    assert response.json() == {"detail": "password is required.", "field": "password"}


def test_json_instead_of_the_form_is_refused_clearly(client):
    response = client.post(
        "/api/auth/token", json={"username": "ada@example.com", "password": "secret secret"}
    )

    assert response.status_code == 422
    assert "username is required." in response.json()["detail"]


def test_a_megabyte_password_is_just_wrong_credentials(learner, sign_in):
    response = sign_in(learner.email, "x" * 1_000_000)

    assert response.status_code == 401
    assert response.json() == WRONG


def test_too_many_sign_ins_from_one_address_are_rate_limited(learner, sign_in, monkeypatch):
    monkeypatch.setattr(get_settings(), "sign_in_rate_limit", 3)
    for _ in range(3):
        sign_in(learner.email, learner.password)

    response = sign_in(learner.email, learner.password)

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Try again in" in response.json()["detail"]
