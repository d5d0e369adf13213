"""Import of course content (export is in `exporter`).

An import is planned before it is applied: the plan lists every course, group, word, group
membership and lesson that would be created or changed, so a teacher can review it. Applying
runs in the caller's transaction, so a failure leaves nothing half-imported. Imports add and
update; they never delete (a file that lacks a word does not remove it from the course).
Words are matched by language, term and reading; groups and lessons by course and slug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlmodel import Session, col, select

from learn_app.models import Course, Document, Status, User, Word, WordGroup, WordGroupMember
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.content.common import (
    reindex_after_commit,
    require_course_editor,
    require_editor,
)
from learn_app.services.content.course_files import read_course_folder, read_upload
from learn_app.services.content.course_format import (
    ContentErrors,
    ContentProblem,
    CourseSpec,
    GroupSpec,
    LessonSpec,
    WordSpec,
)
from learn_app.services.content.exporter import UNGROUPED_SLUG, export_course
from learn_app.services.content.words import apply_word_spec, word_spec
from learn_app.services.errors import InvalidInput, NotFound

Action = Literal["create", "update"]
ChangeKind = Literal["course", "group", "word", "membership", "lesson"]


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    action: Action
    label: str
    detail: str = ""


@dataclass
class ImportPlan:
    course_slug: str
    course_title: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def count(self, kind: str, action: Action) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def summary(self) -> str:
        parts = []
        for kind, plural in (
            ("course", "course"),
            ("group", "groups"),
            ("word", "words"),
            ("membership", "group memberships"),
            ("lesson", "lessons"),
        ):
            new, changed = self.count(kind, "create"), self.count(kind, "update")
            if new or changed:
                parts.append(f"{plural}: {new} new, {changed} changed")
        if not parts:
            return f"Nothing to change: all {self.unchanged} items are already up to date."
        return "; ".join(parts) + f"; {self.unchanged} unchanged."


def _word_key(language: str, spec: WordSpec) -> tuple[str, str, str]:
    return (language, spec.term, spec.reading)


def _word_differences(word: Word, spec: WordSpec) -> list[str]:
    """The fields the file would change; a file that states no status leaves the status alone,
    except that a word the course archived comes back (published unless the file says draft)."""
    current = word_spec(word)
    changed = [
        name
        for name in WordSpec.model_fields
        if name != "status" and getattr(current, name) != getattr(spec, name)
    ]
    if word.status == Status.archived.value:
        changed.append("status")  # the file brings an archived word back
    elif spec.status is not None and spec.status != word.status:
        changed.append("status")
    return changed


def _lesson_differences(lesson: Document, spec: LessonSpec) -> list[str]:
    return [
        name for name in LessonSpec.model_fields if getattr(lesson, name) != getattr(spec, name)
    ]


class _Importer:
    """Walks a CourseSpec against the database; records changes and, if applying, makes them."""

    def __init__(self, session: Session, spec: CourseSpec, actor: User | None, apply: bool):
        self.session = session
        self.spec = spec
        self.actor = actor
        self.apply = apply
        self.plan = ImportPlan(course_slug=spec.slug, course_title=spec.title)

    def note(self, kind: ChangeKind, action: Action, label: str, detail: str = "") -> None:
        self.plan.changes.append(Change(kind, action, label, detail))

    def run(self) -> ImportPlan:
        course = self.course()
        words = self.words(course)
        self.groups(course, words)
        self.lessons(course)
        return self.plan

    def course(self) -> Course | None:
        spec = self.spec
        course = self.session.exec(select(Course).where(Course.slug == spec.slug)).first()
        if course is None:
            self.note("course", "create", spec.title, f"{spec.language}, {spec.level}".strip(", "))
            if not self.apply:
                return None
            course = Course(
                slug=spec.slug,
                language=spec.language,
                native_language=spec.native_language,
                title=spec.title,
                description=spec.description,
                level=spec.level,
                owner_id=self.actor.id if self.actor else None,
            )
            self.session.add(course)
            self.session.flush()
            return course
        if self.actor is not None:
            require_course_editor(self.session, self.actor, course.id)
        if course.language != spec.language:
            raise InvalidInput(
                f"The course '{spec.slug}' teaches '{course.language}', but the file says "
                f"'{spec.language}'. Fix the file's language or its slug.",
                field="language",
            )
        fields = ("native_language", "title", "description", "level")
        changed = [f for f in fields if getattr(course, f) != getattr(spec, f)]
        if changed:
            self.note("course", "update", spec.title, ", ".join(changed))
            if self.apply:
                for name in changed:
                    setattr(course, name, getattr(spec, name))
                course.updated_at = utcnow()
                self.session.add(course)
        else:
            self.plan.unchanged += 1
        return course

    def words(self, course: Course | None) -> dict[tuple[str, str, str], Word | None]:
        language = self.spec.language
        specs: dict[tuple[str, str, str], WordSpec] = {}
        for group in self.spec.groups:
            for spec in group.words:
                specs.setdefault(_word_key(language, spec), spec)
        existing = {
            (w.language, w.term, w.reading): w
            for w in self.session.exec(
                select(Word).where(
                    Word.language == language,
                    col(Word.term).in_({key[1] for key in specs}),
                )
            )
        }
        resolved: dict[tuple[str, str, str], Word | None] = {}
        for key, spec in specs.items():
            word = existing.get(key)
            label = spec.term + (f" ({spec.reading})" if spec.reading else "")
            if word is None:
                self.note("word", "create", label, spec.meaning)
                if self.apply:
                    word = Word(
                        course_id=course.id if course else None,
                        language=language,
                        term=spec.term,
                        meaning=spec.meaning,
                        status=spec.status or Status.published.value,
                        updated_by_id=self.actor.id if self.actor else None,
                    )
                    apply_word_spec(word, spec)
                    self.session.add(word)
            else:
                differences = _word_differences(word, spec)
                if differences:
                    self.note("word", "update", label, ", ".join(differences))
                    if self.apply:
                        apply_word_spec(word, spec)
                        if word.status == Status.archived.value:
                            word.status = spec.status or Status.published.value
                            word.archived_at = None
                        else:
                            word.status = spec.status or word.status
                        word.updated_at = utcnow()
                        word.updated_by_id = self.actor.id if self.actor else None
                        self.session.add(word)
                else:
                    self.plan.unchanged += 1
            resolved[key] = word
        if self.apply:
            self.session.flush()
        return resolved

    def groups(self, course: Course | None, words: dict[tuple[str, str, str], Word | None]) -> None:
        existing: dict[str, WordGroup] = {}
        members: dict[int, set[int]] = {}
        next_position: dict[int, int] = {}
        if course is not None and course.id is not None:
            existing = {
                g.slug: g
                for g in self.session.exec(
                    select(WordGroup).where(WordGroup.course_id == course.id)
                )
            }
            for group_id, word_id, position in self.session.exec(
                select(
                    WordGroupMember.group_id, WordGroupMember.word_id, WordGroupMember.position
                ).where(col(WordGroupMember.group_id).in_([g.id for g in existing.values()]))
            ):
                members.setdefault(group_id, set()).add(word_id)
                next_position[group_id] = max(next_position.get(group_id, 0), position + 1)
        for spec in self.spec.groups:
            group = existing.get(spec.slug)
            if group is None and spec.slug == UNGROUPED_SLUG:
                # How an export lists the course's words that are in no group: `words` has
                # added them to the course; making a group of them would change the course.
                continue
            if group is None:
                self.note("group", "create", spec.name, f"{len(spec.words)} words")
                if self.apply:
                    assert course is not None  # applying an import creates its course first
                    group = WordGroup(
                        course_id=course.id,
                        language=self.spec.language,
                        slug=spec.slug,
                        name=spec.name,
                        description=spec.description,
                    )
                    self.session.add(group)
                    self.session.flush()
            elif (group.name, group.description) != (spec.name, spec.description):
                self.note("group", "update", spec.name, "name or description")
                if self.apply:
                    group.name, group.description = spec.name, spec.description
                    group.updated_at = utcnow()
                    self.session.add(group)
            else:
                self.plan.unchanged += 1
            self.memberships(spec, group, members, next_position, words)

    def memberships(
        self,
        spec: GroupSpec,
        group: WordGroup | None,
        members: dict[int, set[int]],
        next_position: dict[int, int],
        words: dict[tuple[str, str, str], Word | None],
    ) -> None:
        """New members go after the group's last (a removed word leaves a gap in the
        positions, so the count of members is not always past the end)."""
        group_id = group.id if group is not None else None
        present = members.get(group_id, set()) if group_id else set()
        position = next_position.get(group_id, 0) if group_id else 0
        for word_spec_ in spec.words:
            word = words.get(_word_key(self.spec.language, word_spec_))
            if word is not None and word.id in present:
                continue
            self.note("membership", "create", f"{word_spec_.term} → {spec.name}")
            if self.apply and group is not None and word is not None:
                self.session.add(
                    WordGroupMember(group_id=group.id, word_id=word.id, position=position)
                )
                present.add(word.id)
                position += 1

    def lessons(self, course: Course | None) -> None:
        existing: dict[str, Document] = {}
        if course is not None and course.id is not None:
            existing = {
                d.slug: d
                for d in self.session.exec(select(Document).where(Document.course_id == course.id))
            }
        position = max((d.position for d in existing.values()), default=0)
        actor_id = self.actor.id if self.actor else None
        for spec in self.spec.lessons:
            lesson = existing.get(spec.slug)
            if lesson is None:
                self.note("lesson", "create", spec.title, spec.status)
                if self.apply:
                    assert course is not None  # applying an import creates its course first
                    position += 1
                    now = utcnow()
                    self.session.add(
                        Document(
                            course_id=course.id,
                            language=self.spec.language,
                            position=position,
                            author_id=actor_id,
                            updated_by_id=actor_id,
                            published_at=now if spec.status == Status.published.value else None,
                            **spec.model_dump(),
                        )
                    )
                continue
            differences = _lesson_differences(lesson, spec)
            if not differences:
                self.plan.unchanged += 1
                continue
            self.note("lesson", "update", spec.title, ", ".join(differences))
            if self.apply:
                was_published = lesson.status == Status.published.value
                for name, value in spec.model_dump().items():
                    setattr(lesson, name, value)
                lesson.archived_at = None  # a lesson the course archived comes back
                lesson.updated_at = utcnow()
                lesson.updated_by_id = actor_id
                if spec.status == Status.published.value and not was_published:
                    lesson.published_at = lesson.updated_at
                self.session.add(lesson)


def plan_import(session: Session, actor: User | None, spec: CourseSpec) -> ImportPlan:
    """What importing `spec` would change; changes nothing."""
    if actor is not None:
        require_editor(actor)
    return _Importer(session, spec, actor, apply=False).run()


def apply_import(session: Session, actor: User | None, spec: CourseSpec) -> ImportPlan:
    """Import `spec` in the caller's transaction; `actor` None means the system (CLI, start-up)."""
    if actor is not None:
        require_editor(actor)
    plan = _Importer(session, spec, actor, apply=True).run()
    session.flush()
    if not plan.is_empty:
        reindex_after_commit(session)
        audit.record(
            session,
            "content.imported",
            actor_id=actor.id if actor else None,
            course=spec.slug,
            summary=plan.summary(),
        )
    return plan


