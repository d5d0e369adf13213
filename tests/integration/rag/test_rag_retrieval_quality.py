"""Retrieval quality on the shipped courses: learner questions find the lesson that answers them.

The courses in content/ are loaded and indexed once for this module. Each question set under
tests/data/retrieval_questions (English, Japanese script, Spanish, romaji, misspelt English) is
searched with its course's language as the filter; the expected lesson must be among the top 5
distinct lessons for the set's share of its questions. hit@5 and MRR (over the top 5) are
printed per set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from integration.rag.conftest import LearnerQuestion, learner_questions
from sqlmodel import Session, select

from learn_app.models import Course, Document
from learn_app.rag.indexing import SyncReport, rebuild_index
from learn_app.rag.retrieval import reset_retrieval, search
from learn_app.rag.store import get_document_store

pytestmark = pytest.mark.integration

# The share of each set whose lesson must be in the top 5.
HIT_AT_5_REQUIRED = {
    "english": 0.95,
    "japanese": 0.9,
    "spanish": 0.9,
    "romaji": 0.9,
    "misspelt": 0.9,
}
MINIMUM_QUESTIONS = {"english": 30, "japanese": 20, "spanish": 20, "romaji": 20, "misspelt": 20}


@dataclass(frozen=True)
class IndexedCourses:
    report: SyncReport
    language_of: dict[str, str]  # course slug → language
    lesson_slugs: dict[int, str]  # document id → lesson slug
    slugs_by_course: dict[str, set[str]]


@dataclass(frozen=True)
class SetScore:
    asked: int
    hits: int
    reciprocal_ranks: float
    misses: list[str]

    @property
    def hit_at_5(self) -> float:
        return self.hits / self.asked

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.asked


@pytest.fixture(scope="module")
def indexed_courses(
    database_url: str, content_dir, load_course_folder, remove_content, remembered_embeddings
) -> Iterator[IndexedCourses]:
    from learn_app.db import get_engine

    folders = sorted(p for p in content_dir.iterdir() if (p / "course.yaml").exists())
    assert folders, f"no course folders in {content_dir}"
    with Session(get_engine(), expire_on_commit=False) as session:
        remove_content(session)
        courses = [load_course_folder(session, folder) for folder in folders]
        report = rebuild_index(session)
        reset_retrieval()
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


def score(indexed: IndexedCourses, asked: list[LearnerQuestion]) -> SetScore:
    hits, reciprocal, misses = 0, 0.0, []
    for q in asked:
        found = search(
            q.question, language=indexed.language_of[q.course], source_types=["lesson"], limit=5
        )
        top5 = [indexed.lesson_slugs.get(p.source_id, "?") for p in found]
        if q.lesson in top5:
            hits += 1
            reciprocal += 1 / (top5.index(q.lesson) + 1)
        else:
            misses.append(f"  [{q.category}] {q.question!r}: expected {q.lesson}, got {top5}")
    return SetScore(len(asked), hits, reciprocal, misses)


def test_every_question_set_is_large_enough_and_names_real_lessons(indexed_courses) -> None:
    sets = learner_questions()
    assert set(sets) == set(MINIMUM_QUESTIONS)
    for category, asked in sets.items():
        assert len(asked) >= MINIMUM_QUESTIONS[category], category
    unknown = [
        (q.category, q.course, q.lesson)
        for asked in sets.values()
        for q in asked
        if q.lesson not in indexed_courses.slugs_by_course.get(q.course, set())
    ]
    assert unknown == [], "questions name lessons that the courses do not have"


@pytest.mark.parametrize("category", list(HIT_AT_5_REQUIRED))
def test_learner_questions_find_their_lesson_in_the_top_5(
    indexed_courses, category: str, capsys
) -> None:
    result = score(indexed_courses, learner_questions()[category])
    with capsys.disabled():
        print(
            f"\nretrieval [{category}] hit@5 {result.hits}/{result.asked} = "
            f"{result.hit_at_5:.1%}, MRR {result.mrr:.3f} "
            f"({indexed_courses.report.chunks_written} chunks from "
            f"{indexed_courses.report.added} sources)"
        )
        print("\n".join(result.misses) if result.misses else "  no misses")
    assert result.hit_at_5 >= HIT_AT_5_REQUIRED[category], "\n".join(result.misses)
