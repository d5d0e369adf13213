"""Retrieval quality on the shipped courses: learner questions find the lesson that answers them.

The two courses in content/ are loaded and indexed once for this module; each question in
retrieval_questions.yaml is searched with its course's language and must find its lesson among
the top 5 distinct lessons for at least 90% of the questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from learn_app.models import Course, Document
from learn_app.rag.indexing import SyncReport, rebuild_index
from learn_app.rag.retrieval import search
from learn_app.rag.store import get_document_store
from sqlmodel import Session, select

pytestmark = pytest.mark.integration

QUESTIONS = Path(__file__).with_name("retrieval_questions.yaml")
HIT_AT_5_REQUIRED = 0.9


@dataclass(frozen=True)
class IndexedCourses:
    report: SyncReport
    language_of: dict[str, str]  # course slug → language
    lesson_slugs: dict[int, str]  # document id → lesson slug
    slugs_by_course: dict[str, set[str]]


@pytest.fixture(scope="module")
def indexed_courses(
    database_url: str, content_dir, load_course_folder, remove_content
) -> Iterator[IndexedCourses]:
    from learn_app.db import get_engine

    folders = sorted(p for p in content_dir.iterdir() if (p / "course.yaml").exists())
    assert folders, f"no course folders in {content_dir}"
    with Session(get_engine(), expire_on_commit=False) as session:
        remove_content(session)
        courses = [load_course_folder(session, folder) for folder in folders]
        report = rebuild_index(session)
        lessons = session.exec(select(Document)).all()
        course_slug = {c.id: c.slug for c in session.exec(select(Course)).all()}
    slugs_by_course: dict[str, set[str]] = {}
    for lesson in lessons:
        slugs_by_course.setdefault(course_slug[lesson.course_id], set()).add(lesson.slug)
    yield IndexedCourses(
        report=report,
        language_of={c.slug: c.language for c in courses},
        lesson_slugs={d.id: d.slug for d in lessons},
        slugs_by_course=slugs_by_course,
    )
    with Session(get_engine()) as session:
        remove_content(session)
    get_document_store().delete_all_documents()


def questions() -> list[tuple[str, str, str]]:
    data = yaml.safe_load(QUESTIONS.read_text("utf-8"))
    return [(course, q["question"], q["lesson"]) for course, qs in data.items() for q in qs]


def test_there_are_at_least_30_questions_and_each_names_a_real_lesson(indexed_courses) -> None:
    asked = questions()
    assert len(asked) >= 30
    unknown = [
        (course, lesson)
        for course, _, lesson in asked
        if lesson not in indexed_courses.slugs_by_course.get(course, set())
    ]
    assert unknown == [], "questions name lessons that the courses do not have"


def test_learner_questions_find_their_lesson_in_the_top_5(indexed_courses, capsys) -> None:
    hits, misses = 0, []
    asked = questions()
    for course, question, expected in asked:
        found = search(
            question,
            language=indexed_courses.language_of[course],
            source_types=["lesson"],
            limit=5,
        )
        top5 = [indexed_courses.lesson_slugs.get(p.source_id, "?") for p in found]
        if expected in top5:
            hits += 1
        else:
            misses.append(f"  [{course}] {question!r}: expected {expected}, got {top5}")
    hit_rate = hits / len(asked)

    with capsys.disabled():
        print(
            f"\nretrieval hit@5: {hits}/{len(asked)} = {hit_rate:.1%} "
            f"({indexed_courses.report.chunks_written} chunks from "
            f"{indexed_courses.report.added} sources)"
        )
        print("\n".join(misses) if misses else "  no misses")
    assert hit_rate >= HIT_AT_5_REQUIRED, "\n".join(misses)
