"""A small school for the class dashboard and assignment specifications.

Tomás teaches "Japanese 1" (Ana and Ben); Tara teaches another class (Olga). A Japanese course
has the group Animals (four published words and a draft) and Food; a Spanish course has one
group. Answers are written straight into `review` at the moments a test names (`NOW` is fixed
and passed to the services), with the stage the card was in, as `record_review` stores it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

# The API over real HTTP, as the API specifications serve it.
from integration.api.conftest import api_url, client, new_token, sign_in  # noqa: F401
from sqlmodel import Session

from learn_app.models import (
    Classroom,
    Course,
    Enrollment,
    Review,
    Role,
    Status,
    StudySession,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.services.study import activities
from tests.fixtures.users import PASSWORD  # noqa: F401 - the specs import it from here

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

ANIMALS = [
    ("猫", "ねこ", "cat"),
    ("犬", "いぬ", "dog"),
    ("鳥", "とり", "bird"),
    ("魚", "さかな", "fish"),
]
FOOD = [("水", "みず", "water"), ("米", "こめ", "rice")]


@dataclass
class School:
    teacher: User
    other_teacher: User
    ana: User  # in Japanese 1
    ben: User  # in Japanese 1
    olga: User  # in the other teacher's class only
    classroom: Classroom
    other_classroom: Classroom
    course: Course
    groups: dict[str, WordGroup]
    words: dict[str, Word]  # by meaning; "bear" is a draft in Animals
    spanish_group: WordGroup


@pytest.fixture
def make_person(make_user: Callable[..., User]) -> Callable[..., User]:
    """`make_user` for a named person: "Aiko" signs up as aiko1@example.com."""
    numbers = itertools.count(1)

    def make(
        role: Role, name: str, *, timezone: str = "UTC", desired_retention: float = 0.9
    ) -> User:
        return make_user(
            role,
            email=f"{name.lower()}{next(numbers)}@example.com",
            display_name=name,
            timezone=timezone,
            desired_retention=desired_retention,
        )

    return make


def _course(session: Session, slug: str, language: str) -> Course:
    course = Course(slug=slug, language=language, title=f"{slug} course")
    session.add(course)
    session.flush()
    return course


def _group(
    session: Session, course: Course, slug: str, entries: list[tuple[str, str, str]]
) -> tuple[WordGroup, dict[str, Word]]:
    group = WordGroup(course_id=course.id, slug=slug, language=course.language, name=slug.title())
    session.add(group)
    session.flush()
    words = {}
    for position, (term, reading, meaning) in enumerate(entries):
        word = Word(
            course_id=course.id,
            language=course.language,
            term=term,
            reading=reading,
            meaning=meaning,
        )
        session.add(word)
        session.flush()
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
        words[meaning] = word
    return group, words


@pytest.fixture
def school(session: Session, make_person) -> School:
    teacher = make_person(Role.teacher, "Tomás")
    other_teacher = make_person(Role.teacher, "Tara")
    ana = make_person(Role.learner, "Ana")
    ben = make_person(Role.learner, "Ben")
    olga = make_person(Role.learner, "Olga")
    classroom = Classroom(teacher_id=teacher.id, name="Japanese 1", language="ja")
    other = Classroom(teacher_id=other_teacher.id, name="Japanese 2", language="ja")
    session.add_all([classroom, other])
    session.flush()
    session.add_all(
        [
            Enrollment(classroom_id=classroom.id, learner_id=ana.id),
            Enrollment(classroom_id=classroom.id, learner_id=ben.id),
            Enrollment(classroom_id=other.id, learner_id=olga.id),
        ]
    )
    course = _course(session, "ja-school", "ja")
    course.owner_id = teacher.id  # the class's own course: its teacher may regroup its words
    animals, words = _group(session, course, "animals", ANIMALS)
    food, food_words = _group(session, course, "food", FOOD)
    words.update(food_words)
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
    session.add(WordGroupMember(group_id=animals.id, word_id=draft.id, position=9))
    words["bear"] = draft
    spanish_course = _course(session, "es-school", "es")
    spanish, _ = _group(session, spanish_course, "comida", [("pan", "", "bread")])
    activities.ensure_builtin_activities(session)
    session.commit()
    return School(
        teacher=teacher,
        other_teacher=other_teacher,
        ana=ana,
        ben=ben,
        olga=olga,
        classroom=classroom,
        other_classroom=other,
        course=course,
        groups={"animals": animals, "food": food},
        words=words,
        spanish_group=spanish,
    )


@pytest.fixture
def answer(session: Session) -> Callable[..., Review]:
    """Record one answer of `user` to `word` at `at`, optionally inside a study session."""

    def answer(
        user: User,
        word: Word,
        at: datetime,
        *,
        correct: bool = True,
        stage: str = "review",
        study: StudySession | None = None,
    ) -> Review:
        review = Review(
            session_id=study.id if study else None,
            user_id=user.id,
            word_id=word.id,
            rating="good" if correct else "again",
            correct=correct,
            reviewed_at=at,
            card_stage=stage,
        )
        session.add(review)
        session.commit()
        return review

    return answer


@pytest.fixture
def study_session(session: Session) -> Callable[..., StudySession]:
    """A study session of the activity (by slug) on the group, started at `at`."""

    def start(user: User, slug: str, group: WordGroup, at: datetime) -> StudySession:
        activity = activities.get_activity_by_slug(session, slug)
        study = StudySession(
            user_id=user.id, activity_id=activity.id, group_id=group.id, started_at=at
        )
        session.add(study)
        session.commit()
        return study

    return start
