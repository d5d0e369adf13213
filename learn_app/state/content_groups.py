"""Word groups: the list, one group with its words, and the teacher's changes to them.

Whether the caller may change a group is decided by `learn_app.services.content`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import User
from learn_app.services import paging
from learn_app.services.content import common
from learn_app.services.content import courses as courses_service
from learn_app.services.content import groups as groups_service
from learn_app.services.content import words as words_service
from learn_app.services.errors import DomainError, NotFound
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import (
    CourseOption,
    SearchablePages,
    WordRow,
    course_options,
    page_label,
    route_number,
    word_rows,
)
from learn_app.state.inputs import checked_id, id_or_zero
from learn_app.state.signed_in import off_loop

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

    @signed_in_handler()
    def _list(self, signed: Signed) -> None:
        viewer = signed.user
        found = groups_service.list_groups(
            signed.session, viewer, search=self.search, page=self.page, per_page=PER_PAGE
        )
        if common.is_editor(viewer) and not self.courses:
            self.courses = course_options(signed.session)
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

    @rx.event
    @off_loop
    def load(self) -> EventSpec | None:
        self.create_errors = {}
        self.courses = []
        return self._list()

    @rx.event
    @signed_in_handler("create_errors", fields={"name", "description"})
    def create(self, signed: Signed, form_data: dict[str, Any]) -> list[EventSpec]:
        self.create_errors = {}
        group = groups_service.create_group(
            signed.session,
            signed.user,
            course_id=id_or_zero(form_data.get("course", "")),
            name=str(form_data.get("name", "")),
            description=str(form_data.get("description", "")),
        )
        self.create_form_key += 1
        return [
            rx.redirect(f"/groups/{group.id}"),
            rx.toast.success(f"Group “{group.name}” created. Now add its words."),
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

    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def _refresh(self, signed: Signed) -> None:
        self._show(signed.session, signed.user)

    def _refresh_after(self, error: DomainError) -> EventSpec | None:
        """A refusal is shown above the words, which are read again: it may be about a change
        made meanwhile elsewhere."""
        self.error = error.message
        return self._refresh()

    def _clear_messages(self) -> None:
        self.message = ""
        self.error = ""

    @rx.event
    @off_loop
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
    @off_loop
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._refresh()

    @rx.event
    def set_rename_open(self, is_open: bool) -> None:
        self.rename_open = is_open
        self.rename_errors = {}
        self.rename_key += 1

    @rx.event
    @signed_in_handler("rename_errors", fields={"name", "description"})
    def rename(self, signed: Signed, form_data: dict[str, Any]) -> None:
        self._clear_messages()
        self.rename_errors = {}
        groups_service.rename_group(
            signed.session,
            signed.user,
            self.group_ref,
            name=str(form_data.get("name", "")),
            description=str(form_data.get("description", "")),
        )
        self._show(signed.session, signed.user)
        self.rename_open = False
        self.message = "The group is renamed."

    @rx.event
    @signed_in_handler("error")
    def delete(self, signed: Signed) -> list[EventSpec]:
        self._clear_messages()
        groups_service.delete_group(signed.session, signed.user, self.group_ref)
        return [
            rx.redirect("/groups"),
            rx.toast.success(
                f"Group “{self.name}” was deleted. Its words are still in the course."
            ),
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
    @signed_in_handler()
    def find_words(self, signed: Signed, form_data: dict[str, Any]) -> None:
        self._clear_messages()
        self.find_text = str(form_data.get("find", "")).strip()
        self.searched = True
        self._find_candidates(signed.session, signed.user)

    @rx.event
    @signed_in_handler("error")
    def add_word(self, signed: Signed, word_id: int) -> None:
        self._clear_messages()
        word_id = checked_id(word_id, "word")
        term = next((c.term for c in self.candidates if c.id == word_id), "The word")
        groups_service.add_words_to_group(signed.session, signed.user, self.group_ref, [word_id])
        self.message = f"“{term}” is now in the group."
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler(_refresh_after)
    def remove_word(self, signed: Signed, word_id: int) -> None:
        self._clear_messages()
        word_id = checked_id(word_id, "word")
        term = next((w.term for w in self.words if w.id == word_id), "The word")
        groups_service.remove_word_from_group(signed.session, signed.user, self.group_ref, word_id)
        self.message = f"“{term}” was removed from the group; it stays in the course."
        if self.page > 1 and len(self.words) == 1:
            self.page -= 1
        self._show(signed.session, signed.user)
