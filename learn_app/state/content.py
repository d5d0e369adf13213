"""What the content pages (words, groups, lessons, import) share: rows, options, errors.

Who may see or change what is decided by `learn_app.services.content`; these helpers only shape
what the services return for the browser.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.services.content import courses
from learn_app.services.content.course_format import PARTS_OF_SPEECH
from learn_app.services.content.words import WordRow as ServiceWordRow
from learn_app.state import formatting
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop

ALL = "all"
NONE = "none"  # a select's "nothing chosen" (Radix items cannot have an empty value)
JLPT_LEVELS: tuple[str, ...] = ("JLPT N5", "JLPT N4", "JLPT N3", "JLPT N2", "JLPT N1")
CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")
PART_OF_SPEECH_OPTIONS: dict[str, str] = {
    part: part.replace("-", " ").capitalize() for part in PARTS_OF_SPEECH
}
STATUS_OPTIONS: dict[str, str] = {"published": "Published", "draft": "Draft"}

__all__ = [
    "ALL",
    "CEFR_LEVELS",
    "JLPT_LEVELS",
    "NONE",
    "PART_OF_SPEECH_OPTIONS",
    "STATUS_OPTIONS",
    "CourseOption",
    "SearchablePages",
    "WordRow",
    "course_options",
    "levels_for",
    "page_label",
    "route_number",
    "word_rows",
]


@dataclasses.dataclass
class CourseOption:
    id: str
    title: str
    language: str
    language_name: str


@dataclasses.dataclass
class WordRow:
    id: int
    term: str
    reading: str
    romaji: str
    meaning: str
    part_of_speech: str
    correct: int
    wrong: int
    draft: bool


def course_options(session: Session) -> list[CourseOption]:
    return [
        CourseOption(
            id=str(course.id),
            title=course.title,
            language=course.language,
            language_name=formatting.language(course.language),
        )
        for course in courses.list_courses(session)
    ]


def word_rows(rows: list[ServiceWordRow]) -> list[WordRow]:
    return [
        WordRow(
            id=row.word.id or 0,
            term=row.word.term,
            reading=row.word.reading,
            romaji=str((row.word.parts or {}).get("romaji", "")),
            meaning=row.word.meaning,
            part_of_speech=row.word.part_of_speech.replace("-", " "),
            correct=row.correct,
            wrong=row.wrong,
            draft=row.word.status != "published",
        )
        for row in rows
    ]


def levels_for(language: str) -> tuple[str, ...]:
    """The levels a lesson in `language` is graded in: JLPT for Japanese, CEFR otherwise."""
    return JLPT_LEVELS if language == "ja" else CEFR_LEVELS


def page_label(page: int, total_pages: int, total: int, singular: str, plural: str) -> str:
    return f"Page {page} of {total_pages} · {total} {singular if total == 1 else plural}"


def route_number(path: str, position: int) -> int:
    """The id at `position` in a path like /words/12/edit (position 1 → 12); 0 if there is
    none, or if it is no id at all (/words/abc, /words/99999999999)."""
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    return id_or_zero(parts[position]) if position < len(parts) else 0


class SearchablePages(rx.State, mixin=True):
    """A list page's search box and page buttons.

    The page's own state defines `_list()`, which reads the current page of results for
    `search` and `page` and sets `total_pages` and `total` (a signed-in method: these
    handlers run in a page-event thread to call it).
    """

    search: str = ""
    page: int = 1
    total_pages: int = 1
    total: int = 0

    @rx.event
    @off_loop
    def find(self, form_data: dict[str, Any]) -> EventSpec | None:
        self.search = str(form_data.get("search", "")).strip()
        self.page = 1
        return self._list()  # type: ignore[attr-defined]

    @rx.event
    @off_loop
    def clear_search(self) -> EventSpec | None:
        self.search = ""
        self.page = 1
        return self._list()  # type: ignore[attr-defined]

    @rx.event
    @off_loop
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._list()  # type: ignore[attr-defined]
