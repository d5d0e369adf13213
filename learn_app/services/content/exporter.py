"""Export of course content in the import format: a whole course (drafts included) or one
group, rendered as YAML, JSON or CSV. Exporting and importing the result changes nothing:
words in no group go into a group of their own (`UNGROUPED_SLUG`), which an import maps back
to no group.
"""

from __future__ import annotations

from typing import Literal, cast

from sqlmodel import Session, col, select

from learn_app.models import Course, Document, Status, User, Word, WordGroup, WordGroupMember
from learn_app.services.content.common import require_course_editor, require_editor
from learn_app.services.content.course_files import course_to_json, course_to_yaml, words_to_csv
from learn_app.services.content.course_format import (
    CourseSpec,
    GroupSpec,
    LessonSpec,
    SpecStatus,
    WordSpec,
)
from learn_app.services.content.words import word_spec
from learn_app.services.errors import InvalidInput, NotFound

ExportFormat = Literal["yaml", "json", "csv"]
# The group an export puts the course's words that are in no group in.
UNGROUPED_SLUG = "other-words"


def _group_words(session: Session, group_ids: list[int]) -> dict[int, list[Word]]:
    rows = session.exec(
        select(WordGroupMember.group_id, Word)
        .join(Word, col(Word.id) == col(WordGroupMember.word_id))
        .where(col(WordGroupMember.group_id).in_(group_ids), Word.status != Status.archived.value)
        .order_by(col(WordGroupMember.position), col(Word.id))
    ).all()
    grouped: dict[int, list[Word]] = {}
    for group_id, word in rows:
        grouped.setdefault(group_id, []).append(word)
    return grouped


def _group_spec(group: WordGroup, words: list[Word]) -> GroupSpec:
    return GroupSpec(
        slug=group.slug or f"group-{group.id}",
        name=group.name,
        description=group.description,
        words=[WordSpec.model_validate(word_spec(w).model_dump()) for w in words],
    )


def export_course(session: Session, actor: User | None, course_id: int) -> CourseSpec:
    """The whole course, drafts included, in the import format (export → import changes nothing).

    `actor` None means the system (the CLI).
    """
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("That course does not exist.")
    if actor is not None:
        require_course_editor(session, actor, course.id)
    groups = list(
        session.exec(
            select(WordGroup).where(WordGroup.course_id == course.id).order_by(col(WordGroup.id))
        )
    )
    words_by_group = _group_words(session, [g.id for g in groups])
    group_specs = [_group_spec(g, words_by_group.get(g.id, [])) for g in groups]
    grouped_ids = {w.id for ws in words_by_group.values() for w in ws}
    loose = [
        w
        for w in session.exec(
            select(Word)
            .where(Word.course_id == course.id, Word.status != Status.archived.value)
            .order_by(col(Word.id))
        )
        if w.id not in grouped_ids
    ]
    if loose:
        group_specs.append(
            GroupSpec(
                slug=UNGROUPED_SLUG,
                name="Other words",
                description="Words of the course that are in no group.",
                words=[WordSpec.model_validate(word_spec(w).model_dump()) for w in loose],
            )
        )
    lessons = session.exec(
        select(Document)
        .where(Document.course_id == course.id, Document.status != Status.archived.value)
        .order_by(col(Document.position), col(Document.id))
    ).all()
    return CourseSpec(
        slug=course.slug,
        language=course.language,
        native_language=course.native_language,
        title=course.title,
        description=course.description,
        level=course.level,
        groups=group_specs,
        lessons=[
            LessonSpec(
                slug=d.slug,
                title=d.title,
                level=d.level,
                summary=d.summary,
                tags=list(d.tags),
                status=cast(SpecStatus, d.status),
                body=d.body,
            )
            for d in lessons
        ],
    )


def export_group(session: Session, actor: User | None, group_id: int) -> CourseSpec:
    """One group in the import format: its course's header and that group only."""
    if actor is not None:
        require_editor(actor)
    group = session.get(WordGroup, group_id)
    if group is None or group.course_id is None:
        raise NotFound("That word group does not exist.")
    course = session.get_one(Course, group.course_id)
    words = _group_words(session, [group.id]).get(group.id, [])
    return CourseSpec(
        slug=course.slug,
        language=course.language,
        native_language=course.native_language,
        title=course.title,
        description=course.description,
        level=course.level,
        groups=[_group_spec(group, words)],
    )


def render(spec: CourseSpec, fmt: ExportFormat) -> str:
    if fmt == "yaml":
        return course_to_yaml(spec)
    if fmt == "json":
        return course_to_json(spec)
    if fmt == "csv":
        return words_to_csv(spec)
    raise InvalidInput("Export as yaml, json or csv.", field="format")
