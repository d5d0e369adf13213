"""Search: a learner's question answered with passages from the published lessons and words.

The question and the language live in the URL (`/search?q=...&lang=ja`), so a search can be
linked, reloaded and stepped back through; the page's on_load runs whatever the URL asks for.
Embedding the question runs a model on the CPU (slow the first time, while it loads), so the
search itself is a background task that holds the state lock only to write.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.rag.sources import LESSON, WORD
from learn_app.services.content.search import search_content
from learn_app.services.language.languages import TARGET_LANGUAGES
from learn_app.services.language.text import clean_search
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler

if TYPE_CHECKING:
    from learn_app.rag.retrieval import Passage

log = logging.getLogger(__name__)

ROUTE = "/search"
ALL_LANGUAGES = "all"
LANGUAGE_OPTIONS: dict[str, str] = {**TARGET_LANGUAGES, ALL_LANGUAGES: "All languages"}
MAX_RESULTS = 8
SNIPPET_CHARACTERS = 420

EMPTY_QUERY_MESSAGE = "Type a question or a few words to search for."
SEARCH_FAILED_MESSAGE = "Search isn't working right now. Please try again in a moment."

# What to try on an empty page, in the language being searched.
EXAMPLE_QUESTIONS: dict[str, tuple[str, ...]] = {
    "ja": (
        "how do I say I'm sorry politely",
        "when do I use は or が",
        "how do I ask someone to do something",
        "how do I count things",
    ),
    "es": (
        "when do I use ser vs estar",
        "how do I say I'm sorry politely",
        "por or para?",
        "how do I say I like something",
    ),
    ALL_LANGUAGES: (
        "how do I say I'm sorry politely",
        "when do I use ser vs estar",
        "when do I use は or が",
        "how do I ask a question",
    ),
}

__all__ = [
    "ALL_LANGUAGES",
    "EXAMPLE_QUESTIONS",
    "LANGUAGE_OPTIONS",
    "SearchResult",
    "SearchState",
    "language_choice",
    "plain_snippet",
    "search_url",
    "source_href",
]


@dataclasses.dataclass
class SearchResult:
    key: str
    title: str
    kind: str
    kind_label: str
    language_name: str
    snippet: str
    href: str


def language_choice(requested: str | None, target_language: str) -> str:
    """The language to search: the one asked for if the portal teaches it, else the learner's."""
    if requested in LANGUAGE_OPTIONS:
        return str(requested)
    return target_language if target_language in TARGET_LANGUAGES else ALL_LANGUAGES


def search_url(query: str, language: str) -> str:
    """The address of a search, for the browser's history and for sharing."""
    return f"{ROUTE}?{urlencode({'q': query, 'lang': language})}"


def source_href(source_type: str, source_id: int) -> str:
    """Where the lesson or word a passage came from is read."""
    return f"/words/{source_id}" if source_type == WORD else f"/lessons/{source_id}"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_HEADING = re.compile(r"^#{1,6}\s+")
_QUOTE = re.compile(r"^(?:>\s?)+")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")
_SENTENCE_END = tuple(".!?:;。！？…)」")


