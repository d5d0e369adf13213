"""The sentence constructor's two model tasks, each a JSON task pipeline (`rag.chains`):
retrieve → prompt → generate → validate → repair once → the course's rules.

"sentence-hints" asks for the three hints at once; "sentence-check" judges an attempt the rules
found wrong (it may be right in other words) and says what to fix. The model is told the
course's sentence, as delimited data it must not reveal, so its hints are accurate; a reply
with the sentence in any field — as written, in kana or in romaji — fails validation like
malformed JSON, gets one repair, and otherwise gives way to the rules. The rules' own hints
and feedback are put through the same test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlmodel import Session

from learn_app.llm import json_tasks
from learn_app.models import User, Word
from learn_app.services.language.languages import language_name
from learn_app.services.language.sentence_parts import pieces
from learn_app.services.tutor.sentence_answers import Comparison, Reference, leaks
from learn_app.services.tutor.sentence_hints import clues, structure, vocabulary

__all__ = [
    "CHECK_SCHEMA",
    "HINTS_SCHEMA",
    "example_reading",
    "reference_of",
    "run_check",
    "run_hints",
]

HINTS_NOTE = "These hints come from the course's word list and grammar rules."
CHECK_NOTE = "This feedback compares your words with the course's sentence."
UNSHOWN_STRUCTURE = "[one word or set phrase]"
UNSHOWN_FEEDBACK = "Not the course's sentence yet: the hints can help."
NO_READING = "(none)"
LEAK_PROBLEM = (
    "a field gives away the reference sentence (or its reading or romanisation); hints and "
    "feedback must never contain the answer"
)

HINTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["vocabulary", "structure", "clues"],
    "properties": {
        "vocabulary": {
            "type": "array",
            "minItems": 1,
            "maxItems": 15,
            "items": {
                "type": "object",
                "required": ["term", "meaning"],
                "properties": {
                    "term": {"type": "string", "minLength": 1, "maxLength": 80},
                    "reading": {"type": "string", "maxLength": 120},
                    "meaning": {"type": "string", "minLength": 1, "maxLength": 200},
                },
            },
        },
        "structure": {"type": "string", "minLength": 1, "maxLength": 300},
        "clues": {
            "type": "array",
            "minItems": 1,
            "maxItems": 6,
            "items": {"type": "string", "minLength": 1, "maxLength": 400},
        },
    },
}
CHECK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["correct", "feedback"],
    "properties": {
        "correct": {"type": "boolean"},
        "feedback": {"type": "string", "minLength": 1, "maxLength": 800},
    },
}


def example_reading(word: Word) -> str:
    """The kana of a Japanese example sentence, as the course gives it ("" if none)."""
    return str((word.parts or {}).get("example_reading", "") or "")


def reference_of(word: Word, words: Sequence[Word]) -> Reference:
    """The word's example sentence as the reference to check against, cut into pieces."""
    return Reference(
        language=word.language,
        sentence=word.example_sentence,
        reading=example_reading(word) if word.language == "ja" else "",
        pieces=pieces(word.example_sentence, word.language, words, item_word=word),
    )


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _leak_problems(data: Any, variables: Mapping[str, Any]) -> list[str]:
    """The model's reply must not give the sentence away, in any of its fields."""
    reading = str(variables["reference_reading"])
    reference = Reference(
        language=str(variables["language"]),
        sentence=str(variables["reference"]),
        reading="" if reading == NO_READING else reading,
        pieces=[],
    )
    return [LEAK_PROBLEM] if any(leaks(text, reference) for text in _strings(data)) else []


def _variables(reference: Reference, word: Word, user: User) -> dict[str, Any]:
    """What the prompts are filled with (escaped as data by the pipeline). The learner is
    known only by their own language."""
    course_words = "\n".join(
        row["term"] + (f" ({row['reading']})" if row["reading"] else "") + f": {row['meaning']}"
        for row in vocabulary(reference.pieces, word)
    )
    return {
        "language": word.language,
        "language_name": language_name(word.language),
        "native_language_name": language_name(user.native_language),
        "english": word.example_translation,
        "reference": word.example_sentence,
        "reference_reading": example_reading(word) or NO_READING,
        "course_words": course_words or NO_READING,
    }


HINTS_TASK = json_tasks.JsonTask(
    purpose="sentence-hints",
    system_template="sentence_hints_system.txt",
    user_template="sentence_hints.txt",
    schema=HINTS_SCHEMA,
    rules=lambda _variables, _passages: {},  # each sentence's own, in `run_hints`
    fallback_note=HINTS_NOTE,
    check=_leak_problems,
    lesson_passages=2,
    word_passages=0,
)
CHECK_TASK = json_tasks.JsonTask(
    purpose="sentence-check",
    system_template="sentence_hints_system.txt",
    user_template="sentence_check.txt",
    schema=CHECK_SCHEMA,
    rules=lambda _variables, _passages: {},  # each attempt's comparison, in `run_check`
    fallback_note=CHECK_NOTE,
    check=_leak_problems,
    lesson_passages=2,
    word_passages=0,
)


def offline_hints(reference: Reference, word: Word) -> dict[str, Any]:
    """The rules' hints, less any that would be the whole sentence (a sentence that is one
    course word, say)."""
    found = reference.pieces
    order = structure(found, word.language)
    return {
        "vocabulary": [
            row
            for row in vocabulary(found, word)
            if not any(leaks(text, reference) for text in row.values())
        ],
        "structure": UNSHOWN_STRUCTURE if leaks(order, reference) else order,
        "clues": [clue for clue in clues(found, word.language) if not leaks(clue, reference)],
    }


def run_hints(
    session: Session, user: User, word: Word, reference: Reference
) -> json_tasks.TaskResult:
    """The three hints for the word's sentence: {vocabulary, structure, clues}."""
    offline = offline_hints(reference, word)
    return json_tasks.run_json_task(
        session,
        user,
        dataclasses.replace(HINTS_TASK, rules=lambda _v, _p: offline),
        _variables(reference, word, user),
        query=f"{word.example_sentence} {word.example_translation}",
        language=word.language,
    )


def run_check(
    session: Session,
    user: User,
    word: Word,
    reference: Reference,
    attempt: str,
    comparison: Comparison,
) -> json_tasks.TaskResult:
    """The model's verdict on an attempt the rules found wrong: {correct, feedback}; the
    rules' comparison when there is no usable reply."""
    note = UNSHOWN_FEEDBACK if leaks(comparison.note, reference) else comparison.note
    offline = {"correct": False, "feedback": note}
    return json_tasks.run_json_task(
        session,
        user,
        dataclasses.replace(CHECK_TASK, rules=lambda _v, _p: offline),
        _variables(reference, word, user) | {"attempt": attempt},
        query=word.example_sentence,
        language=word.language,
    )
