"""A small course and a way to answer cards as the app does: each answer in its own transaction
(`session_scope`), so the achievements are counted after it commits. Learners: `make_learner`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from learn_app.db import session_scope
from learn_app.models import Course, StudyActivity, User, Word, WordGroup, WordGroupMember
from learn_app.services import achievements  # noqa: F401  (listens to recorded reviews)
from learn_app.services.study import activities, sessions

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # a Tuesday


@pytest.fixture
def words(session: Session) -> list[int]:
    """Twelve published Japanese words in one group of a course; their ids."""
    course = Course(slug="ja-motivation", language="ja", title="Japanese")
    session.add(course)
    session.flush()
    group = WordGroup(course_id=course.id, slug="all", language="ja", name="All")
    session.add(group)
    session.flush()
    ids = []
    for n in range(12):
        word = Word(
            course_id=course.id, language="ja", term=f"語{n}", reading=f"ご{n}", meaning=f"word {n}"
        )
        session.add(word)
        session.flush()
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=n))
        ids.append(word.id)
    activities.ensure_builtin_activities(session)
    session.commit()
    return ids


def activity_id(slug: str) -> int:
    with session_scope() as s:
        return s.exec(select(StudyActivity.id).where(StudyActivity.slug == slug)).one()


@pytest.fixture
def start() -> Callable[..., int]:
    def start(user: User, slug: str = "flashcards", *, at: datetime = NOW) -> int:
        with session_scope() as s:
            return sessions.start_session(s, user, activity_id(slug), None, now=at).id

    return start


@pytest.fixture
def answer() -> Callable[..., None]:
    def answer(
        user: User,
        study_id: int,
        word_id: int,
        *,
        correct: bool = True,
        at: datetime = NOW,
        rating: str | None = None,
        end: bool = False,
    ) -> None:
        with session_scope() as s:
            sessions.record_review(
                s, user, study_id, word_id, correct=correct, rating=rating, latency_ms=4000, now=at
            )
            if end:
                sessions.end_session(s, user, study_id, now=at)

    return answer