def _plain_line(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _EMPHASIS.sub(r"\2", line)
    if line.startswith("|"):
        line = " · ".join(cell.strip() for cell in line.strip("|").split("|"))
    return line.strip()


def plain_snippet(text: str, title: str = "", *, limit: int = SNIPPET_CHARACTERS) -> str:
    """A passage as a few lines of plain text: Markdown marks dropped, cut at a word.

    The index keeps no blank lines, so a line that goes on mid-sentence (no full stop before
    it, a small letter after) is joined to the one before it, as a Markdown reader would;
    headings, list items and table rows stay lines of their own. A lesson's first passage
    opens with its title as a heading; the card shows the title already, so that line is left
    out.
    """
    lines: list[str] = []
    joinable = False  # whether the last line may run on into the next
    for raw in text.splitlines():
        line = raw.strip()
        heading = bool(_HEADING.match(line))
        line = _QUOTE.sub("", _HEADING.sub("", line))
        row = line.startswith("|")
        block = heading or row or bool(_LIST_ITEM.match(line))
        line = _plain_line(line)
        if not line or (not lines and heading and line == title.strip()):
            continue
        if joinable and not block and line[0].islower():
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        joinable = not heading and not row and not lines[-1].endswith(_SENTENCE_END)
    snippet = "\n".join(lines)
    if len(snippet) <= limit:
        return snippet
    cut = snippet[:limit].rstrip()
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:—-") + " …"


def _result(passage: Passage) -> SearchResult:
    return SearchResult(
        key=passage.chunk_id,
        title=passage.title,
        kind=passage.source_type,
        kind_label="Lesson" if passage.source_type == LESSON else "Word",
        language_name=formatting.language(passage.language),
        snippet=plain_snippet(passage.text, passage.title),
        href=source_href(passage.source_type, passage.source_id),
    )


def _search(query: str, language: str) -> list[SearchResult] | None:
    """The passages found, or None when searching failed (the model or the index, not the
    learner: logged, and said plainly in the page)."""
    try:
        passages = search_content(
            query, language=None if language == ALL_LANGUAGES else language, limit=MAX_RESULTS
        )
    except Exception:
        log.exception("search failed")
        return None
    return [_result(passage) for passage in passages]


class SearchState(ProtectedState):
    """The search box, the language filter and the passages found."""

    query: str = ""  # the question searched for, shown in the box
    language: str = ""
    results: list[SearchResult] = []
    searched_query: str = ""  # what `results` answer, once a search has finished
    searching: bool = False
    message: str = ""
    error: str = ""
    form_key: int = 0  # re-draws the box when the URL brings a different question
    _latest_search: int = 0

    @rx.var
    def examples(self) -> list[str]:
        return list(EXAMPLE_QUESTIONS.get(self.language, EXAMPLE_QUESTIONS[ALL_LANGUAGES]))

    @rx.var
    def language_name(self) -> str:
        return LANGUAGE_OPTIONS.get(self.language, "")

    @rx.var
    def found_nothing(self) -> bool:
        return bool(self.searched_query) and not self.searching and not self.results

    @rx.var
    def show_examples(self) -> bool:
        return not self.results and not self.searching

    @rx.var
    def results_label(self) -> str:
        count = len(self.results)
        found = "1 result" if count == 1 else f"{count} results"
        return f"{found} for “{self.searched_query}”"

    def _show_query(self, query: str) -> None:
        if query != self.query:
            self.query = query
            self.form_key += 1

    def _clear_results(self) -> None:
        self._latest_search += 1  # a search still running no longer counts
        self.results = []
        self.searched_query = ""
        self.searching = False

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> EventSpec | None:
        """Check the sign-in, then search for what the URL asks, if anything."""
        self.message = ""
        self.error = ""
        params = self.router.url.query_parameters
        self.language = language_choice(params.get("lang"), signed.user.target_language)
        self._show_query(clean_search(params.get("q", "")))
        if not self.query:
            self._clear_results()
            return None
        return SearchState.run_search

    @rx.event
    def submit(self, form_data: dict[str, str]) -> EventSpec | None:
        query = clean_search(form_data.get("q", ""))
        self.message = ""
        self.error = ""
        if not query:
            self.query = ""
            self._clear_results()
            self.message = EMPTY_QUERY_MESSAGE
            return None
        return self._go_to(query)

    @rx.event
    def ask(self, question: str) -> EventSpec | None:
        """An example question, searched as if typed."""
        query = clean_search(question)
        return self._go_to(query) if query else None

    @rx.event
    def choose_language(self, language: str) -> EventSpec | None:
        """A new filter re-runs the current search in that language."""
        if language not in LANGUAGE_OPTIONS:
            return None
        self.language = language
        return self._go_to(self.query) if self.query else None

    def _go_to(self, query: str) -> EventSpec:
        """Search by moving to the search's URL; on_load then runs it."""
        params = self.router.url.query_parameters
        if params.get("q") == query and params.get("lang") == self.language:
            self._show_query(query)
            return SearchState.run_search  # the URL already says so: nothing would load
        return rx.redirect(search_url(query, self.language))

    @rx.event(background=True)
    @signed_in_handler("error", busy="searching", unexpected=SEARCH_FAILED_MESSAGE)
    async def run_search(self) -> None:
        async with self:
            self._latest_search += 1
            number = self._latest_search
            query, language, token = self.query, self.language, self.token
            self.searching = True
            self.error = ""
        await run_signed_in(token, lambda _: None)  # who asks; the search needs no session
        results = await asyncio.to_thread(_search, query, language)
        async with self:
            if number != self._latest_search:
                return  # a newer search or a cleared box has taken over
            if results is None:
                self.searching = False
                self.results = []
                self.searched_query = ""
                self.error = SEARCH_FAILED_MESSAGE
                return
            self.results = results
            self.searched_query = query
            self.searching = False
