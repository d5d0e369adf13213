"""POST /api/tutor/explain: a wrong answer explained, and kept as a tutor conversation.

These run on the offline tutor; what is sent to Claude is specified in
tests/integration/tutor/test_explain_answer.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from learn_app.config import get_settings
from learn_app.models import User
from learn_app.services.study import sessions as study
from learn_app.services.study.activities import get_activity_by_slug


@pytest.fixture
def course(session: Session, content, monkeypatch) -> Iterator:
    """The small Japanese and Spanish courses, indexed, and the tutor answering offline."""
    from learn_app.rag.indexing import sync_index
    from learn_app.rag.store import get_document_store

    monkeypatch.setattr(get_settings(), "llm_provider", "offline")
    store = get_document_store()
    store.delete_all_documents()
    sync_index(session)
    yield content
    store.delete_all_documents()


def explain(client, account, **fields):
    return client.post("/api/tutor/explain", json=fields, headers=account.headers)


def test_a_wrong_answer_is_explained_next_to_the_expected_one(client, learner, course):
    response = explain(client, learner, word_id=course.words["猫"], given="dog", expected="cat")

    assert response.status_code == 200
    body = response.json()
    assert body["provider"] == "offline"
    assert "You answered “dog”; the expected answer is “cat”." in body["answer"]
    assert [(c["source_type"], c["source_id"]) for c in body["citations"]][:2] == [
        ("word", course.words["猫"]),
        ("word", course.words["犬"]),
    ]


def test_the_explanation_is_kept_as_a_conversation(client, learner, course):
    answer = explain(client, learner, word_id=course.words["猫"], given="dog").json()

    listed = client.get("/api/tutor/conversations", headers=learner.headers).json()
    detail = client.get(
        f"/api/tutor/conversations/{answer['conversation_id']}", headers=learner.headers
    ).json()

    assert [(c["id"], c["title"]) for c in listed] == [
        (answer["conversation_id"], "Why not “dog” for 猫?")
    ]
    assert [m["role"] for m in detail["messages"]] == ["learner", "tutor"]


def test_a_draft_word_is_not_found(client, learner, course):
    response = explain(client, learner, word_id=course.words["鳥"], given="cat")

    assert response.status_code == 404


def test_another_learners_study_session_is_not_found(client, session, learner, new_account, course):
    other = new_account(display_name="Other")
    typing = get_activity_by_slug(session, "typing")
    theirs = study.start_session(session, session.get(User, other.id), typing.id, None)
    session.commit()

    response = explain(
        client, learner, word_id=course.words["猫"], given="dog", session_id=theirs.id
    )

    assert response.status_code == 404


def test_a_blank_answer_is_refused_naming_the_field(client, learner, course):
    response = explain(client, learner, word_id=course.words["猫"], given="  ")

    assert response.status_code == 422
    assert response.json()["field"] == "given"


def test_explaining_needs_a_token(client):
    response = client.post("/api/tutor/explain", json={"word_id": 1, "given": "dog"})

    assert response.status_code == 401
