"""The study page's state as a learner's answers drive it: each answer is stored and the next
word shown; the queue follows answers given in another tab and changes to the group's words
made meanwhile; a sign-out elsewhere stops the very next answer; an answer given after the
database dropped its connections is stored all the same; an answer sends the browser only what
changed. Handlers run on real states over the real database, in the page-event threads Reflex
runs them in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx
from sqlalchemy import func, text
from sqlmodel import Session, select

from learn_app.db import session_scope
from learn_app.models import Course, Review, Role, Status, User, Word, WordGroup, WordGroupMember
from learn_app.services.accounts import auth
from learn_app.services.errors import DomainError
from learn_app.services.study import activities
from learn_app.services.study import sessions as study
from learn_app.state import signed_in
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.study_run import StudyRunState

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


class RenamingState(ProtectedState):
    """A page whose handler writes, then may be refused: the refusal must undo the write, and
    the next event must still be stored."""

    error: str = ""

    @rx.event
    @signed_in_handler("error")
    def rename(self, signed: Signed, name: str, refuse: bool) -> None:
        signed.user.display_name = name
        signed.session.flush()
        if refuse:
            raise DomainError("That name is refused.")


@pytest.fixture
def group(session: Session) -> WordGroup:
    """Twelve published words, in the group's order."""
    course = Course(slug="ja-run", language="ja", title="Run")
    session.add(course)
    session.flush()
    group = WordGroup(course_id=course.id, slug="run", language="ja", name="Run")
    session.add(group)
    session.flush()
    for n in range(12):
        word = Word(course_id=course.id, language="ja", term=f"語{n}", meaning=f"word {n}")
        session.add(word)
        session.flush()
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=n))
    session.commit()
    return group


@pytest.fixture
def learner_token(make_user: Callable[..., Any], password: str) -> tuple[Any, str]:
    learner = make_user(Role.learner)
    with session_scope() as session:
        token = auth.sign_in(session, email=learner.email, password=password).token
    return learner, token


def _in_event_thread(handler: Any, state: rx.State, *args: Any) -> Any:
    """The handler run as an event runs it: in a page-event thread."""
    return signed_in._event_threads.submit(handler.fn, state, *args).result()


def _study_page(
    session: Session, learner: Any, token: str, group: WordGroup, slug: str
) -> tuple[rx.State, StudyRunState, int]:
    activity = activities.get_activity_by_slug(session, slug)
    started = study.start_session(session, learner, activity.id, group.id)
    session.commit()
    root = rx.State(_reflex_internal_init=True)
    path = f"/study/{slug}"
    router = {
        "pathname": path,
        "asPath": f"{path}?session_id={started.id}",
        "query": {"session_id": str(started.id)},
    }
    root._update_router_vars(router, {})
    state = root.get_substate(StudyRunState.get_full_name().split(".")[1:])
    state.token = token
    _in_event_thread(StudyRunState.load, state)
    return root, state, started.id


def _rate(state: StudyRunState, rating: str = "good") -> Any:
    _in_event_thread(StudyRunState.reveal, state)
    return _in_event_thread(StudyRunState.rate, state, rating)


def _stored(session: Session, study_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Review).where(Review.session_id == study_id)
    ).one()


@pytest.fixture
def rated(session: Session, learner_token, group) -> tuple[Any, ...]:
    """A learner on the flashcards page of a new session on the group."""
    learner, token = learner_token
    root, state, study_id = _study_page(session, learner, token, group, "flashcards")
    return learner, token, root, state, study_id


def test_each_flashcard_answer_is_stored_and_the_next_word_shown_in_the_groups_order(
    session, rated
) -> None:
    _, _, _, state, study_id = rated
    shown = [state.question.meaning]
    for _ in range(3):
        _rate(state)
        shown.append(state.question.meaning)

    assert shown == ["word 0", "word 1", "word 2", "word 3"]
    assert (state.answered_count, state.total, state.progress_label) == (3, 12, "4 of 12")
    assert _stored(session, study_id) == 3


