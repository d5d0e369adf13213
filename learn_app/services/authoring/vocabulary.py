"""The vocabulary importer: a theme becomes a reviewed word list in a group of the course.

A teacher names a theme ("at the train station"); the model proposes a word list as JSON
(a Haystack pipeline: retrieve → prompt → generate → validate → repair once → rules), checked
against its schema, the script of every field and duplicates within the list. Each row is then
marked against the course: a word the course already has is flagged and unticked (ticking it
adds the existing word to the group, unchanged), a row the course format would refuse is
flagged with the reason. The teacher edits, unticks or adds rows, and the rows kept go through
the content importer (`vocabulary_import`): validated with each problem located by row and
field, then applied all at once or not at all.

With no model the rules can only offer what the course already knows: its words that match the
theme, which the teacher may tick to gather them into a group; new words need a model, or the
teacher's own hand in the review screen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from learn_app.llm import json_tasks
from learn_app.models import Course, Status, User, Word, WordGroupMember
from learn_app.rag.retrieval import Passage
from learn_app.services.content import common
from learn_app.services.content.course_format import (
    PARTS_OF_SPEECH,
    WordSpec,
    problem_message,
    word_problems,
)
from learn_app.services.errors import InvalidInput
from learn_app.services.language import kana, scripts
from learn_app.services.language.languages import language_name
from learn_app.services.language.text import clean_name

__all__ = [
    "MAX_COUNT",
    "MIN_COUNT",
    "ProposedWord",
    "RowProblem",
    "VocabularyProposal",
    "propose_words",
    "review_rows",
]

PURPOSE = "vocabulary"
MIN_COUNT, MAX_COUNT = 10, 30
TOKENS_PER_WORD = 150
MAX_ROWS = 100
MAX_THEME_CHARS = 200
ROW_FIELDS = (
    "term",
    "reading",
    "meaning",
    "part_of_speech",
    "gender",
    "verb_class",
    "example_sentence",
    "example_reading",
    "example_translation",
)
_THEME_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP_WORDS = frozenset({"the", "and", "for", "with", "from", "about", "into", "words", "word"})

_WORD_ITEM = {
    "type": "object",
    "required": [
        "term",
        "reading",
        "meaning",
        "part_of_speech",
        "example_sentence",
        "example_translation",
    ],
    "properties": {
        "term": {"type": "string", "minLength": 1, "maxLength": 200},
        "reading": {"type": "string", "maxLength": 200},
        "meaning": {"type": "string", "minLength": 1, "maxLength": 400},
        "part_of_speech": {"enum": list(PARTS_OF_SPEECH)},
        "example_sentence": {"type": "string", "maxLength": 1000},
        "example_translation": {"type": "string", "maxLength": 1000},
        "example_reading": {"type": "string", "maxLength": 1000},
        "gender": {"enum": ["masculine", "feminine", ""]},
        "verb_class": {"enum": ["godan", "ichidan", "irregular", ""]},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["words"],
    "properties": {
        "words": {"type": "array", "minItems": 1, "maxItems": MAX_ROWS, "items": _WORD_ITEM}
    },
}
FALLBACK_NOTE = (
    "Without one, the list holds only words the course already has that match the theme; "
    "generating new words needs an AI provider. You can still add rows by hand."
)


@dataclass(frozen=True)
class RowProblem:
    field: str
    message: str


@dataclass(frozen=True)
class ProposedWord:
    """One row of the review: a word to import, with what the course and the format say of it."""

    term: str
    reading: str = ""
    meaning: str = ""
    part_of_speech: str = ""
    gender: str = ""
    verb_class: str = ""
    example_sentence: str = ""
    example_reading: str = ""
    example_translation: str = ""
    existing_word_id: int | None = None
    problems: tuple[RowProblem, ...] = ()

    @property
    def duplicate(self) -> bool:
        return self.existing_word_id is not None

    @property
    def keep(self) -> bool:
        """Ticked by default: new to the course and importable as it stands."""
        return not self.duplicate and not self.problems

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ROW_FIELDS}


@dataclass(frozen=True)
class VocabularyProposal:
    theme: str
    language: str
    words: list[ProposedWord]
    provider: str
    model: str
    repaired: bool = False
    notice: str | None = None

    @property
    def offline(self) -> bool:
        return self.model == json_tasks.FALLBACK_MODEL


# ------------------------------------------------------------------------------ rows


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value if value is not None else "")).strip()


def _row(language: str, raw: Mapping[str, Any]) -> ProposedWord:
    values: dict[str, Any] = {name: _text(raw.get(name)) for name in ROW_FIELDS}
    if language != "ja":
        # Only Japanese words have a separate reading; the course stores none for the others.
        values["reading"] = values["example_reading"] = ""
    return ProposedWord(**values)


def row_script_problems(language: str, native_language: str, row: ProposedWord) -> list[RowProblem]:
    """Each field in the script it belongs in: the model is asked again, a teacher is told."""
    found = [
        *scripts.term_problems(language, row.term, row.reading),
        *scripts.gloss_problems(native_language, "meaning", row.meaning),
        *scripts.sentence_problems(language, "example_sentence", row.example_sentence),
        *scripts.reading_problems(language, "example_reading", row.example_reading),
        *scripts.gloss_problems(native_language, "example_translation", row.example_translation),
    ]
    return [RowProblem(f, m) for f, m in found]


def _format_problems(language: str, row: ProposedWord) -> list[RowProblem]:
    """What the course format would refuse: the importer's own checks."""
    try:
        spec = WordSpec.model_validate(spec_values(language, row))
    except ValidationError as error:
        return [
            RowProblem(str(e["loc"][0]) if e["loc"] else "", problem_message(e))
            for e in error.errors()
        ]
    return [RowProblem(f, m) for f, m in word_problems(language, spec)]


