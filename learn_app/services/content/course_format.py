"""The course content format: validation, and reading it from YAML, JSON, CSV and Markdown.

`content/README.md` documents the format for authors. A file is checked as a whole: every
problem is reported with the file, the line (or CSV row) and the field, and nothing is loaded
from a file that has any problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

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
    status: Literal["draft", "published"] | None = None

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
    status: Literal["draft", "published"] = "published"
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
    try:
        course = CourseSpec.model_validate(data)
    except ValidationError as error:
        problems = [
            ContentProblem(file, line_of(e["loc"]), _dotted(e["loc"]), problem_message(e))
            for e in error.errors()
        ]
        course = _readable_part(data)
    located = {(p.line, p.field) for p in problems}
    for loc, message in _language_problems(course) if course else []:
        problem = ContentProblem(file, line_of(loc), _dotted(loc), message)
        if (problem.line, problem.field) not in located:
            problems.append(problem)
    if problems:
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
            GroupSpec.model_construct(slug=slug if isinstance(slug, str) else "", words=words)
        )
    return CourseSpec.model_construct(language=language, groups=groups, lessons=[])


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


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problem_message(error: dict[str, Any]) -> str:
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


def _yaml_line_finder(text: str) -> LineFinder:
    """Map a validation location (('groups', 3, 'words', 5, 'meaning')) to its 1-based line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lambda _loc: None

    def find(loc: tuple[Any, ...]) -> int | None:
        node = root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == part:
                        line = key.start_mark.line + 1
                        child = value
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line

    return find