def test_words_answered_in_another_tab_are_not_asked_again(session, rated, learner_token) -> None:
    learner, _, _, state, study_id = rated
    _rate(state)  # word 0 here; words 1 and 2 in another tab
    for meaning in ("word 1", "word 2"):
        word = session.exec(select(Word).where(Word.meaning == meaning)).one()
        study.record_review(session, learner, study_id, word.id, correct=True)
    session.commit()

    _rate(state)  # word 1 is still on show here: answered again, then on to word 3

    assert state.question.meaning == "word 3"
    assert (state.answered_count, state.progress_label) == (3, "4 of 12")


def test_a_word_taken_out_of_the_group_meanwhile_is_not_asked_and_one_added_is(
    session, rated, group
) -> None:
    _, _, _, state, _ = rated
    word_1 = session.exec(select(Word).where(Word.meaning == "word 1")).one()
    word_1.status = Status.draft.value
    session.add(word_1)
    added = Word(course_id=word_1.course_id, language="ja", term="新", meaning="new word")
    session.add(added)
    session.flush()
    session.add(WordGroupMember(group_id=group.id, word_id=added.id, position=-1))
    session.commit()

    _rate(state)

    assert state.question.meaning == "new word"
    assert (state.answered_count, state.total) == (1, 12)
    _rate(state)
    assert state.question.meaning == "word 2"  # word 1, a draft now, is left out


def test_a_sign_out_elsewhere_refuses_the_very_next_answer(session, rated) -> None:
    _, token, _, state, study_id = rated
    _rate(state)
    with session_scope() as other_tab:
        auth.sign_out(other_tab, token)

    follow_up = _rate(state)

    assert "/signin?next=" in str(follow_up)
    assert (state.token, state.signed_in) == ("", False)
    assert _stored(session, study_id) == 1


def test_an_answer_after_the_database_dropped_the_connection_is_stored(session, rated) -> None:
    _, _, _, state, study_id = rated
    _rate(state)
    # Every other connection is dropped, as a database restart would drop them.
    session.execute(
        text(
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        )
    )
    session.commit()

    for _ in range(signed_in.db.EVENT_THREADS + 1):  # whichever connection the event takes
        _rate(state)

    assert state.error == ""
    assert state.answered_count == signed_in.db.EVENT_THREADS + 2
    assert _stored(session, study_id) == signed_in.db.EVENT_THREADS + 2


def test_the_next_card_sends_the_browser_only_what_changed(rated) -> None:
    _, _, root, state, _ = rated
    root._clean()

    _rate(state)
    sent = root.get_delta()[StudyRunState.get_full_name()]

    names = {name.removesuffix("_rx_state_") for name in sent}
    assert names == {
        "answered",  # taken, then cleared for the next card
        "was_correct",
        "answered_count",
        "progress_label",
        "progress_percent",
        "question",
        "question_key",
        "revealed",
    }
    assert len(json.dumps(sent, default=str)) < 600


def test_multiple_choice_next_shows_the_following_word_with_its_choices(
    session, learner_token, group
) -> None:
    learner, token = learner_token
    _, state, study_id = _study_page(session, learner, token, group, "multiple-choice")
    first = state.question.word_id

    _in_event_thread(StudyRunState.choose, state, 1)
    assert state.answered is True
    _in_event_thread(StudyRunState.next_question, state)

    assert state.question.word_id != first
    assert len(state.question.choices) == 4
    assert (state.answered, state.answered_count) == (False, 1)
    assert _stored(session, study_id) == 1


def test_a_refused_event_undoes_its_writes_and_the_next_one_is_stored(
    session, learner_token
) -> None:
    learner, token = learner_token
    root = rx.State(_reflex_internal_init=True)
    root._update_router_vars({"pathname": "/settings", "asPath": "/settings", "query": {}}, {})
    state = root.get_substate(RenamingState.get_full_name().split(".")[1:])
    state.token = token

    before = learner.display_name

    for _ in range(signed_in.db.EVENT_THREADS):  # whichever thread takes the event
        _in_event_thread(RenamingState.rename, state, "Refused", True)
    assert state.error == "That name is refused."
    session.expire_all()
    assert session.get(User, learner.id).display_name == before
    _in_event_thread(RenamingState.rename, state, "Accepted", False)

    session.expire_all()
    assert session.get(User, learner.id).display_name == "Accepted"
