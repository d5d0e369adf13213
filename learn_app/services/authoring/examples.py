"""Generated example sentences for words that have none, kept as drafts for a teacher.

The model writes one sentence per word as JSON (the Haystack JSON-task pipeline: retrieve →
prompt → generate → validate → repair once → rules); every sentence must use its word or an
inflected form of it (the cloze's own matching, `cloze.cloze_for`) and be written in the
right script, its reading in kana and its translation in the learner's language. Each becomes an
`ExampleDraft`; learners see nothing until a teacher publishes it (`example_drafts`).

With no model, a sentence the course already has is reused: another word's example that uses
the word (with its translation and reading), else a sentence of a lesson that does (its
translation left for the teacher). Words for which the course has none get no draft.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from learn_app.llm import json_tasks
from learn_app.llm.offline import sentences
from learn_app.models import Course, ExampleDraft, Status, User, Word, WordGroupMember
from learn_app.rag import retrieval
from learn_app.rag.retrieval import Passage
from learn_app.services.content import common, groups
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language import scripts
from learn_app.services.language.cloze import cloze_for
from learn_app.services.language.languages import language_name

__all__ = [
    "DRAFT",
    "DraftRun",
    "draft_examples",
    "example_problems",
    "native_language_of",
    "uses_word",
]

PURPOSE = "examples"
MAX_WORDS_PER_RUN = 20
MAX_SENTENCE_CHARS = 300
# A sentence, its reading and its translation, as JSON.
TOKENS_PER_EXAMPLE = 200
DRAFT = "draft"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["examples"],
    "properties": {
        "examples": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_WORDS_PER_RUN,
            "items": {
                "type": "object",
                "required": ["word_id", "sentence", "reading", "translation"],
                "properties": {
                    "word_id": {"type": "integer"},
                    "sentence": {"type": "string", "minLength": 1, "maxLength": MAX_SENTENCE_CHARS},
                    "reading": {"type": "string", "maxLength": 1000},
                    "translation": {"type": "string", "maxLength": 1000},
                },
            },
        }
    },
}
FALLBACK_NOTE = (
    "Without one, a sentence of the course that uses the word is offered where there is one; "
    "writing new sentences needs an AI provider."
)
# Runs of Japanese text in a lesson that mixes it with English.
_JAPANESE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々〆ー、「」・〜]+[。！？]?")
# A lesson sentence with any of these is English around a quoted word, not a usable example.
_ENGLISH = frozenset(
    {"the", "is", "are", "a", "an", "to", "and", "of", "you", "it", "in", "for", "with", "that"}
    | {"this", "like", "means", "say", "said", "sounds", "word", "words", "when", "which"}
)
_MARKDOWN = re.compile(r"[*_`#>|]+")


@dataclass(frozen=True)
class DraftRun:
    drafts: list[ExampleDraft]
    skipped: int  # words that already had an example or a draft waiting
    missing: int  # words for which no sentence could be found (offline)
    provider: str
    notice: str | None = None


# ------------------------------------------------------------------------------ checks


def _as_example(word: Word, sentence: str) -> Word:
    return Word(
        id=word.id,
        language=word.language,
        term=word.term,
        reading=word.reading,
        meaning=word.meaning,
        part_of_speech=word.part_of_speech,
        parts=dict(word.parts or {}),
        example_sentence=sentence,
    )


def uses_word(word: Word, sentence: str) -> bool:
    """The sentence has the word, or a form of it, where a cloze could blank it."""
    return cloze_for(_as_example(word, sentence)) is not None


def example_problems(
    word: Word, native_language: str, sentence: str, reading: str, translation: str
) -> list[scripts.Problem]:
    problems = scripts.sentence_problems(word.language, "sentence", sentence)
    if not problems and not uses_word(word, sentence):
        problems.append(("sentence", f"the sentence does not use {word.term} or a form of it"))
    if word.language == "ja" and not reading:
        problems.append(("reading", "give the whole sentence in kana"))
    problems += scripts.reading_problems(word.language, "reading", reading)
    problems += scripts.gloss_problems(native_language, "translation", translation)
    return problems


def _check_examples(
    words: Mapping[int, Word], native_language: str, data: Any, _variables: Mapping[str, Any]
) -> list[str]:
    errors: list[str] = []
    seen: set[int] = set()
    for n, example in enumerate(data["examples"]):
        word = words.get(example["word_id"])
        if word is None:
            errors.append(f"examples/{n}/word_id: {example['word_id']} is not one of the words")
            continue
        if word.id in seen:
            errors.append(f"examples/{n}/word_id: word {word.id} has an example already")
        seen.add(word.id)
        if not example["translation"].strip():
            errors.append(f"examples/{n}/translation: give the sentence's translation")
        errors += [
            f"examples/{n}/{field}: {message}"
            for field, message in example_problems(
                word,
                native_language,
                example["sentence"].strip(),
                example["reading"].strip(),
                example["translation"].strip(),
            )
        ]
    errors += [f"examples: no example for word_id {i}" for i in words if i not in seen]
    return errors[:20]


# ------------------------------------------------------------------------------ offline


def _from_other_words(session: Session, word: Word) -> dict[str, Any] | None:
    """Another word's example that uses this one: it comes with translation and reading."""
    query = select(Word).where(
        Word.language == word.language,
        Word.id != word.id,
        Word.status == Status.published.value,
        Word.example_sentence != "",
        Word.example_translation != "",
    )
    if word.language == "ja":  # Spanish forms (soy for ser) need not contain the term
        query = query.where(col(Word.example_sentence).contains(word.term.strip("〜~")[:1]))
    others = session.exec(query.order_by(col(Word.id)).limit(200))
    for other in others:
        if uses_word(word, other.example_sentence):
            return {
                "word_id": word.id,
                "sentence": other.example_sentence,
                "reading": str((other.parts or {}).get("example_reading", "")),
                "translation": other.example_translation,
            }
    return None


