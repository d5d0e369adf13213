"""Words: the searchable list, one word's page, and the form teachers add and edit words with.

Learners see published words only and cannot change any: `learn_app.services.content` decides
both, whatever this state is asked.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.models import User
from learn_app.services.content import common
from learn_app.services.content import courses as courses_service
from learn_app.services.content import groups as groups_service
from learn_app.services.content import words as words_service
from learn_app.services.errors import NotFound, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import (
    ALL,
    NONE,
    CourseOption,
    SearchablePages,
    WordRow,
    course_options,
    page_label,
    route_number,
    word_rows,
)
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop

PER_PAGE = 25
SORTS = ("term", "reading", "meaning", "part_of_speech", "correct", "wrong")
TEXT_FIELDS = (
    "term",
    "reading",
    "romaji",
    "meaning",
    "example_sentence",
    "example_reading",
    "example_translation",
)
CHOICE_FIELDS = ("part_of_speech", "gender", "verb_class")
FORM_FIELDS = {*TEXT_FIELDS, *CHOICE_FIELDS, "tags", "status", "course"}
GENDERED_LANGUAGES = ("es", "fr", "it", "pt")

__all__ = ["GroupLink", "WordFormState", "WordRow", "WordState", "WordsState"]


@dataclasses.dataclass
class GroupLink:
    id: int
    name: str


class WordsState(SearchablePages, ProtectedState):
    loaded: bool = False
    words: list[WordRow] = []
    courses: list[CourseOption] = []
    course: str = ALL
    sort: str = "term"
    descending: bool = False

    @rx.var
    def page_label(self) -> str:
        return page_label(self.page, self.total_pages, self.total, "word", "words")

    @signed_in_handler()
    def _list(self, signed: Signed) -> None:
        if not self.courses:
            self.courses = course_options(signed.session)
        found = words_service.list_words(
            signed.session,
            signed.user,
            course_id=id_or_zero(self.course) or None,
            search=self.search,
            sort=self.sort,  # type: ignore[arg-type]
            descending=self.descending,
            page=self.page,
            per_page=PER_PAGE,
        )
        self.words = word_rows(found.items)
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total
        self.loaded = True

    @rx.event
    @off_loop
    def load(self) -> EventSpec | None:
        self.courses = []
        return self._list()

    @rx.event
    @off_loop
    def choose_course(self, course: str) -> EventSpec | None:
        self.course = course
        self.page = 1
        return self._list()

    @rx.event
    @off_loop
    def sort_by(self, key: str) -> EventSpec | None:
        """A second click on the sorted column reverses the order."""
        if key not in SORTS:
            return None
        self.descending = not self.descending if key == self.sort else False
        self.sort = key
        self.page = 1
        return self._list()


class WordState(ProtectedState):
    """One word, as its page shows it."""

    loaded: bool = False
    missing: str = ""
    error: str = ""
    word_ref: int = 0
    term: str = ""
    reading: str = ""
    romaji: str = ""
    meaning: str = ""
    part_of_speech: str = ""
    gender: str = ""
    verb_class: str = ""
    example_sentence: str = ""
    example_reading: str = ""
    example_translation: str = ""
    tags: list[str] = []
    draft: bool = False
    course_title: str = ""
    language_name: str = ""
    groups: list[GroupLink] = []
    correct: int = 0
    wrong: int = 0
    updated: str = ""

    @rx.var
    def edit_url(self) -> str:
        return f"/words/{self.word_ref}/edit"

    @rx.event
    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded = False
        self.missing = ""
        self.error = ""
        self.word_ref = route_number(self.router.url.path, 1)
        viewer = signed.user
        detail = words_service.get_word(signed.session, viewer, self.word_ref)
        word = detail.word
        course = (
            courses_service.get_course(signed.session, word.course_id) if word.course_id else None
        )
        parts = word.parts or {}
        self.term = word.term
        self.reading = word.reading
        self.romaji = str(parts.get("romaji", ""))
        self.meaning = word.meaning
        self.part_of_speech = word.part_of_speech.replace("-", " ")
        self.gender = str(parts.get("gender", ""))
        self.verb_class = str(parts.get("verb_class", ""))
        self.example_sentence = word.example_sentence
        self.example_reading = str(parts.get("example_reading", ""))
        self.example_translation = word.example_translation
        self.tags = list(word.tags or [])
        self.draft = word.status != "published"
        self.course_title = course.title if course else ""
        self.language_name = formatting.language(word.language)
        self.groups = [GroupLink(g.id or 0, g.name) for g in detail.groups]
        self.correct, self.wrong = detail.correct, detail.wrong
        self.updated = formatting.when(word.updated_at, viewer.timezone)

    @rx.event
    @signed_in_handler("error")
    def delete(self, signed: Signed) -> list[EventSpec]:
        self.error = ""
        words_service.archive_word(signed.session, signed.user, self.word_ref)
        return [rx.redirect("/words"), rx.toast.success(f"“{self.term}” was archived.")]


@dataclasses.dataclass
class GroupOption:
    id: str
    name: str


class WordFormState(ProtectedState):
    """The new-word and edit-word form. It keeps what was typed when the service says no."""

    loaded: bool = False
    denied: str = ""
    missing: str = ""
    editing_ref: int = 0
    editing_term: str = ""
    courses: list[CourseOption] = []
    course: str = ""
    groups: list[GroupOption] = []
    values: dict[str, str] = {}
    tags: str = ""
    status: str = "published"
    errors: dict[str, str] = {}
    form_key: int = 0

    @rx.var
    def language(self) -> str:
        return next((c.language for c in self.courses if c.id == self.course), "")

    @rx.var
    def course_title(self) -> str:
        return next((c.title for c in self.courses if c.id == self.course), "")

    @rx.var
    def is_japanese(self) -> bool:
        return self.language == "ja"

    @rx.var
    def has_gender(self) -> bool:
        return self.language in GENDERED_LANGUAGES

    @rx.var
    def cancel_url(self) -> str:
        return f"/words/{self.editing_ref}" if self.editing_ref else "/words"

    def _show_groups(self, session: Any, viewer: User) -> None:
        if self.editing_ref or not id_or_zero(self.course):
            self.groups = []
            return
        found = groups_service.list_groups(
            session, viewer, course_id=id_or_zero(self.course), per_page=100
        )
        self.groups = [GroupOption(str(row.group.id), row.group.name) for row in found.items]

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
            self._show_word(words_service.get_word(session, viewer, self.editing_ref).word)
        else:
            self._blank(viewer)
        self._show_groups(session, viewer)

    def _blank(self, viewer: User) -> None:
        preferred = [c.id for c in self.courses if c.language == viewer.target_language]
        self.course = (preferred or [c.id for c in self.courses] or [""])[0]
        self.values = {name: "" for name in (*TEXT_FIELDS, *CHOICE_FIELDS)}
        self.values.update({"part_of_speech": "noun", "gender": NONE, "verb_class": NONE})
        self.tags = ""
        self.status = "published"
        self.editing_term = ""

    def _show_word(self, word: Any) -> None:
        parts = word.parts or {}
        self.course = str(word.course_id or "")
        self.values = {
            "term": word.term,
            "reading": word.reading,
            "romaji": str(parts.get("romaji", "")),
            "meaning": word.meaning,
            "part_of_speech": word.part_of_speech or "noun",
            "gender": str(parts.get("gender") or NONE),
            "verb_class": str(parts.get("verb_class") or NONE),
            "example_sentence": word.example_sentence,
            "example_reading": str(parts.get("example_reading", "")),
            "example_translation": word.example_translation,
        }
        self.tags = ", ".join(word.tags or [])
        self.status = word.status
        self.editing_term = word.term

    @rx.event
    @signed_in_handler()
    def choose_course(self, signed: Signed, course: str) -> None:
        """A Japanese course asks for readings and verb classes; a Spanish one for genders."""
        self.course = course
        self._show_groups(signed.session, signed.user)

    @rx.event
    @signed_in_handler("errors", fields=FORM_FIELDS)
    def save(self, signed: Signed, form_data: dict[str, Any]) -> list[EventSpec]:
        self.errors = {}
        values: dict[str, Any] = {
            name: str(form_data.get(name, "")).strip() for name in TEXT_FIELDS
        }
        for name in CHOICE_FIELDS:
            chosen = str(form_data.get(name, "")).strip()
            values[name] = "" if chosen == NONE else chosen
        values["tags"] = [t.strip() for t in str(form_data.get("tags", "")).split(",") if t.strip()]
        status = str(form_data.get("status", "published"))
        chosen_groups = (
            id_or_zero(key.removeprefix("group-"))
            for key, value in form_data.items()
            if key.startswith("group-") and value not in ("", "off", False)
        )
        group_ids = [group_id for group_id in chosen_groups if group_id]
        session, editor = signed.session, signed.user
        if self.editing_ref:
            word = words_service.update_word(
                session, editor, self.editing_ref, values=values, status=status
            )
        else:
            if not id_or_zero(self.course):
                raise NotFound("Choose the course this word belongs to.", field="course")
            word = words_service.create_word(
                session,
                editor,
                course_id=id_or_zero(self.course),
                values=values,
                status=status,
                group_ids=group_ids,
            )
        verb = "saved" if self.editing_ref else "added"
        return [rx.redirect(f"/words/{word.id}"), rx.toast.success(f"“{word.term}” was {verb}.")]
