"""Shapes of courses, words, groups, lessons, imports and exports, and search."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self, cast

from pydantic import BaseModel, Field, computed_field, model_validator

from learn_app.api.schemas.common import (
    LanguageCode,
    PageNumber,
    Pagination,
    PerPage,
    Problem,
    RequestBody,
    ResponseBody,
    RowIdValue,
    Search,
)
from learn_app.models import Document, Status, Word
from learn_app.services.content.common import WORD_PARTS
from learn_app.services.paging import MAX_PAGE_SIZE

# --- content --------------------------------------------------------------------------------
# List endpoints answer `{items, pagination}` in the shape of the lang-portal API, so clients
# written for it read these lists as they are; extra fields are additions, never renames.

WordSort = Literal[
    "term", "reading", "romaji", "meaning", "part_of_speech", "correct", "wrong", "updated"
]
# lang-portal clients sort with `sort_by` and their own field names; ours are accepted too.
LANG_PORTAL_WORD_SORTS: dict[str, WordSort] = {
    "japanese": "term",
    "kanji": "term",
    "english": "meaning",
    "correct_count": "correct",
    "wrong_count": "wrong",
}
WordSortBy = Literal[
    "term",
    "reading",
    "romaji",
    "meaning",
    "part_of_speech",
    "correct",
    "wrong",
    "updated",
    "japanese",
    "kanji",
    "english",
    "correct_count",
    "wrong_count",
]


class CoursePublic(ResponseBody):
    id: int
    slug: str
    language: str
    native_language: str
    title: str
    description: str
    level: str
    # The teacher who created or imported it; null for the shipped courses (admins edit those).
    owner_id: int | None = None


class CourseEditorPublic(ResponseBody):
    id: int
    display_name: str


class CourseEditorAdd(RequestBody):
    """A teacher to let edit the course, by the email of their account."""

    email: str


class CourseOwnerChange(BaseModel):
    """Who owns the course: a teacher's id, or null for nobody (admins only)."""

    owner_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class WordListQuery(BaseModel):
    """Which words, in what order, which page. On `/api/words`, `language` defaults to the
    caller's target language and `all` lists every language; a group's words are all listed."""

    page: PageNumber = 1
    per_page: PerPage = MAX_PAGE_SIZE
    search: Search = ""
    sort: WordSort = "term"
    sort_by: WordSortBy | None = None  # lang-portal's name for `sort`; wins when both are sent
    order: Literal["asc", "desc"] = "asc"
    language: LanguageCode | None = None
    course_id: RowIdValue | None = None

    @model_validator(mode="after")
    def _lang_portal_sort(self) -> WordListQuery:
        if self.sort_by is not None:
            # a name that is not lang-portal's is one of WordSort's own (WordSortBy holds both)
            self.sort = LANG_PORTAL_WORD_SORTS.get(self.sort_by) or cast(WordSort, self.sort_by)
        return self


class WordsQuery(WordListQuery):
    """`/api/words` may also keep the words of one group."""

    group_id: RowIdValue | None = None


class WordPublic(ResponseBody):
    """A word with the caller's own review counts; language-specific parts as plain fields.

    `japanese` (the term of a Japanese word, in kanji or kana as the course writes it, else
    null), `spanish` (the term of a Spanish word, else null) and `english` (the meaning) repeat
    fields under the names lang-portal clients read.
    """

    id: int
    course_id: int | None
    language: str
    term: str
    reading: str
    romaji: str
    meaning: str
    part_of_speech: str
    gender: str
    verb_class: str
    example_sentence: str
    example_reading: str
    example_translation: str
    tags: list[str]
    status: Status
    correct_count: int
    wrong_count: int
    updated_at: datetime

    @computed_field
    @property
    def japanese(self) -> str | None:
        return self.term if self.language == "ja" else None

    @computed_field
    @property
    def spanish(self) -> str | None:
        return self.term if self.language == "es" else None

    @computed_field
    @property
    def english(self) -> str:
        return self.meaning

    @classmethod
    def of(cls, word: Word, *, correct: int = 0, wrong: int = 0, **extra: Any) -> Self:
        parts = word.parts or {}
        return cls.model_validate(
            {
                **word.model_dump(),
                **{name: str(parts.get(name, "")) for name in WORD_PARTS},
                "correct_count": correct,
                "wrong_count": wrong,
                **extra,
            }
        )


class GroupRef(ResponseBody):
    id: int
    name: str


class ReviewCounts(BaseModel):
    correct_count: int
    wrong_count: int


class WordDetail(WordPublic):
    """One word; `stats` repeats the counts where lang-portal's word page reads them."""

    groups: list[GroupRef]

    @computed_field
    @property
    def stats(self) -> ReviewCounts:
        return ReviewCounts(correct_count=self.correct_count, wrong_count=self.wrong_count)


class WordPage(BaseModel):
    items: list[WordPublic]
    pagination: Pagination


class WordFields(RequestBody):
    """A word's own fields; which of them a language needs is the service's to say."""

    term: str
    reading: str = ""
    romaji: str = ""
    meaning: str
    part_of_speech: str
    gender: str = ""
    verb_class: str = ""
    example_sentence: str = ""
    example_reading: str = ""
    example_translation: str = ""
    tags: list[str] = []