def spec_values(language: str, row: ProposedWord, status: str | None = None) -> dict[str, Any]:
    """The row as the course format's word; a Japanese word's romaji made from its reading."""
    values: dict[str, Any] = {k: v for k, v in row.values().items() if v}
    values.setdefault("term", "")
    values.setdefault("meaning", "")
    if language == "ja" and row.reading and "romaji" not in values:
        romaji = kana.romanise(row.reading)
        if re.fullmatch(r"[a-z' \-.,!?~]+", romaji):
            values["romaji"] = romaji
    if status is not None:
        values["status"] = status
    return values


def existing_words(
    session: Session, language: str, rows: Sequence[ProposedWord]
) -> dict[tuple[str, str], Word]:
    """The course's words the rows name, by (term, reading): the key words are unique by."""
    terms = {row.term for row in rows if row.term}
    if not terms:
        return {}
    return {
        (w.term, w.reading): w
        for w in session.exec(
            select(Word).where(Word.language == language, col(Word.term).in_(terms))
        )
    }


def review_rows(
    session: Session,
    language: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    native_language: str = "en",
) -> list[ProposedWord]:
    """The rows, tidied and marked: a word the course has, a row listed twice, a field in the
    wrong script or one the course format refuses."""
    tidy = [_row(language, raw) for raw in rows]
    existing = existing_words(session, language, tidy)
    first_row: dict[tuple[str, str], int] = {}
    marked = []
    for number, row in enumerate(tidy, start=1):
        problems = row_script_problems(language, native_language, row)
        problems += [p for p in _format_problems(language, row) if p not in problems]
        key = (row.term, row.reading)
        earlier = first_row.setdefault(key, number)
        if earlier != number and row.term:
            problems.append(RowProblem("term", f"'{row.term}' is listed twice (row {earlier})"))
        word = existing.get(key)
        marked.append(
            replace(row, existing_word_id=word.id if word else None, problems=tuple(problems))
        )
    return marked


# ------------------------------------------------------------------------------ proposing


def _theme(theme: object) -> str:
    return clean_name(theme, field="theme", label="Theme", max_length=MAX_THEME_CHARS)


def _count(count: object) -> int:
    if not isinstance(count, int) or isinstance(count, bool) or not MIN_COUNT <= count <= MAX_COUNT:
        raise InvalidInput(f"Ask for {MIN_COUNT} to {MAX_COUNT} words.", field="count")
    return count


def course_for_language(session: Session, language: str) -> Course:
    """The course a language's new words go to when the teacher names none: the oldest."""
    course = session.exec(
        select(Course).where(Course.language == language).order_by(col(Course.id))
    ).first()
    if course is None:
        raise InvalidInput("No course teaches that language yet.", field="language")
    return course


def _language_rules(language: str) -> tuple[str, str]:
    """(how the reading is written, the extra rules) for the prompt."""
    if language == "ja":
        return (
            "the whole word in kana (hiragana, or katakana for loanwords), never romaji.",
            '- verb_class: add "verb_class" (godan, ichidan or irregular) to every verb.\n'
            '- example_reading: add "example_reading", the whole example sentence in kana.',
        )
    name = language_name(language)
    return (
        f"an empty string: {name} words have no separate reading.",
        '- gender: add "gender" (masculine or feminine) to every noun.',
    )


