"""Conversations with the tutor are kept per learner, listed, reopened and deleted."""

from __future__ import annotations

import pytest
from sqlmodel import select

from learn_app.models import LlmCall
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.tutor import tutor

pytestmark = pytest.mark.integration


def test_with_no_key_the_offline_tutor_answers_from_the_course_without_a_notice(
    session, learner, small_course, offline, fake_server
) -> None:
    fake_server.reset()
    answer = tutor.ask(session, learner, "How do I count bottles?")

    assert answer.provider == "offline"
    assert answer.notice is None
    assert answer.answer.startswith("Offline tutor")
    assert "本" in answer.answer
    assert answer.citations[0]["title"] == "Numbers and counters"
    assert fake_server.requests == []
    [call] = session.exec(select(LlmCall)).all()
    assert (call.provider, call.outcome, call.cost_usd) == ("offline", "ok", None)


def test_a_question_and_its_answer_are_kept_in_a_new_conversation(
    session, learner, small_course, offline
) -> None:
    answer = tutor.ask(session, learner, "How do I count bottles?")

    view = tutor.get_conversation(session, learner, answer.conversation_id)
    assert view.conversation.title == "How do I count bottles?"
    assert [(m.role, m.text) for m in view.messages] == [
        ("learner", "How do I count bottles?"),
        ("tutor", answer.answer),
    ]
    assert view.messages[1].citations == answer.citations
    assert view.messages[1].provider == "offline"


def test_a_follow_up_goes_into_the_same_conversation(
    session, learner, small_course, offline
) -> None:
    first = tutor.ask(session, learner, "How do I count bottles?")
    second = tutor.ask(session, learner, "And people?", conversation_id=first.conversation_id)

    assert second.conversation_id == first.conversation_id
    assert len(tutor.get_conversation(session, learner, first.conversation_id).messages) == 4


def test_conversations_are_listed_most_recent_first(
    session, learner, small_course, offline
) -> None:
    older = tutor.ask(session, learner, "How do I count bottles?")
    newer = tutor.ask(session, learner, "How do I apologise?")
    tutor.ask(session, learner, "And people?", conversation_id=older.conversation_id)

    listed = [c.id for c in tutor.list_conversations(session, learner)]
    assert listed == [older.conversation_id, newer.conversation_id]


def test_a_deleted_conversation_is_gone_with_its_messages(
    session, learner, small_course, offline
) -> None:
    answer = tutor.ask(session, learner, "How do I count bottles?")

    tutor.delete_conversation(session, learner, answer.conversation_id)

    assert tutor.list_conversations(session, learner) == []
    with pytest.raises(NotFound):
        tutor.get_conversation(session, learner, answer.conversation_id)


def test_another_learners_conversation_cannot_be_read_continued_or_deleted(
    session, learner, make_learner, small_course, offline
) -> None:
    mine = tutor.ask(session, learner, "How do I count bottles?")
    other = make_learner()

    assert tutor.list_conversations(session, other) == []
    with pytest.raises(NotFound):
        tutor.get_conversation(session, other, mine.conversation_id)
    with pytest.raises(NotFound):
        tutor.ask(session, other, "And people?", conversation_id=mine.conversation_id)
    with pytest.raises(NotFound):
        tutor.delete_conversation(session, other, mine.conversation_id)
    assert len(tutor.get_conversation(session, learner, mine.conversation_id).messages) == 2


@pytest.mark.parametrize("question", ["", "   ", "x" * (tutor.MAX_QUESTION_CHARS + 1)])
def test_an_empty_or_overlong_question_is_refused(session, learner, offline, question) -> None:
    with pytest.raises(InvalidInput):
        tutor.ask(session, learner, question)
    assert tutor.list_conversations(session, learner) == []