def read_import_upload(
    session: Session, actor: User, filename: str, data: bytes, *, course_id: int | None = None
) -> CourseSpec:
    """An uploaded file as the course it would import; raises ContentErrors with every problem.

    A CSV holds words only, for the course `course_id`. A row naming one of that course's groups
    adds to the group as it stands: a CSV has no column for a group's name or description, so
    they are kept, not reset to the slug and nothing.
    """
    require_editor(actor)
    course = None
    if Path(filename).suffix.lower() == ".csv":
        if course_id is None:
            raise ContentErrors(
                [
                    ContentProblem(
                        filename, None, "course_id", "choose the course these words belong to"
                    )
                ]
            )
        course = export_course(session, actor, course_id)
    spec = read_upload(filename, data, course=course)
    if course is None:
        return spec
    known = {group.slug: group for group in course.groups}
    return spec.model_copy(
        update={
            "groups": [
                group.model_copy(
                    update={
                        "name": known[group.slug].name,
                        "description": known[group.slug].description,
                    }
                )
                if group.slug in known
                else group
                for group in spec.groups
            ]
        }
    )


def load_content_folder(session: Session, folder: Path) -> list[ImportPlan]:
    """Import every course folder under `folder` (or `folder` itself if it is a course)."""
    folders = (
        [folder]
        if (folder / "course.yaml").exists()
        else sorted(p for p in folder.iterdir() if (p / "course.yaml").exists())
    )
    if not folders:
        raise NotFound(f"No course folder (with a course.yaml) found in {folder}.")
    return [apply_import(session, None, read_course_folder(path)) for path in folders]
