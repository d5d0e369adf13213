"""A small course and study helpers for the study specifications (learners: `make_learner`).

Times are fixed (`NOW`) and passed to the services, so every due date is exact. Whenever a test
needs to see what another request committed, it opens a fresh `request_session()`, as the app's
`session_scope` gives each request.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy
from sqlmodel import Session

from learn_app.db import session_scope
from learn_app.models import (
    CardState,
    Course,
    Review,
    Status,
    StudyActivity,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.services.study import activities, fitting

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

ANIMALS = [
    ("猫", "ねこ", "cat"),
    ("犬", "いぬ", "dog"),
    ("鳥", "とり", "bird"),
    ("魚", "さかな", "fish"),
]
FOOD = [("水", "みず", "water"), ("米", "こめ", "rice"), ("肉", "にく", "meat")]


@pytest.fixture(autouse=True)
def _fits_finish_before_cleanup(engine) -> Iterator[None]:
    """A fit asked for by a test must end before the tables are emptied under it."""
    yield
    assert fitting.wait_idle(timeout=300), "background fitting did not finish"


@pytest.fixture
def request_session(engine) -> Callable[[], object]:
    return session_scope


@pytest.fixture
def course(session: Session) -> dict[str, object]:
    """A Japanese course: Animals (4 words and a draft), then Food (3 words)."""
    course = Course(slug="ja-test", language="ja", title="Japanese test course")
    session.add(course)
    session.flush()
    groups: dict[str, WordGroup] = {}
    words: dict[str, Word] = {}
    for slug, entries in (("animals", ANIMALS), ("food", FOOD)):
        group = WordGroup(course_id=course.id, slug=slug, language="ja", name=slug.title())
        session.add(group)
        session.flush()
        groups[slug] = group
        for position, (term, reading, meaning) in enumerate(entries):
            word = Word(
                course_id=course.id, language="ja", term=term, reading=reading, meaning=meaning
            )
            session.add(word)
            session.flush()
            session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
            words[meaning] = word
    draft = Word(
        course_id=course.id,
        language="ja",
        term="熊",
        reading="くま",
        meaning="bear",
        status=Status.draft.value,
    )
    session.add(draft)
    session.flush()
    session.add(WordGroupMember(group_id=groups["animals"].id, word_id=draft.id, position=9))
    words["bear"] = draft
    session.commit()
    return {"course": course, "groups": groups, "words": words}


@pytest.fixture
def words(course) -> dict[str, Word]:
    return course["words"]


@pytest.fixture
def groups(course) -> dict[str, WordGroup]:
    return course["groups"]


@pytest.fixture
def flashcards(session: Session) -> StudyActivity:
    activity = activities.get_activity_by_slug(session, "flashcards")
    session.commit()
    return activity


@pytest.fixture
def give_card(session: Session) -> Callable[..., CardState]:
    """Put a card in a learner's deck directly, due (and introduced) when the test says."""

    def give(
        user: User, word: Word, *, due: datetime, introduced_at: datetime | None = None
    ) -> CardState:
        card = CardState(
            user_id=user.id,
            word_id=word.id,
            state="review",
            stability=5.0,
            difficulty=5.0,
            due=due,
            last_review=due - timedelta(days=5),
            reps=1,
            introduced_at=introduced_at or due - timedelta(days=5),
        )
        session.add(card)
        session.commit()
        return card

    return give


@pytest.fixture
def synthetic_history(session: Session) -> Callable[..., int]:
    """Give a learner a realistic review log of `cards` words × `per_card` spaced reviews
    (or, `same_day`, reviews minutes apart).

    Written with one bulk INSERT per table: this is test data, not the path under test.
    """

    def make(
        user: User, *, cards: int = 200, per_card: int = 6, same_day: bool = False, seed: int = 7
    ) -> int:
        rng = random.Random(seed)
        word_rows = [
            {
                "language": "xx",
                "term": f"syn-{user.id}-{n}",
                "reading": "",
                "meaning": f"m{n}",
                "course_id": None,
                "status": Status.published.value,
                "parts": {},
                "tags": [],
                "part_of_speech": "",
                "example_sentence": "",
                "example_translation": "",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(cards)
        ]
        word_ids = (
            session.exec(sqlalchemy.insert(Word).values(word_rows).returning(Word.id))
            .scalars()
            .all()
        )
        start = NOW - timedelta(days=400)
        reviews = []
        for word_id in word_ids:
            at = start + timedelta(hours=rng.randint(0, 240))
            gap = 1
            for _ in range(per_card):
                roll = rng.random()
                rating = "again" if roll < 0.15 else ("good" if roll < 0.85 else "easy")
                reviews.append(
                    {
                        "user_id": user.id,
                        "word_id": word_id,
                        "rating": rating,
                        "correct": rating != "again",
                        "response": "",
                        "reviewed_at": at,
                        "session_id": None,
                        "latency_ms": 4000,
                    }
                )
                gap = 1 if rating == "again" else gap * 2 + 1
                if same_day:  # nothing for the optimizer to learn from: it keeps the defaults
                    at += timedelta(minutes=10)
                else:
                    at += timedelta(days=gap, hours=rng.randint(0, 5))
        session.exec(sqlalchemy.insert(Review).values(reviews))
        session.commit()
        return len(reviews)

    return make
