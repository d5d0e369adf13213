"""Lessons: the list, one lesson to read, and the editor teachers write lessons in.

Learners see published lessons only; `learn_app.services.content` enforces it and every
change's permission.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.models import Document, User
from learn_app.services.content import common
from learn_app.services.content import lessons as lessons_service
from learn_app.services.content.lessons import LessonRow as ServiceLessonRow
from learn_app.services.errors import NotFound, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import (
    ALL,
    CourseOption,
    SearchablePages,
    course_options,
    levels_for,
    page_label,
    route_number,
)
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop

PER_PAGE = 20
STATUS_FILTERS = (ALL, "published", "draft")
FORM_FIELDS = {"title", "course", "level", "summary", "tags", "body", "status"}
STARTER_BODY = (
    "## What you will learn\n\n"
    "One or two sentences.\n\n"
    "## Examples\n\n"
    "> Example sentence — its translation.\n\n"
    "## Common mistakes\n\n"
    "- …\n"
)

__all__ = ["LessonEditorState", "LessonListRow", "LessonState", "LessonsState"]


@dataclasses.dataclass
class LessonListRow:
    id: int
    title: str
    summary: str
    level: str
    language_name: str
    published: bool
    author: str
    changed_by: str
    changed_at: str


def _changed_by(row: ServiceLessonRow, timezone: str) -> tuple[str, str]:
    lesson = row.lesson
    return (
        row.updated_by_name or row.author_name or "—",
        formatting.when(lesson.updated_at, timezone),
    )


class LessonsState(SearchablePages, ProtectedState):
    loaded: bool = False
    lessons: list[LessonListRow] = []
    status: str = ALL

    @rx.var
    def page_label(self) -> str:
        return page_label(self.page, self.total_pages, self.total, "lesson", "lessons")

    @signed_in_handler()
    def _list(self, signed: Signed) -> None:
        viewer = signed.user
        found = lessons_service.list_lessons(
            signed.session,
            viewer,
            status=self.status if self.status != ALL else None,
            search=self.search,
            page=self.page,
            per_page=PER_PAGE,
        )
        rows = []
        for row in found.items:
            changed_by, changed_at = _changed_by(row, viewer.timezone)
            rows.append(
                LessonListRow(
                    id=row.lesson.id or 0,
                    title=row.lesson.title,
                    summary=row.lesson.summary,
                    level=row.lesson.level,
                    language_name=formatting.language(row.lesson.language),
                    published=row.lesson.status == "published",
                    author=row.author_name or "—",
                    changed_by=changed_by,
                    changed_at=changed_at,
                )
            )
        self.lessons = rows
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total
        self.loaded = True

    @rx.event
    @off_loop
    def load(self) -> EventSpec | None:
        return self._list()

    @rx.event
    @off_loop
    def choose_status(self, status: str) -> EventSpec | None:
        self.status = status if status in STATUS_FILTERS else ALL
        self.page = 1
        return self._list()


class LessonState(ProtectedState):
    """One lesson, to read; teachers also publish, unpublish or delete it here."""

    loaded: bool = False
    missing: str = ""
    error: str = ""
    lesson_ref: int = 0
    title: str = ""
    summary: str = ""
    level: str = ""
    language_name: str = ""
    tags: list[str] = []
    body: str = ""
    published: bool = False
    author: str = ""
    changed_by: str = ""
    changed_at: str = ""

    @rx.var
    def edit_url(self) -> str:
        return f"/lessons/{self.lesson_ref}/edit"

    def _show(self, row: ServiceLessonRow, viewer: User) -> None:
        lesson = row.lesson
        self.title, self.summary, self.level = lesson.title, lesson.summary, lesson.level
        self.language_name = formatting.language(lesson.language)
        self.tags = list(lesson.tags or [])
        self.body = lesson.body
        self.published = lesson.status == "published"
        self.author = row.author_name or "—"
        self.changed_by, self.changed_at = _changed_by(row, viewer.timezone)

    @rx.event
    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded = False
        self.missing = ""
        self.error = ""
        self.lesson_ref = route_number(self.router.url.path, 1)
        viewer = signed.user
        self._show(lessons_service.get_lesson(signed.session, viewer, self.lesson_ref), viewer)

    @rx.event
    @signed_in_handler("error")
    def set_published(self, signed: Signed, published: bool) -> EventSpec:
        self.error = ""
        session, viewer = signed.session, signed.user
        lessons_service.set_lesson_status(
            session, viewer, self.lesson_ref, "published" if published else "draft"
        )
        self._show(lessons_service.get_lesson(session, viewer, self.lesson_ref), viewer)
        if published:
            return rx.toast.success("Published: learners can read it and find it in Search.")
        return rx.toast.success("Unpublished: it is a draft again, hidden from learners.")

    @rx.event
    @signed_in_handler("error")
    def delete(self, signed: Signed) -> list[EventSpec]:
        self.error = ""
        lessons_service.archive_lesson(signed.session, signed.user, self.lesson_ref)
        return [rx.redirect("/lessons"), rx.toast.success(f"“{self.title}” was archived.")]


class LessonEditorState(ProtectedState):
    """The lesson editor: fields in a form, the Markdown body also here for the live preview."""

    loaded: bool = False
    denied: str = ""
    missing: str = ""
    editing_ref: int = 0
    courses: list[CourseOption] = []
    course: str = ""
    title: str = ""
    level: str = ""
    summary: str = ""
    tags: str = ""
    body: str = ""
    published: bool = False
    last_changed: str = ""
    errors: dict[str, str] = {}
    form_key: int = 0
    _intent: str = "draft"

    @rx.var
    def language(self) -> str:
        return next((c.language for c in self.courses if c.id == self.course), "")

    @rx.var
    def course_title(self) -> str:
        return next((c.title for c in self.courses if c.id == self.course), "")

    @rx.var
    def levels(self) -> list[str]:
        return list(levels_for(self.language))

    @rx.var
    def level_choice(self) -> str:
        """The lesson's level if the course's scale has it, else the scale's first level."""
        levels = levels_for(self.language)
        return self.level if self.level in levels else levels[0]

    @rx.var
    def cancel_url(self) -> str:
        return f"/lessons/{self.editing_ref}" if self.editing_ref else "/lessons"

    @rx.event
    @signed_in_handler({PermissionDenied: "denied", NotFound: "missing"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded = False
        self.denied = ""
        self.missing = ""
        self.errors = {}
        self.form_key += 1
        path = self.router.url.path
        self.editing_ref = 0 if path.rstrip("/").endswith("/new") else route_number(path, 1)
        session, viewer = signed.session, signed.user
        common.require_editor(viewer)
        self.courses = course_options(session)
        if self.editing_ref:
            row = lessons_service.get_lesson(session, viewer, self.editing_ref)
            self._show(row.lesson)
            changed_by, changed_at = _changed_by(row, viewer.timezone)
            self.last_changed = f"Last changed by {changed_by} on {changed_at}"
        else:
            self._blank(viewer)

    def _blank(self, viewer: User) -> None:
        preferred = [c.id for c in self.courses if c.language == viewer.target_language]
        self.course = (preferred or [c.id for c in self.courses] or [""])[0]
        self.title = ""
        self.level = ""
        self.summary = ""
        self.tags = ""
        self.body = STARTER_BODY
        self.published = False
        self.last_changed = ""

    def _show(self, lesson: Document) -> None:
        self.course = str(lesson.course_id or "")
        self.title, self.level, self.summary = lesson.title, lesson.level, lesson.summary
        self.tags = ", ".join(lesson.tags or [])
        self.body = lesson.body
        self.published = lesson.status == "published"

    @rx.event
    def choose_course(self, course: str) -> None:
        self.course = course

    @rx.event
    def set_body(self, body: str) -> None:
        self.body = body

    @rx.event
    def intend(self, status: str) -> None:
        """Which button submitted the form: it runs just before the form's submit event."""
        self._intent = "published" if status == "published" else "draft"

    @rx.event
    @signed_in_handler("errors", fields=FORM_FIELDS)
    def save(self, signed: Signed, form_data: dict[str, Any]) -> EventSpec | list[EventSpec]:
        self.errors = {}
        self.body = str(form_data.get("body", self.body))
        values = {
            "title": str(form_data.get("title", "")).strip(),
            "level": str(form_data.get("level", "")).strip(),
            "summary": str(form_data.get("summary", "")).strip(),
            "tags": [t.strip() for t in str(form_data.get("tags", "")).split(",") if t.strip()],
            "body": self.body,
            "status": self._intent,
        }
        session, editor = signed.session, signed.user
        if self.editing_ref:
            lesson = lessons_service.update_lesson(session, editor, self.editing_ref, values=values)
        else:
            if not id_or_zero(self.course):
                raise NotFound("Choose the course this lesson belongs to.", field="course")
            lesson = lessons_service.create_lesson(
                session, editor, course_id=id_or_zero(self.course), values=values
            )
        lesson_id = lesson.id
        if lesson.status == "published":
            return [
                rx.redirect(f"/lessons/{lesson_id}"),
                rx.toast.success("Published: learners can read it and find it in Search."),
            ]
        said = rx.toast.success("Draft saved. Only teachers can see it until you publish it.")
        if not self.editing_ref:
            return [rx.redirect(f"/lessons/{lesson_id}/edit"), said]
        self.published = False
        changed_at = formatting.when(lesson.updated_at, editor.timezone)
        self.last_changed = f"Last changed by {editor.display_name} on {changed_at}"
        return said
