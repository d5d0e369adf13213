"""Importing the rows a teacher kept from a proposed word list, through the content importer.

The kept rows become one group of a course file, validated as any uploaded file is (every
problem located, by the review's row number and the field) and applied by the importer in the
caller's transaction: all of it, or nothing. A row naming a word the course already has adds
that word to the group as it is stored; the row's edits do not overwrite it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlmodel import Session, func, select

from learn_app.models import Course, Status, User, WordGroup
from learn_app.services.authoring.vocabulary import (
    MAX_ROWS,
    ProposedWord,
    course_for_language,
    existing_words,
    review_rows,
    row_script_problems,
    spec_values,
)
from learn_app.services.content import common, courses, groups, importer
from learn_app.services.content import words as words_service
from learn_app.services.content.course_format import (
    ContentErrors,
    ContentProblem,
    CourseSpec,
    validate_course,
)
from learn_app.services.errors import Conflict, InvalidInput
from learn_app.services.language.text import clean_name

__all__ = ["REVIEW_FILE", "VocabularyImport", "import_reviewed"]

REVIEW_FILE = "review"


@dataclass(frozen=True)
class VocabularyImport:
    group_id: int
    group_name: str
    course_id: int
    created: int
    added_to_group: int
    summary: str
    word_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    course: Course
    slug: str
    name: str
    description: str


def _target(
    session: Session, group: int | str, language: str | None, course_id: int | None
) -> _Target:
    if isinstance(group, int) and not isinstance(group, bool):
        found = groups.get_group(session, group)
        if found.course_id is None or not found.slug:
            raise InvalidInput(
                "Words can't be imported into that group; choose another.", field="group_id"
            )
        course = courses.get_course(session, found.course_id)
        target = _Target(course, found.slug, found.name, found.description)
    else:
        name = clean_name(group, field="group_name", label="Group name", max_length=120)
        course = (
            courses.get_course(session, course_id)
            if course_id is not None
            else course_for_language(session, language or "")
        )
        taken = session.exec(
            select(WordGroup.id).where(
                WordGroup.course_id == course.id, func.lower(WordGroup.name) == name.lower()
            )
        ).first()
        if taken is not None:
            raise Conflict(
                f"The course already has a group called “{name}”: choose it from the list, "
                "or give the new group another name.",
                field="group_name",
            )
        slug = common.free_slug(session, WordGroup, course.id, name, fallback="group")
        target = _Target(course, slug, name, "")
    if language and language != target.course.language:
        raise InvalidInput("Those words are not in the language of that group.", field="language")
    return target


def import_reviewed(
    session: Session,
    teacher: User,
    rows: Sequence[Mapping[str, Any]],
    group: int | str,
    *,
    language: str | None = None,
    course_id: int | None = None,
    status: str = Status.draft.value,
) -> VocabularyImport:
    """Import the ticked rows (`keep`, true unless given) into `group` — an existing group's id,
    or the name of a new group of `course_id` (by default the first course of `language`).

    New words get `status`; a row naming a word the course already has adds that word to the
    group unchanged. The rows are validated as one course file would be: any problem, located
    by row number (as the review lists them) and field, and nothing is imported.
    """
    common.require_editor(teacher)
    kept = _kept_rows(rows, status)
    target = _target(session, group, language, course_id)
    course = target.course
    common.require_course_editor(session, teacher, course.id)
    marked = review_rows(
        session, course.language, [raw for _, raw in kept], native_language=course.native_language
    )
    spec = _checked_spec(session, target, marked, [n for n, _ in kept], status)
    plan = importer.apply_import(session, teacher, spec)
    stored = session.exec(
        select(WordGroup).where(WordGroup.course_id == course.id, WordGroup.slug == target.slug)
    ).one()
    stored_words = existing_words(session, course.language, marked)
    word_ids = [stored_words[(row.term, row.reading)].id for row in marked]
    return VocabularyImport(
        group_id=stored.id,
        group_name=stored.name,
        course_id=course.id,
        created=plan.count("word", "create"),
        added_to_group=plan.count("membership", "create"),
        summary=plan.summary(),
        word_ids=[i for i in word_ids if i is not None],
    )


def _kept_rows(
    rows: Sequence[Mapping[str, Any]], status: str
) -> list[tuple[int, Mapping[str, Any]]]:
    """The ticked rows with their row numbers (as the review lists them)."""
    if status not in (Status.draft.value, Status.published.value):
        raise InvalidInput("Status must be draft or published.", field="status")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"Import at most {MAX_ROWS} words at once.", field="rows")
    kept = [(n, raw) for n, raw in enumerate(rows, start=1) if raw.get("keep", True)]
    if not kept:
        raise InvalidInput("Tick at least one word to import.", field="rows")
    return kept


def _checked_spec(
    session: Session, target: _Target, marked: list[ProposedWord], numbers: list[int], status: str
) -> CourseSpec:
    """The kept rows as one group of a course file, validated as a course file would be: a
    word the course already has stays as it is; every problem is located by row and field."""
    course = target.course
    existing = existing_words(session, course.language, marked)
    words = []
    for row in marked:
        word = existing.get((row.term, row.reading))
        if word is not None:
            words.append(words_service.word_spec(word).model_dump(exclude_none=True))
        else:
            words.append(spec_values(course.language, row, status))
    problems = [
        ContentProblem(REVIEW_FILE, numbers[i], p.field, p.message)
        for i, row in enumerate(marked)
        if row.existing_word_id is None
        for p in row_script_problems(course.language, course.native_language, row)
    ]
    spec = None
    try:
        spec = validate_course(
            {
                "slug": course.slug,
                "language": course.language,
                "native_language": course.native_language,
                "title": course.title,
                "description": course.description,
                "level": course.level,
                "groups": [
                    {
                        "slug": target.slug,
                        "name": target.name,
                        "description": target.description,
                        "words": words,
                    }
                ],
            },
            file=REVIEW_FILE,
            line_of=partial(_row_number, numbers),
        )
    except ContentErrors as errors:
        located = {(p.line, p.field) for p in problems}
        problems += [
            p for p in errors.problems if (p.line, p.field.rsplit(".", 1)[-1]) not in located
        ]
    if problems or spec is None:
        raise ContentErrors(_by_field(sorted(problems, key=lambda p: (p.line or 0, p.field))))
    return spec


def _row_number(numbers: list[int], loc: tuple[Any, ...]) -> int | None:
    """The review's row number of a location in the course built from the kept rows."""
    if len(loc) > 3 and loc[0] == "groups" and isinstance(loc[3], int) and loc[3] < len(numbers):
        return numbers[loc[3]]
    return None


def _by_field(problems: list[ContentProblem]) -> list[ContentProblem]:
    """Name the row's field, not the path inside the course structure."""
    return [
        ContentProblem(p.file, p.line, p.field.rsplit(".", 1)[-1] if p.line else p.field, p.message)
        for p in problems
    ]