def _lesson_candidates(word: Word, passages: Sequence[Passage]) -> list[str]:
    texts = [p.text for p in passages if p.source_type == "lesson"]
    if word.language == "ja":
        return [run for text in texts for run in _JAPANESE_RUN.findall(text)]
    found = []
    for text in texts:
        for sentence in sentences(text):
            plain = " ".join(_MARKDOWN.sub("", sentence.text).split())
            tokens = {t.lower() for t in re.findall(r"[^\W\d_]+", plain)}
            if len(tokens) <= 15 and not tokens & _ENGLISH:
                found.append(plain.strip(" -:;"))
    return found


def _from_lessons(word: Word) -> dict[str, Any] | None:
    """A sentence of a lesson about the word that uses it; its translation is the teacher's."""
    passages = retrieval.search(
        f"{word.term} {word.meaning}", language=word.language, limit=4, source_types=["lesson"]
    )
    usable = [
        s
        for s in dict.fromkeys(_lesson_candidates(word, passages))
        if len(s) >= len(word.term) + 2
        and len(s) <= MAX_SENTENCE_CHARS
        and not scripts.sentence_problems(word.language, "sentence", s)
        and uses_word(word, s)
    ]
    if not usable:
        return None
    # The fullest sentence: one that ends like a sentence, then the longest.
    best = max(usable, key=lambda s: (s[-1] in "。！？.!?", len(s)))
    return {"word_id": word.id, "sentence": best, "reading": "", "translation": ""}


def _course_sentences(
    session: Session, words: Sequence[Word], _variables: Mapping[str, Any], _passages: Any
) -> dict[str, Any]:
    examples = []
    for word in words:
        found = _from_other_words(session, word) or _from_lessons(word)
        if found is not None:
            examples.append(found)
    return {"examples": examples}


# ------------------------------------------------------------------------------ drafting


