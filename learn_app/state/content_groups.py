"""Word groups: the list, one group with its words, and the teacher's changes to them.

Whether the caller may change a group is decided by `learn_app.services.content`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app import db
from learn_app.models import User
from learn_app.services import paging
from learn_app.services.content import common
from learn_app.services.content import courses as courses_service
from learn_app.services.content import groups as groups_service
from learn_app.services.content import words as words_service
from learn_app.services.errors import DomainError, NotAuthenticated, NotFound
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState
from learn_app.state.content import (
    CourseOption,
    SearchablePages,
    WordRow,
    course_options,
    errors_of,
    page_label,
    route_number,
    word_rows,
)

PER_PAGE = 25
CANDIDATES = 10

__all__ = ["Candidate", "GroupRow", "GroupState", "GroupsState"]


@dataclasses.dataclass
class GroupRow:
    id: int
    name: str
    description: str
    language_name: str
    words: int


class GroupsState(SearchablePages, ProtectedState):
    loaded: bool = False
    groups: list[GroupRow] = []
    courses: list[CourseOption] = []
    create_errors: dict[str, str] = {}
    create_form_key: int = 0

    @rx.var
    def page_label(self) -> str:
        return page_label(self.page, self.total_pages, self.total, "group", "groups")

    @rx.var
    def first_course(self) -> str:
        return self.courses[0].id if self.courses else ""

    def _list(self) -> EventSpec | None:
        try:
            with db.session_scope() as session:
                viewer = self._caller(session).user
                found = groups_service.list_groups(
                    session, viewer, search=self.search, page=self.page, per_page=PER_PAGE
                )
                if common.is_editor(viewer) and not self.courses:
                    self.courses = course_options(session)
        except NotAuthenticated:
            return self._sign_in_redirect()
        self.groups = [
            GroupRow(
                id=row.group.id or 0,
                name=row.group.name,
                description=row.group.description,
                language_name=formatting.language(row.group.language),
                words=row.word_count,
            )
            for row in found.items
        ]
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total
        self.loaded = True
        return None

    @rx.event
    def load(self) -> EventSpec | None:
        self.create_errors = {}
        self.courses = []
        return self._list()

    @rx.event
    def create(self, form_data: dict[str, Any]) -> EventSpec | list[EventSpec] | None:
        self.create_errors = {}
        course = str(form_data.get("course", ""))
        try:
            with db.session_scope() as session:
                group = groups_service.create_group(
                    session,
                    self._caller(session).user,
                    course_id=int(course) if course.isdigit() else 0,
                    name=str(form_data.get("name", "")),
                    description=str(form_data.get("description", "")),
                )
                group_id, name = group.id, group.name
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.create_errors = errors_of(exc, {"name", "description"})
            return None
        self.create_form_key += 1
        return [
            rx.redirect(f"/groups/{group_id}"),
            rx.toast.success(f"Group “{name}” created. Now add its words."),
        ]


@dataclasses.dataclass
class Candidate:
    """A word that could be added to the group, and whether it already is in it."""

    id: int
    term: str
    reading: str
    meaning: str
    in_group: bool


class GroupState(ProtectedState):
    loaded: bool = False
    missing: str = ""
    message: str = ""
    error: str = ""
    group_ref: int = 0
    name: str = ""
    description: str = ""
    language: str = ""
    language_name: str = ""
    course_title: str = ""
    words: list[WordRow] = []
    page: int = 1
    total_pages: int = 1
    total: int = 0

    rename_errors: dict[str, str] = {}
    rename_open: bool = False
    rename_key: int = 0

    find_text: str = ""
    candidates: list[Candidate] = []
    searched: bool = False

    @rx.var
    def page_label(self) -> str:
        return page_label(self.page, self.total_pages, self.total, "word", "words")

    def _show(self, session: Session, viewer: User) -> None:
        group = groups_service.get_group(session, self.group_ref)
        self.name, self.description = group.name, group.description
        self.language = group.language
        self.language_name = formatting.language(group.language)
        course = courses_service.get_course(session, group.course_id) if group.course_id else None
        self.course_title = course.title if course else ""
        found = words_service.list_words(
            session, viewer, group_id=self.group_ref, page=self.page, per_page=PER_PAGE
        )
        self.words = word_rows(found.items)
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total
        if self.searched:
            self._find_candidates(session, viewer)

    def _refresh(self) -> EventSpec | None:
        try:
            with db.session_scope() as session:
                self._show(session, self._caller(session).user)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except NotFound as exc:
            self.missing = exc.message
        self.loaded = True
        return None

    def _clear_messages(self) -> None:
        self.message = ""
        self.error = ""

    @rx.event
    def load(self) -> EventSpec | None:
        self.loaded = False
        self.missing = ""
        self._clear_messages()
        self.group_ref = route_number(self.router.url.path, 1)
        self.page = 1
        self.find_text = ""
        self.candidates = []
        self.searched = False
        self.rename_open = False
        return self._refresh()

    @rx.event
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._refresh()

    @rx.event
    def set_rename_open(self, is_open: bool) -> None:
        self.rename_open = is_open
        self.rename_errors = {}
        self.rename_key += 1

    @rx.event
    def rename(self, form_data: dict[str, Any]) -> EventSpec | None:
        self._clear_messages()
        self.rename_errors = {}
        try:
            with db.session_scope() as session:
                viewer = self._caller(session).user
                groups_service.rename_group(
                    session,
                    viewer,
                    self.group_ref,
                    name=str(form_data.get("name", "")),
                    description=str(form_data.get("description", "")),
                )
                self._show(session, viewer)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.rename_errors = errors_of(exc, {"name", "description"})
            return None
        self.rename_open = False
        self.message = "The group is renamed."
        return None

    @rx.event
    def delete(self) -> EventSpec | list[EventSpec] | None:
        self._clear_messages()
        name = self.name
        try:
            with db.session_scope() as session:
                groups_service.delete_group(session, self._caller(session).user, self.group_ref)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return None
        return [
            rx.redirect("/groups"),
            rx.toast.success(f"Group “{name}” was deleted. Its words are still in the course."),
        ]

    def _find_candidates(self, session: Session, viewer: User) -> None:
        found = words_service.list_words(
            session, viewer, language=self.language, search=self.find_text, per_page=CANDIDATES
        )
        members = words_service.list_words(
            session,
            viewer,
            group_id=self.group_ref,
            search=self.find_text,
            per_page=paging.MAX_PAGE_SIZE,
        )
        in_group = {row.word.id for row in members.items}
        self.candidates = [
            Candidate(
                id=row.word.id or 0,
                term=row.word.term,
                reading=row.word.reading,
                meaning=row.word.meaning,
                in_group=row.word.id in in_group,
            )
            for row in found.items
        ]

    @rx.event
    def find_words(self, form_data: dict[str, Any]) -> EventSpec | None:
        self._clear_messages()
        self.find_text = str(form_data.get("find", "")).strip()
        self.searched = True
        try:
            with db.session_scope() as session:
                self._find_candidates(session, self._caller(session).user)
        except NotAuthenticated:
            return self._sign_in_redirect()
        return None

    @rx.event
    def add_word(self, word_id: int) -> EventSpec | None:
        self._clear_messages()
        term = next((c.term for c in self.candidates if c.id == word_id), "The word")
        try:
            with db.session_scope() as session:
                viewer = self._caller(session).user
                groups_service.add_words_to_group(session, viewer, self.group_ref, [word_id])
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return None
        self.message = f"“{term}” is now in the group."
        return self._refresh()

    @rx.event
    def remove_word(self, word_id: int) -> EventSpec | None:
        self._clear_messages()
        term = next((w.term for w in self.words if w.id == word_id), "The word")
        try:
            with db.session_scope() as session:
                viewer = self._caller(session).user
                groups_service.remove_word_from_group(session, viewer, self.group_ref, word_id)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return self._refresh()
        self.message = f"“{term}” was removed from the group; it stays in the course."
        if self.page > 1 and len(self.words) == 1:
            self.page -= 1
        return self._refresh()
