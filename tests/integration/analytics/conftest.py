"""Learners with known answers and cards, for the progress specifications.

Answers are written as `record_review` writes them (stage before the answer, days since the
previous one, FSRS's prediction, the memory left), at fixed times around `NOW`, so every
expected figure can be worked out by hand. People (`make_user`, `learner`) come from the
integration conftest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from learn_app.models import (
    CardState,
    Classroom,
    Course,
    Enrollment,
    Review,
    StudyActivity,
    StudySession,
    User,
    Word,
)
from learn_app.services.study import activities

# A Tuesday, noon UTC.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def words(session: Session) -> list[Word]:
    """Twenty Japanese words; the first ten have a kanji term with its own reading."""
    course = Course(slug="ja-progress", language="ja", title="Progress course")
    session.add(course)
    session.flush()
    made = []
    for n in range(20):
        term = f"語{n}" if n < 10 else f"ことば{n}"
        reading = f"ご{n}" if n < 10 else term
        word = Word(
            course_id=course.id, language="ja", term=term, reading=reading, meaning=f"word {n}"
        )
        session.add(word)
        made.append(word)
    session.commit()
    return made


@pytest.fixture
def study_in(session: Session) -> Callable[[User, str], StudySession]:
    """A study session of the learner in the built-in activity with this slug."""
    activities.ensure_builtin_activities(session)
    session.commit()

    def start(user: User, slug: str, at: datetime = NOW) -> StudySession:
        activity = session.exec(select(StudyActivity).where(StudyActivity.slug == slug)).one()
        study = StudySession(user_id=user.id, activity_id=activity.id, started_at=at)
        session.add(study)
        session.commit()
        return study

    return start


@pytest.fixture
def answer(session: Session) -> Callable[..., Review]:
    """Store one answer with what the scheduler knew when it was given."""

    def add(
        user: User,
        word: Word,
        at: datetime,
        *,
        correct: bool = True,
        rating: str | None = None,
        stage: str = "review",
        elapsed_days: float | None = None,
        retrievability: float | None = None,
        stability: float | None = 10.0,
        latency_ms: int | None = 5000,
        study: StudySession | None = None,
    ) -> Review:
        review = Review(
            session_id=study.id if study else None,
            user_id=user.id,
            word_id=word.id,
            rating=rating or ("good" if correct else "again"),
            correct=correct,
            latency_ms=latency_ms,
            reviewed_at=at,
            card_stage=stage,
            elapsed_days=elapsed_days,
            retrievability=retrievability,
            stability=stability,
            difficulty=5.0,
        )
        session.add(review)
        session.commit()
        return review

    return add


@pytest.fixture
def card(session: Session) -> Callable[..., CardState]:
    def add(
        user: User,
        word: Word,
        *,
        due: datetime,
        stability: float = 10.0,
        difficulty: float = 5.0,
        last_review: datetime | None = None,
        lapses: int = 0,
        reps: int = 3,
    ) -> CardState:
        state = CardState(
            user_id=user.id,
            word_id=word.id,
            state="review",
            stability=stability,
            difficulty=difficulty,
            due=due,
            last_review=last_review or NOW - timedelta(days=1),
            reps=reps,
            lapses=lapses,
            introduced_at=NOW - timedelta(days=30),
        )
        session.add(state)
        session.commit()
        return state

    return add


@pytest.fixture
def classroom_of(session: Session) -> Callable[[User, list[User]], Classroom]:
    def make(teacher: User, learners: list[User]) -> Classroom:
        classroom = Classroom(teacher_id=teacher.id, name="Class")
        session.add(classroom)
        session.flush()
        for learner in learners:
            session.add(Enrollment(classroom_id=classroom.id, learner_id=learner.id))
        session.commit()
        return classroom

    return make