def _check_words(
    language: str, native_language: str, data: Any, _variables: Mapping[str, Any]
) -> list[str]:
    """The model's list: every field in the right script, no word twice."""
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for n, raw in enumerate(data["words"]):
        row = _row(language, raw)
        for problem in row_script_problems(language, native_language, row):
            errors.append(f"words/{n}/{problem.field}: {problem.message}")
        first = seen.setdefault((row.term.casefold(), row.reading), n)
        if first != n:
            errors.append(f"words/{n}/term: '{row.term}' is already listed as words/{first}")
    return errors[:20]


def _theme_words(theme: str) -> list[str]:
    return [w for w in _THEME_WORD.findall(theme.lower()) if w not in _STOP_WORDS]


def _course_words_for_theme(
    session: Session,
    language: str,
    count: int,
    variables: Mapping[str, Any],
    passages: Sequence[Passage],
) -> dict[str, Any]:
    """Without a model: the course's own words about the theme — those retrieval found, then
    those whose meaning or tags name a word of the theme — words in no group first."""
    ids = [p.source_id for p in passages if p.source_type == "word"]
    keywords = _theme_words(str(variables.get("theme", "")))
    if keywords:
        matches = session.exec(
            select(Word.id)
            .where(
                Word.language == language,
                Word.status == Status.published.value,
                or_(
                    *(col(Word.meaning).ilike(f"%{k}%") for k in keywords),
                    *(func.lower(cast(Word.tags, String)).contains(k) for k in keywords),
                ),
            )
            .order_by(col(Word.id))
            .limit(count * 3)
        ).all()
        ids += [i for i in matches if i not in ids]
    if not ids:
        return {"words": []}
    words = {w.id: w for w in session.exec(select(Word).where(col(Word.id).in_(ids)))}
    grouped = set(
        session.exec(select(WordGroupMember.word_id).where(col(WordGroupMember.word_id).in_(ids)))
    )
    ordered = sorted((i for i in dict.fromkeys(ids) if i in words), key=lambda i: i in grouped)
    return {"words": [_word_row(words[i]) for i in ordered[:count]]}


def _word_row(word: Word) -> dict[str, str]:
    parts = word.parts or {}
    return {
        "term": word.term,
        "reading": word.reading,
        "meaning": word.meaning,
        "part_of_speech": word.part_of_speech,
        "gender": str(parts.get("gender", "")),
        "verb_class": str(parts.get("verb_class", "")),
        "example_sentence": word.example_sentence,
        "example_reading": str(parts.get("example_reading", "")),
        "example_translation": word.example_translation,
    }


def propose_words(
    session: Session, teacher: User, theme: str, language: str, count: int = MIN_COUNT
) -> VocabularyProposal:
    """A word list for `theme` in `language`, each row marked against the course."""
    common.require_editor(teacher)
    theme = _theme(theme)
    count = _count(count)
    course = course_for_language(session, language)
    reading_rule, language_rules = _language_rules(language)
    task = json_tasks.JsonTask(
        purpose=PURPOSE,
        system_template="vocabulary_system.txt",
        user_template="vocabulary_theme.txt",
        schema=SCHEMA,
        rules=partial(_course_words_for_theme, session, language, count),
        fallback_note=FALLBACK_NOTE,
        check=partial(_check_words, language, course.native_language),
        lesson_passages=2,
        word_passages=8,
        # A word with its reading, meaning, example and translation is ~100 tokens.
        max_tokens=TOKENS_PER_WORD * count + 256,
    )
    result = json_tasks.run_json_task(
        session,
        teacher,
        task,
        {
            "theme": theme,
            "count": count,
            "language_name": language_name(language),
            "native_language_name": language_name(course.native_language),
            "parts_of_speech": ", ".join(PARTS_OF_SPEECH),
            "reading_rule": reading_rule,
            "language_rules": language_rules,
        },
        query=theme,
        language=language,
    )
    rows = review_rows(
        session, language, result.data["words"][:count], native_language=course.native_language
    )
    return VocabularyProposal(
        theme=theme,
        language=language,
        words=rows,
        provider=result.provider,
        model=result.model,
        repaired=result.repaired,
        notice=result.notice,
    )
