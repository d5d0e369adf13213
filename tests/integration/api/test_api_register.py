"""POST /api/auth/register: anyone may sign up as a learner, with a clear answer when they can't."""

import time

import pytest

from learn_app.config import get_settings

PASSWORD = "correct horse battery"


def register(client, email="ada@example.com", password=PASSWORD, display_name="Ada"):
    return client.post(
        "/api/auth/register",
        json={"email": email, "password": password, "display_name": display_name},
    )


def test_signing_up_creates_a_learner_and_shows_their_public_profile(client):
    response = register(client, email="  Ada@Example.COM ", display_name="Ada Lovelace")

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ada@example.com"
    assert body["display_name"] == "Ada Lovelace"
    assert body["role"] == "learner"
    assert set(body) == {
        "id",
        "email",
        "display_name",
        "role",
        "native_language",
        "target_language",
        "daily_goal",
        "desired_retention",
        "timezone",
        "created_at",
    }


def test_signing_up_never_reveals_the_password_hash_or_sign_in_failures(client):
    text = register(client).text

    assert "password" not in text
    assert "failed_logins" not in text
    assert "$2b$" not in text


def test_signing_up_twice_with_one_email_is_a_conflict(client):
    register(client, email="ada@example.com")

    response = register(client, email="ADA@example.com")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "An account with this email already exists. Sign in instead.",
        "field": "email",
    }


def test_a_short_password_is_refused_with_the_minimum_length(client):
    response = register(client, password="short")

    assert response.status_code == 422
    assert response.json()["field"] == "password"
    assert "at least 10 characters" in response.json()["detail"]


def test_a_common_password_is_refused(client):
    response = register(client, password="password123")

    assert response.status_code == 422
    assert response.json()["field"] == "password"
    assert "too common" in response.json()["detail"]


def test_a_megabyte_password_is_refused_quickly_with_the_maximum_length(client):
    started = time.monotonic()
    response = register(client, password="x" * 1_000_000)
    elapsed = time.monotonic() - started

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Passwords can be at most 1024 characters long.",
        "field": "password",
    }
    assert elapsed < 2


def test_a_body_far_too_large_is_refused_before_it_is_read(client):
    response = register(client, password="x" * 3_000_000)

    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is too large for the API."


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "@example.com", "ada@@example.com"])
def test_a_malformed_email_is_refused(client, email):
    response = register(client, email=email)

    assert response.status_code == 422
    assert response.json()["field"] == "email"
    assert response.json()["detail"].startswith("That email address is not valid")


def test_an_internationalised_email_can_sign_up_and_sign_in(client):
    response = register(client, email="josé@exämple.com")

    assert response.status_code == 201
    assert response.json()["email"] == "josé@exämple.com"
    signed_in = client.post(
        "/api/auth/token", data={"username": "José@Exämple.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 200


def test_sql_metacharacters_in_a_display_name_are_stored_verbatim(client):
    name = 'Robert\'); DROP TABLE "user";-- %_\\'

    response = register(client, display_name=name)

    assert response.status_code == 201
    assert response.json()["display_name"] == name
    assert register(client, email="second@example.com").status_code == 201


def test_a_blank_display_name_is_refused(client):
    response = register(client, display_name="   ")

    assert response.status_code == 422
    assert response.json() == {"detail": "Enter a display name.", "field": "display_name"}


def test_a_missing_field_is_named_in_the_error(client):
    response = client.post(
        "/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 422
    assert response.json() == {"detail": "display_name is required.", "field": "display_name"}


def test_choosing_a_role_at_sign_up_is_not_allowed(client):
    response = client.post(
        "/api/auth/register",
        json={"email": "a@example.com", "password": PASSWORD, "display_name": "A", "role": "admin"},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "role"


def test_too_many_sign_ups_from_one_address_are_rate_limited(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "sign_up_rate_limit", 2)
    register(client, email="one@example.com")
    register(client, email="two@example.com")

    response = register(client, email="three@example.com")

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["detail"].startswith("Too many attempts. Try again in")