class WordCreate(WordFields):
    course_id: RowIdValue
    status: Status = Status.published
    group_ids: list[RowIdValue] = Field(default=[], max_length=100)


class WordChanges(RequestBody):
    """Only the fields given change; the word is checked as a whole afterwards."""

    term: str | None = None
    reading: str | None = None
    romaji: str | None = None
    meaning: str | None = None
    part_of_speech: str | None = None
    gender: str | None = None
    verb_class: str | None = None
    example_sentence: str | None = None
    example_reading: str | None = None
    example_translation: str | None = None
    tags: list[str] | None = None
    status: Status | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> WordChanges:
        if not self.model_dump(exclude_none=True):
            raise ValueError("Send at least one field to change.")
        return self


GroupSort = Literal["name", "words_count"]
GroupSortBy = Literal["name", "words_count", "word_count"]


class GroupListQuery(BaseModel):
    """Which groups, in what order, which page. `sort_by` is lang-portal's name for `sort`
    (and `words_count` its name for the number of words); `language` defaults to the caller's
    target language, `all` lists every language."""

    page: PageNumber = 1
    per_page: PerPage = MAX_PAGE_SIZE
    search: Search = ""
    sort: GroupSort = "name"
    sort_by: GroupSortBy | None = None
    order: Literal["asc", "desc"] = "asc"
    language: LanguageCode | None = None
    course_id: RowIdValue | None = None

    @model_validator(mode="after")
    def _lang_portal_sort(self) -> GroupListQuery:
        if self.sort_by is not None:
            self.sort = "words_count" if self.sort_by in ("words_count", "word_count") else "name"
        return self


class GroupStats(BaseModel):
    total_word_count: int


class GroupPublic(ResponseBody):
    """A word group; `word_count` counts the words the caller may see (`stats` repeats it
    where lang-portal's group page reads it)."""

    id: int
    course_id: int | None
    slug: str
    language: str
    name: str
    description: str
    word_count: int
    updated_at: datetime

    @computed_field
    @property
    def stats(self) -> GroupStats:
        return GroupStats(total_word_count=self.word_count)


class GroupPage(BaseModel):
    items: list[GroupPublic]
    pagination: Pagination


class GroupCreate(RequestBody):
    course_id: RowIdValue
    name: str
    description: str = ""


class GroupChanges(RequestBody):
    name: str | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> GroupChanges:
        if self.name is None and self.description is None:
            raise ValueError("Send a name or description to change.")
        return self


class GroupWordsAdd(RequestBody):
    word_ids: list[RowIdValue] = Field(min_length=1, max_length=1000)


class GroupWordsAdded(BaseModel):
    added: int
    word_count: int


class LessonListQuery(BaseModel):
    page: PageNumber = 1
    per_page: PerPage = MAX_PAGE_SIZE
    search: Search = ""
    language: LanguageCode | None = None
    course_id: RowIdValue | None = None
    status: Status | None = None


class LessonSummary(ResponseBody):
    """A lesson without its body; `author` and `updated_by` are display names."""

    id: int
    course_id: int | None
    slug: str
    kind: str
    language: str
    level: str
    title: str
    summary: str
    tags: list[str]
    status: Status
    position: int
    author: str
    updated_by: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None

    @classmethod
    def of(cls, lesson: Document, *, author: str, updated_by: str) -> Self:
        return cls.model_validate(
            {**lesson.model_dump(), "author": author, "updated_by": updated_by}
        )


class LessonPublic(LessonSummary):
    body: str


class LessonPage(BaseModel):
    items: list[LessonSummary]
    pagination: Pagination


class LessonCreate(RequestBody):
    """A new lesson, a draft unless `status` says published; `slug` defaults from the title."""

    course_id: RowIdValue
    title: str
    level: str
    body: str
    summary: str = ""
    tags: list[str] = []
    status: Status = Status.draft
    slug: str | None = None


class LessonChanges(RequestBody):
    """Only the fields given change; `status` publishes or unpublishes the lesson."""

    title: str | None = None
    level: str | None = None
    body: str | None = None
    summary: str | None = None
    tags: list[str] | None = None
    status: Status | None = None
    slug: str | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> LessonChanges:
        if not self.model_dump(exclude_none=True):
            raise ValueError("Send at least one field to change.")
        return self


# --- import and export ----------------------------------------------------------------------


class ImportChange(ResponseBody):
    kind: Literal["course", "group", "word", "membership", "lesson"]
    action: Literal["create", "update"]
    label: str
    detail: str


class ImportResult(BaseModel):
    """What an import would change (preview) or changed; `unchanged` items were left alone."""

    course: str
    summary: str
    unchanged: int
    changes: list[ImportChange]


class FileProblem(ResponseBody):
    """One thing wrong in an uploaded file: its line (CSV: row, the header is row 1), its field."""

    file: str
    line: int | None
    field: str
    message: str


class ImportRejected(Problem):
    problems: list[FileProblem]


# --- search ---------------------------------------------------------------------------------


class SearchHit(ResponseBody):
    text: str
    score: float
    source_type: str
    source_id: int
    title: str
    language: str


class SearchResults(BaseModel):
    query: str
    results: list[SearchHit]
