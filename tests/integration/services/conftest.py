"""Accounts, requests and study material for the service specifications.

People (`make_user`, `learner`, `teacher`, `admin`) come from the integration conftest.
Each call to `request_session()` is a fresh session committed on success, as the app's
`session_scope` gives each request; use it whenever a test changes the database behind the
back of the `session` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlmodel import Session, select

from learn_app.db import session_scope
from learn_app.models import (
    AuditEvent,
    Review,
    StudyActivity,
    StudySession,
    User,
    Word,
    WordGroup,
)
from learn_app.services.accounts import auth
from learn_app.services.achievements import backfill
from tests.fixtures.users import PASSWORD


@pytest.fixture
def request_session(engine):
    return session_scope


@pytest.fixture
def sign_in(request_session) -> Callable[..., str]:
    """Sign in as a separate request and return the token."""

    def sign_in(user: User, password: str = PASSWORD) -> str:
        with request_session() as s:
            return auth.sign_in(s, email=user.email, password=password).token

    return sign_in


@pytest.fixture
def audit_events(engine) -> Callable[[str], list[AuditEvent]]:
    """The committed audit rows with this event name, oldest first."""

    def events(name: str) -> list[AuditEvent]:
        with Session(engine) as s:
            return list(
                s.exec(select(AuditEvent).where(AuditEvent.event == name).order_by(AuditEvent.id))
            )

    return events


@pytest.fixture
def study_material(session: Session) -> tuple[Word, WordGroup, StudyActivity]:
    word = Word(language="ja", term="猫", reading="ねこ", meaning="cat")
    group = WordGroup(language="ja", name="Animals")
    activity = StudyActivity(slug="flashcards", name="Flashcards", kind="flashcards")
    session.add_all([word, group, activity])
    session.commit()
    return word, group, activity


@pytest.fixture
def add_review(session: Session, study_material) -> Callable[..., Review]:
    """Record one answer in a study session of its own, at the given moment, and count it as
    the app counts its answers (XP, streak), as if it had been recorded then: answers may be
    added in any order, so the learner's history is recounted."""
    word, group, activity = study_material

    def add(user: User, at: datetime, *, correct: bool = True) -> Review:
        study = StudySession(
            user_id=user.id, activity_id=activity.id, group_id=group.id, started_at=at
        )
        session.add(study)
        session.flush()
        review = Review(
            session_id=study.id,
            user_id=user.id,
            word_id=word.id,
            rating="good" if correct else "again",
            correct=correct,
            reviewed_at=at,
        )
        session.add(review)
        session.commit()
        backfill.backfill_learner(session, user.id)
        session.commit()
        return review

    return add
