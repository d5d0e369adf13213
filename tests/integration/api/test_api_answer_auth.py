"""An answer is taken only from a caller whose sign-in or access token still stands at that
moment — the very next answer after a sign-out, a revocation or a disabled account is refused —
and an answer sent just after PostgreSQL dropped the portal's connections is taken once."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import Session, col, select

from learn_app.models import Review, User

pytestmark = pytest.mark.integration

ENDED = "Your session has ended. Please sign in again."


@pytest.fixture
def animals(learner, content, launch):
    return launch(learner, content.groups["animals"])


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def post_answer(client: httpx.Client, headers: dict[str, str], session_id: int, word_id: int):
    return client.post(
        f"/api/study_sessions/{session_id}/words/{word_id}/review",
        json={"correct": True, "rating": "good"},
        headers=headers,
    )


def stored_answers(session: Session, user_id: int) -> int:
    session.expire_all()
    return len(session.exec(select(Review.id).where(Review.user_id == user_id)).all())


def test_the_answer_right_after_signing_out_is_refused(
    client, session, learner, content, animals
) -> None:
    cat = content.words["猫"]
    assert post_answer(client, learner.headers, animals["id"], cat).status_code == 201

    assert client.post("/api/auth/logout", headers=learner.headers).status_code == 204
    refused = post_answer(client, learner.headers, animals["id"], cat)

    assert refused.status_code == 401
    assert refused.json()["detail"] == ENDED
    assert stored_answers(session, learner.id) == 1


def test_the_answer_right_after_another_device_ended_this_sign_in_is_refused(
    client, session, learner, content, animals, new_token
) -> None:
    cat = content.words["猫"]
    other_device = bearer(new_token(learner.email))
    assert post_answer(client, learner.headers, animals["id"], cat).status_code == 201

    ended = client.post("/api/me/sessions/revoke-others", headers=other_device)
    refused = post_answer(client, learner.headers, animals["id"], cat)

    assert ended.status_code == 200, ended.text
    assert refused.status_code == 401 and refused.json()["detail"] == ENDED
    assert post_answer(client, other_device, animals["id"], cat).status_code == 201
    assert stored_answers(session, learner.id) == 2


def test_the_answer_right_after_the_account_was_disabled_is_refused(
    client, session, learner, content, animals
) -> None:
    cat = content.words["猫"]
    assert post_answer(client, learner.headers, animals["id"], cat).status_code == 201

    user = session.get(User, learner.id)
    assert user is not None
    user.is_active = False
    session.add(user)
    session.commit()
    refused = post_answer(client, learner.headers, animals["id"], cat)

    assert refused.status_code == 401 and refused.json()["detail"] == ENDED
    assert stored_answers(session, learner.id) == 1


def test_an_access_tokens_answer_right_after_its_revocation_is_refused(
    client, session, learner, content, animals
) -> None:
    cat = content.words["猫"]
    made = client.post(
        "/api/me/tokens", json={"name": "flashcards app", "scope": "study"}, headers=learner.headers
    ).json()
    assert post_answer(client, bearer(made["token"]), animals["id"], cat).status_code == 201

    revoked = client.delete(f"/api/me/tokens/{made['id']}", headers=learner.headers)
    refused = post_answer(client, bearer(made["token"]), animals["id"], cat)

    assert revoked.status_code == 204
    assert refused.status_code == 401
    assert refused.json()["detail"] == "That API token was revoked."
    assert stored_answers(session, learner.id) == 1


def test_a_read_scope_token_cannot_answer(client, session, learner, content, animals) -> None:
    made = client.post(
        "/api/me/tokens", json={"name": "reader", "scope": "read"}, headers=learner.headers
    ).json()

    refused = post_answer(client, bearer(made["token"]), animals["id"], content.words["猫"])

    assert refused.status_code == 403
    assert "read scope" in refused.json()["detail"]
    assert stored_answers(session, learner.id) == 0


def test_an_answer_just_after_the_database_dropped_the_connections_is_taken_once(
    client, session, learner, content, animals, drop_connections
) -> None:
    """PostgreSQL restarting ends every connection the portal holds; the connections were in
    use a moment before, so they are not checked before use. The answer is still taken (on a
    new connection) and stored once."""
    cat, dog = content.words["猫"], content.words["犬"]
    assert post_answer(client, learner.headers, animals["id"], cat).status_code == 201
    drop_connections()

    taken = post_answer(client, learner.headers, animals["id"], dog)

    assert taken.status_code == 201, taken.text
    stored = session.exec(
        select(Review.word_id).where(Review.user_id == learner.id).order_by(col(Review.id))
    ).all()
    assert stored == [cat, dog]


def test_any_signed_in_request_just_after_the_database_dropped_the_connections_is_served(
    client, learner, content, drop_connections
) -> None:
    """Not only answers: a request whose caller is looked up on a dropped connection is
    looked up again on a new one, and served, instead of a 503."""
    before = client.get("/api/groups", headers=learner.headers)
    assert before.status_code == 200
    drop_connections()

    after = client.get("/api/groups", headers=learner.headers)

    assert after.status_code == 200, after.text
    assert after.json() == before.json()
