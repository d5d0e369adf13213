"""/api/tutor: questions answered from the course with citations; conversations kept per learner.

These run on the offline tutor (no provider configured); the Claude path, its fallbacks and
budget are specified against a fake Messages API in tests/integration/tutor/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from learn_app.config import get_settings
from learn_app.models import Document
from tests.fixtures.courses import course_text

COURSE = course_text("ja-travel-lessons.yaml")


@pytest.fixture
def trains_lesson(session: Session, store_course, monkeypatch) -> Iterator[int]:
    """A small published course, indexed, and the tutor answering offline."""
    from learn_app.rag.indexing import sync_index
    from learn_app.rag.store import get_document_store

    monkeypatch.setattr(get_settings(), "llm_provider", "offline")
    store = get_document_store()
    store.delete_all_documents()
    store_course(COURSE)
    sync_index(session)
    yield session.exec(select(Document).where(Document.slug == "trains")).one().id
    store.delete_all_documents()


def ask(client, account, question: str, **fields):
    return client.post(
        "/api/tutor/ask", json={"question": question, **fields}, headers=account.headers
    )


def test_an_answer_quotes_the_course_and_cites_the_lesson_it_came_from(
    client, learner, trains_lesson
):
    response = ask(client, learner, "How do I ask which platform my train leaves from?")

    assert response.status_code == 200
    body = response.json()
    assert body["provider"] == "offline"
    assert "[1]" in body["answer"]
    assert {"source_type": "lesson", "source_id": trains_lesson, "title": "On the train"} in [
        {k: c[k] for k in ("source_type", "source_id", "title")} for c in body["citations"]
    ]
    assert body["conversation_id"] > 0


def test_a_follow_up_continues_the_same_conversation(client, learner, trains_lesson):
    first = ask(client, learner, "How do I ask which platform my train leaves from?").json()

    second = ask(
        client, learner, "And how do I say it's hot?", conversation_id=first["conversation_id"]
    )

    assert second.status_code == 200
    assert second.json()["conversation_id"] == first["conversation_id"]
    detail = client.get(
        f"/api/tutor/conversations/{first['conversation_id']}", headers=learner.headers
    ).json()
    assert [m["role"] for m in detail["messages"]] == ["learner", "tutor", "learner", "tutor"]


def test_conversations_are_listed_and_can_be_deleted(client, learner, trains_lesson):
    conversation_id = ask(client, learner, "Which platform?").json()["conversation_id"]

    listed = client.get("/api/tutor/conversations", headers=learner.headers).json()
    deleted = client.delete(f"/api/tutor/conversations/{conversation_id}", headers=learner.headers)

    assert [c["id"] for c in listed] == [conversation_id]
    assert deleted.status_code == 204
    assert client.get("/api/tutor/conversations", headers=learner.headers).json() == []


def test_another_learners_conversation_is_not_found(client, learner, new_account, trains_lesson):
    conversation_id = ask(client, learner, "Which platform?").json()["conversation_id"]
    other = new_account(display_name="Other")

    read = client.get(f"/api/tutor/conversations/{conversation_id}", headers=other.headers)
    continued = ask(client, other, "Tell me more", conversation_id=conversation_id)

    assert read.status_code == 404
    assert continued.status_code == 404


def test_a_blank_question_is_refused_naming_the_field(client, learner):
    response = ask(client, learner, "   ")

    assert response.status_code == 422
    assert response.json()["field"] == "question"


def test_asking_needs_a_token(client):
    response = client.post("/api/tutor/ask", json={"question": "Which platform?"})

    assert response.status_code == 401