def _load_yaml(text: str, file: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise ContentErrors(
            [
                ContentProblem(
                    file, mark.line + 1 if mark else None, "", f"not valid YAML: {problem}"
                )
            ]
        ) from None


def _load_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ContentErrors(
            [ContentProblem(file, error.lineno, "", f"not valid JSON: {error.msg}")]
        ) from None


# ---------------------------------------------------------------- readers


def parse_course_text(text: str, *, file: str, fmt: Literal["yaml", "json"]) -> CourseSpec:
    """A whole course (groups, words and optionally lessons inline) as YAML or JSON."""
    data = _load_yaml(text, file) if fmt == "yaml" else _load_json(text, file)
    # JSON is YAML too, so one line finder serves both.
    return validate_course(data, file=file, line_of=_yaml_line_finder(text))


CSV_COLUMNS = (
    "group",
    "term",
    "reading",
    "romaji",
    "meaning",
    "part_of_speech",
    "gender",
    "verb_class",
    "example_sentence",
    "example_reading",
    "example_translation",
    "tags",
    "status",
)


def parse_words_csv(text: str, *, file: str, course: CourseSpec) -> CourseSpec:
    """Rows of words, each naming its group, merged into a copy of `course`'s header.

    Rows are numbered as a spreadsheet shows them: the header is row 1. A group column holds a
    group slug; a new slug creates a group named after it.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    problems: list[ContentProblem] = []
    missing = [c for c in ("group", "term", "meaning", "part_of_speech") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing:
        problems.append(ContentProblem(file, 1, "", f"missing column(s): {', '.join(missing)}"))
    if unknown:
        problems.append(
            ContentProblem(
                file,
                1,
                "",
                f"unknown column(s): {', '.join(unknown)}; allowed: {', '.join(CSV_COLUMNS)}",
            )
        )
    if problems:
        raise ContentErrors(problems)

    groups: dict[str, dict[str, Any]] = {}
    rows: dict[tuple[str, int], int] = {}
    for row_number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        slug = row.pop("group", "")
        if not slug:
            problems.append(ContentProblem(file, row_number, "group", "this field is required"))
            continue
        group = groups.setdefault(slug, {"slug": slug, "name": _title(slug), "words": []})
        tags = row.pop("tags", "")
        word = {k: v for k, v in row.items() if v}
        word["tags"] = [t.strip() for t in re.split(r"[;,]", tags) if t.strip()]
        rows[(slug, len(group["words"]))] = row_number
        group["words"].append(word)

    data = course.model_dump(exclude={"groups", "lessons"})
    data["groups"] = list(groups.values())
    slugs = list(groups)

    def row_of(loc: tuple[Any, ...]) -> int | None:
        if len(loc) >= 4 and loc[0] == "groups" and loc[2] == "words":
            return rows.get((slugs[loc[1]], loc[3]))
        return None

    try:
        parsed = validate_course(data, file=file, line_of=row_of)
    except ContentErrors as error:
        problems.extend(_csv_fields(error.problems))
    if problems:
        raise ContentErrors(problems)
    return parsed


def _csv_fields(problems: list[ContentProblem]) -> list[ContentProblem]:
    """In a CSV, name the column, not the path inside the course structure."""
    return [
        ContentProblem(p.file, p.line, p.field.rsplit(".", 1)[-1] if p.line else p.field, p.message)
        for p in problems
    ]


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def parse_lesson_markdown(text: str, *, file: str) -> LessonSpec:
    """A lesson: YAML front matter between `---` lines, then the Markdown body."""
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", text, re.DOTALL)
    if not match:
        raise ContentErrors(
            [ContentProblem(file, 1, "", "a lesson starts with front matter between '---' lines")]
        )
    meta = _load_yaml(match.group(1), file)
    if not isinstance(meta, dict):
        raise ContentErrors([ContentProblem(file, 2, "", "the front matter must be a mapping")])
    finder = _yaml_line_finder(match.group(1))
    try:
        return LessonSpec.model_validate({**meta, "body": match.group(2).strip() + "\n"})
    except ValidationError as error:
        raise ContentErrors(
            [
                ContentProblem(
                    file,
                    (finder(e["loc"]) or 0) + 1 if e["loc"][0] != "body" else None,
                    _dotted(e["loc"]),
                    problem_message(e),
                )
                for e in error.errors()
            ]
        ) from None


def read_course_folder(folder: Path) -> CourseSpec:
    """`course.yaml` plus `lessons/*.md`, checked together; every problem in every file."""
    course_file = folder / "course.yaml"
    if not course_file.exists():
        raise ContentErrors([ContentProblem(str(course_file), None, "", "file not found")])
    problems: list[ContentProblem] = []
    lessons: list[LessonSpec] = []
    for path in sorted((folder / "lessons").glob("*.md")):
        try:
            lessons.append(parse_lesson_markdown(path.read_text("utf-8"), file=str(path)))
        except ContentErrors as error:
            problems.extend(error.problems)
    try:
        course = parse_course_text(
            course_file.read_text("utf-8"), file=str(course_file), fmt="yaml"
        )
    except ContentErrors as error:
        problems.extend(error.problems)
        raise ContentErrors(problems) from None
    if problems:
        raise ContentErrors(problems)
    course = course.model_copy(update={"lessons": [*course.lessons, *lessons]})
    return validate_course(course.model_dump(), file=str(folder))


def read_upload(filename: str, data: bytes, *, course: CourseSpec | None = None) -> CourseSpec:
    """An uploaded file, by its extension: .yaml/.yml or .json (a course), .csv (words)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ContentErrors(
            [ContentProblem(filename, None, "", "the file is larger than 5 MB; split it")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentErrors(
            [ContentProblem(filename, None, "", f"not UTF-8 text (byte {error.start})")]
        ) from None
    text = unicodedata.normalize("NFC", text)
    suffix = Path(filename).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return parse_course_text(text, file=filename, fmt="yaml")
    if suffix == ".json":
        return parse_course_text(text, file=filename, fmt="json")
    if suffix == ".csv":
        if course is None:
            raise ContentErrors(
                [ContentProblem(filename, None, "", "choose the course these words belong to")]
            )
        return parse_words_csv(text, file=filename, course=course)
    raise ContentErrors(
        [ContentProblem(filename, None, "", "use a .yaml, .yml, .json or .csv file")]
    )


# ---------------------------------------------------------------- writers


def course_to_yaml(course: CourseSpec) -> str:
    return yaml.safe_dump(
        _clean(course.model_dump()), allow_unicode=True, sort_keys=False, width=100
    )


def course_to_json(course: CourseSpec) -> str:
    return json.dumps(_clean(course.model_dump()), ensure_ascii=False, indent=2) + "\n"


def words_to_csv(course: CourseSpec) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for group in course.groups:
        for word in group.words:
            row = word.model_dump()
            row["tags"] = "; ".join(word.tags)
            writer.writerow({"group": group.slug, **row})
    return out.getvalue()


def _clean(value: Any) -> Any:
    """Leave out empty optional fields so exported files read like hand-written ones."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v not in ("", [], None)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
