"""Lessons, words and a clean chunk index for the retrieval specifications.

The app's `engine` fixture empties the app tables after each test but not the `rag` schema,
which lives outside the models; `empty_index` clears the chunk table around each test that
writes to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy
import yaml
from sqlmodel import Session, delete

from learn_app.models import (
    Course,
    Document,
    RagSource,
    Status,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.rag.store import ContentStore, get_document_store

pytestmark = pytest.mark.integration

CONTENT = Path(__file__).resolve().parents[3] / "content"
QUESTION_SETS = Path(__file__).resolve().parents[2] / "data" / "retrieval_questions"


@dataclass(frozen=True)
class LearnerQuestion:
    """A question as a learner types it, the course it is about and the lesson that answers it."""

    category: str  # the question set: english, japanese, spanish, romaji, misspelt
    course: str
    question: str
    lesson: str


def learner_questions() -> dict[str, list[LearnerQuestion]]:
    """Every question set under tests/data/retrieval_questions, by category (file name)."""
    sets: dict[str, list[LearnerQuestion]] = {}
    for path in sorted(QUESTION_SETS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        sets[path.stem] = [
            LearnerQuestion(path.stem, course, str(q["question"]), str(q["lesson"]))
            for course, asked in data.items()
            for q in asked
        ]
    return sets


@pytest.fixture
def empty_index(database_url: str) -> Iterator[ContentStore]:
    """The process's chunk store, empty before and after the test."""
    store = get_document_store()
    store.delete_all_documents()
    yield store
    store.delete_all_documents()


@pytest.fixture
def chunk_rows(empty_index: ContentStore) -> Callable[[], dict[str, tuple[str, str]]]:
    """Every stored chunk as id → (row version, content); the version changes on any write."""

    def rows() -> dict[str, tuple[str, str]]:
        table = f'"{empty_index.schema_name}"."{empty_index.table_name}"'
        from learn_app.db import get_engine

        with get_engine().connect() as connection:
            result = connection.execute(
                sqlalchemy.text(f"SELECT id, xmin::text, content FROM {table}")
            )
            return {row[0]: (row[1], row[2]) for row in result}

    return rows


@pytest.fixture
def course(session: Session) -> Callable[..., Course]:
    numbers = itertools.count(1)

    def make(language: str = "ja") -> Course:
        number = next(numbers)
        course = Course(slug=f"{language}-course-{number}", language=language, title="A course")
        session.add(course)
        session.commit()
        return course

    return make


@pytest.fixture
def add_lesson(session: Session) -> Callable[..., Document]:
    numbers = itertools.count(1)

    def add(
        title: str,
        body: str,
        *,
        language: str = "ja",
        summary: str = "",
        status: Status = Status.published,
        course: Course | None = None,
    ) -> Document:
        lesson = Document(
            slug=f"lesson-{next(numbers)}",
            language=language,
            level="JLPT N5" if language == "ja" else "A1",
            title=title,
            summary=summary,
            body=body,
            status=status.value,
            course_id=course.id if course else None,
        )
        session.add(lesson)
        session.commit()
        return lesson

    return add


@pytest.fixture
def add_word(session: Session) -> Callable[..., Word]:
    def add(term: str, meaning: str, *, language: str = "ja", **fields) -> Word:
        word = Word(language=language, term=term, meaning=meaning, **fields)
        session.add(word)
        session.commit()
        return word

    return add


# ------------------------------------------------------------------ the real courses, test-only


@pytest.fixture(scope="session")
def content_dir() -> Path:
    return CONTENT


@pytest.fixture(scope="session")
def load_course_folder() -> Callable[[Session, Path], Course]:
    return insert_course_folder


@pytest.fixture(scope="session")
def remove_content() -> Callable[[Session], None]:
    return remove_all_content


def insert_course_folder(session: Session, folder: Path) -> Course:
    """Put a course folder's course, words and lessons in the database, all published.

    A stand-in for the content importer (`learn_app.services.content.importer`) so these tests do
    not wait for it; it writes the same rows, without the importer's update-in-place logic.
    """
    from learn_app.services.content.course_files import read_course_folder

    spec = read_course_folder(folder)
    course = Course(
        slug=spec.slug,
        language=spec.language,
        native_language=spec.native_language,
        title=spec.title,
        description=spec.description,
        level=spec.level,
    )
    session.add(course)
    session.flush()
    words: dict[tuple[str, str], Word] = {}
    for group_spec in spec.groups:
        group = WordGroup(
            course_id=course.id,
            slug=group_spec.slug,
            language=spec.language,
            name=group_spec.name,
            description=group_spec.description,
        )
        session.add(group)
        session.flush()
        for position, word_spec in enumerate(group_spec.words):
            word = words.get(word_spec.key)
            if word is None:
                parts = {
                    k: v
                    for k, v in {
                        "romaji": word_spec.romaji,
                        "example_reading": word_spec.example_reading,
                        "gender": word_spec.gender,
                        "verb_class": word_spec.verb_class,
                    }.items()
                    if v
                }
                word = Word(
                    course_id=course.id,
                    language=spec.language,
                    term=word_spec.term,
                    reading=word_spec.reading,
                    meaning=word_spec.meaning,
                    part_of_speech=word_spec.part_of_speech,
                    example_sentence=word_spec.example_sentence,
                    example_translation=word_spec.example_translation,
                    parts=parts,
                    tags=list(word_spec.tags),
                )
                session.add(word)
                session.flush()
                words[word_spec.key] = word
            session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
    for position, lesson_spec in enumerate(spec.lessons):
        session.add(
            Document(
                course_id=course.id,
                slug=lesson_spec.slug,
                language=spec.language,
                level=lesson_spec.level,
                title=lesson_spec.title,
                summary=lesson_spec.summary,
                tags=list(lesson_spec.tags),
                body=lesson_spec.body,
                status=lesson_spec.status,
                position=position,
            )
        )
    session.commit()
    return course


def remove_all_content(session: Session) -> None:
    for table in (RagSource, WordGroupMember, WordGroup, Document, Word, Course):
        session.exec(delete(table))
    session.commit()
