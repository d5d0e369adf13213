"""The course content format: validation, and reading it from YAML, JSON, CSV and Markdown.

`content/README.md` documents the format for authors. A file is checked as a whole: every
problem is reported with the file, the line (or CSV row) and the field, and nothing is loaded
from a file that has any problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

# The statuses a course file may give; archived content is never exported or imported.
SpecStatus = Literal["draft", "published"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]

PARTS_OF_SPEECH = (
    "noun",
    "verb",
    "i-adjective",
    "na-adjective",
    "adjective",
    "adverb",
    "pronoun",
    "particle",
    "counter",
    "expression",
    "conjunction",
    "preposition",
    "interjection",
    "number",
    "determiner",
    "article",
)
LEVELS = re.compile(r"^(JLPT N[1-5]|CEFR (A1|A2|B1|B2|C1|C2)|A1|A2|B1|B2|C1|C2)$")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str) and any(
                unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text
            ):
                raise ValueError("must not contain control characters")
        return value


class WordSpec(_Spec):
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    reading: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    romaji: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    meaning: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
    part_of_speech: Literal[PARTS_OF_SPEECH]  # type: ignore[valid-type]
    gender: Literal["masculine", "feminine", ""] = ""
    verb_class: Literal["godan", "ichidan", "irregular", ""] = ""
    example_sentence: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    example_reading: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    example_translation: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=1000)
    ] = ""
    tags: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]] = []
    # Only drafts need to say so: a word that does not state its status is published when
    # created, and an import leaves a stored word's status alone unless the file states one.
    status: SpecStatus | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.term, self.reading)


class GroupSpec(_Spec):
    slug: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    words: list[WordSpec] = []


class LessonSpec(_Spec):
    slug: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    level: Annotated[str, StringConstraints(strip_whitespace=True, pattern=LEVELS.pattern)]
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    tags: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]] = []
    status: SpecStatus = "published"
    body: Annotated[str, StringConstraints(min_length=1, max_length=200_000)]


class CourseSpec(_Spec):
    slug: Slug
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    native_language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    level: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    groups: list[GroupSpec] = Field(default_factory=list)
    lessons: list[LessonSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong in a file, located as precisely as the format allows."""

    file: str
    line: int | None  # 1-based line, or CSV row counting the header as row 1
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


class ContentErrors(Exception):
    """A file (or course folder) that cannot be loaded; `problems` lists everything found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s):\n{shown}{more}")


LineFinder = Callable[[tuple[Any, ...]], int | None]


# ---------------------------------------------------------------- language-specific checks

_KANA = re.compile(r"^[\u3040-\u309f\u30a0-\u30ff\u30fc\s、。！？「」・〜ー（）()!?.,\-\u3000]*$")


def _language_problems(course: CourseSpec) -> list[tuple[tuple[Any, ...], str]]:
    """Checks that depend on the course's language, as (location, message) pairs."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    seen_groups: dict[str, int] = {}
    seen_words: dict[tuple[str, str], tuple[int, int]] = {}
    for g, group in enumerate(course.groups):
        if group.slug in seen_groups:
            problems.append(
                (("groups", g, "slug"), f"group slug '{group.slug}' is used twice in this course")
            )
        seen_groups.setdefault(group.slug, g)
        for w, word in enumerate(group.words):
            if word is _UNREADABLE_WORD:
                continue
            loc = ("groups", g, "words", w)
            first = seen_words.setdefault(word.key, (g, w))
            if first[0] == g and first != (g, w):
                problems.append(
                    ((*loc, "term"), f"'{word.term}' is listed twice in group '{group.slug}'")
                )
            problems.extend(((*loc, f), m) for f, m in word_problems(course.language, word))
    seen_lessons: set[str] = set()
    for n, lesson in enumerate(course.lessons):
        if lesson.slug in seen_lessons:
            problems.append((("lessons", n, "slug"), f"lesson slug '{lesson.slug}' is used twice"))
        seen_lessons.add(lesson.slug)
    return problems


