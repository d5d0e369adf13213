"""Course files: reading YAML, JSON, CSV and Markdown into the course format, and writing it back.

Every reader reports problems with the file, line and field they concern (`ContentErrors`),
so a teacher can fix an upload without guessing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    ValidationError,
)

from learn_app.services.content.course_format import (
    MAX_UPLOAD_BYTES,
    ContentErrors,
    ContentProblem,
    CourseSpec,
    LessonSpec,
    LineFinder,
    dotted_location,
    problem_message,
    validate_course,
)


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
                    dotted_location(e["loc"]),
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