def _words_to_draft(
    session: Session, word_ids: Sequence[int] | None, group_id: int | None
) -> tuple[list[Word], int]:
    """The words asked for that have no example and no draft waiting; and how many had."""
    if group_id is not None:
        groups.get_group(session, group_id)
        words = list(
            session.exec(
                select(Word)
                .join(WordGroupMember, col(WordGroupMember.word_id) == col(Word.id))
                .where(WordGroupMember.group_id == group_id)
                .order_by(col(WordGroupMember.position), col(Word.id))
            )
        )
    elif word_ids:
        found = {w.id: w for w in session.exec(select(Word).where(col(Word.id).in_(word_ids)))}
        if len(found) != len(set(word_ids)):
            raise NotFound("One of those words does not exist.")
        words = [found[i] for i in dict.fromkeys(word_ids)]
    else:
        raise InvalidInput("Choose a group, or the words that need examples.", field="group_id")
    if len({w.language for w in words}) > 1:
        raise InvalidInput("Choose words of one language at a time.", field="word_ids")
    waiting = set(
        session.exec(
            select(ExampleDraft.word_id).where(
                col(ExampleDraft.word_id).in_([w.id for w in words]), ExampleDraft.status == DRAFT
            )
        )
    )
    needing = [w for w in words if not w.example_sentence and w.id not in waiting]
    return needing, len(words) - len(needing)


def native_language_of(session: Session, word: Word) -> str:
    course = session.get(Course, word.course_id) if word.course_id else None
    return course.native_language if course else "en"


def _word_line(word: Word) -> str:
    parts = word.parts or {}
    fields = [
        f"word_id={word.id}",
        f"term={word.term}",
        f"reading={word.reading}" if word.reading else "",
        f"meaning={word.meaning}",
        f"part_of_speech={word.part_of_speech}",
        f"verb_class={parts['verb_class']}" if parts.get("verb_class") else "",
    ]
    return "; ".join(f for f in fields if f)


def draft_examples(
    session: Session,
    teacher: User,
    *,
    word_ids: Sequence[int] | None = None,
    group_id: int | None = None,
) -> DraftRun:
    """Draft an example sentence for each word of the group (or of `word_ids`) that has none
    and no draft waiting, up to MAX_WORDS_PER_RUN at a time."""
    common.require_editor(teacher)
    words, skipped = _words_to_draft(session, word_ids, group_id)
    words = words[:MAX_WORDS_PER_RUN]
    if not words:
        return DraftRun([], skipped, 0, "")
    language = words[0].language
    native = native_language_of(session, words[0])
    task = json_tasks.JsonTask(
        purpose=PURPOSE,
        system_template="examples_system.txt",
        user_template="examples_words.txt",
        schema=SCHEMA,
        rules=partial(_course_sentences, session, words),
        fallback_note=FALLBACK_NOTE,
        check=partial(_check_examples, {w.id: w for w in words}, native),
        lesson_passages=2,
        word_passages=0,
        max_tokens=TOKENS_PER_EXAMPLE * len(words) + 256,
    )
    result = json_tasks.run_json_task(
        session,
        teacher,
        task,
        {
            "language_name": language_name(language),
            "native_language_name": language_name(native),
            "reading_rule": (
                "the whole sentence in kana, never romaji."
                if language == "ja"
                else "an empty string."
            ),
            "words": "\n".join(_word_line(w) for w in words),
            "count": len(words),
        },
        query=" ".join(f"{w.term} {w.meaning}" for w in words[:5]),
        language=language,
    )
    drafts = [
        ExampleDraft(
            word_id=int(example["word_id"]),
            sentence=example["sentence"].strip(),
            reading=example["reading"].strip() if language == "ja" else "",
            translation=example["translation"].strip(),
            status=DRAFT,
            provider=result.provider,
            created_by_id=teacher.id,
        )
        for example in result.data["examples"]
    ]
    session.add_all(drafts)
    session.flush()
    return DraftRun(drafts, skipped, len(words) - len(drafts), result.provider, result.notice)