def word_problems(language: str, word: WordSpec) -> list[tuple[str, str]]:
    problems = []
    if language == "ja":
        if not word.reading:
            problems.append(("reading", "Japanese words need a reading in kana"))
        elif not _KANA.match(word.reading):
            problems.append(("reading", f"'{word.reading}' is not written in kana only"))
        if word.romaji and not re.fullmatch(r"[a-z' \-.,!?~]+", word.romaji):
            problems.append(("romaji", f"'{word.romaji}' should be lower-case Latin letters"))
        if word.example_reading and not _KANA.match(word.example_reading):
            problems.append(("example_reading", "the example's reading must be in kana only"))
        if word.gender:
            problems.append(("gender", "Japanese nouns have no grammatical gender"))
    else:
        if word.romaji or word.example_reading:
            problems.append(("romaji", "romaji and example_reading are for Japanese only"))
        if word.verb_class:
            problems.append(("verb_class", "verb_class is for Japanese verbs only"))
    if word.part_of_speech == "verb" and language == "ja" and not word.verb_class:
        problems.append(
            ("verb_class", "Japanese verbs need a verb_class: godan, ichidan or irregular")
        )
    if word.part_of_speech == "noun" and language in {"es", "fr", "it", "pt"} and not word.gender:
        problems.append(("gender", "nouns need a gender: masculine or feminine"))
    if word.example_sentence and not word.example_translation:
        problems.append(("example_translation", "an example sentence needs its translation"))
    return problems


# ---------------------------------------------------------------- validation with locations


def validate_course(data: Any, *, file: str, line_of: LineFinder | None = None) -> CourseSpec:
    """Validate a course document (already parsed); raise ContentErrors listing every problem.

    Field errors and language rules are both reported in one pass: a word that fails its field
    checks is still checked against the rules of the course's language if it can be read.
    """
    line_of = line_of or (lambda _loc: None)
    if not isinstance(data, dict):
        raise ContentErrors([ContentProblem(file, 1, "", "expected a course (a mapping) here")])
    problems: list[ContentProblem] = []
    course: CourseSpec | None
    try:
        course = CourseSpec.model_validate(data)
    except ValidationError as error:
        problems = [
            ContentProblem(file, line_of(e["loc"]), dotted_location(e["loc"]), problem_message(e))
            for e in error.errors()
        ]
        course = _readable_part(data)
    located = {(p.line, p.field) for p in problems}
    for loc, message in _language_problems(course) if course else []:
        problem = ContentProblem(file, line_of(loc), dotted_location(loc), message)
        if (problem.line, problem.field) not in located:
            problems.append(problem)
    if problems or course is None:  # no course comes only with a validation problem
        raise ContentErrors(problems)
    return course


def _readable_part(data: dict[str, Any]) -> CourseSpec | None:
    """The course with only the words that pass their field checks, for the language rules.

    Word positions are kept (a failing word becomes an empty placeholder that no rule flags), so
    locations still point into the original file.
    """
    language = data.get("language")
    if not isinstance(language, str):
        return None
    groups = []
    for raw_group in data.get("groups") or []:
        if not isinstance(raw_group, dict):
            continue
        words = []
        for raw_word in raw_group.get("words") or []:
            try:
                words.append(WordSpec.model_validate(raw_word))
            except ValidationError:
                words.append(_UNREADABLE_WORD)
        slug = raw_group.get("slug")
        groups.append(
            GroupSpec.model_construct(
                slug=slug if isinstance(slug, str) else "", name="", words=words
            )
        )
    return CourseSpec.model_construct(
        slug="", title="", language=language, groups=groups, lessons=[]
    )


_UNREADABLE_WORD = WordSpec.model_construct(
    term="\x00",
    reading="\x00",
    meaning="",
    part_of_speech="expression",
    romaji="",
    gender="",
    verb_class="",
    example_sentence="",
    example_reading="",
    example_translation="",
    tags=[],
)


def dotted_location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problem_message(error: ErrorDetails) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field (check its spelling)"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}"
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "slug":
        return "use lower-case letters, digits and dashes only, e.g. 'core-verbs'"
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "level":
        return "use a JLPT level (JLPT N5 … JLPT N1) or a CEFR level (A1 … C2)"
    if kind == "string_pattern_mismatch" and error["loc"][-1] in ("language", "native_language"):
        return "use a two-letter language code, e.g. 'ja' or 'es'"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return str(error.get("msg", "is not valid"))
