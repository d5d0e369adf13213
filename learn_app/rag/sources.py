"""What the index holds for each published lesson and word, read from the database.

A source's `content_hash` covers exactly what gets embedded and stored — the text and the
meta that travels with every chunk — so a change anywhere in it (a corrected meaning, a
lesson moved to another level) re-indexes that source, and nothing else does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from learn_app.models import Document, Status, Word

LESSON = "lesson"
WORD = "word"
# Bump when the text layout below or the chunking changes: every source is then re-indexed.
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class IndexedSource:
    """One lesson or word as the index sees it: its text and the meta of its chunks."""

    source_type: str
    source_id: int
    text: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.source_type, self.source_id)

    @property
    def document_id(self) -> str:
        """The id of the whole source; its chunks are `{document_id}-{n}`."""
        return f"{self.source_type}-{self.source_id}"

    @property
    def content_hash(self) -> str:
        payload = json.dumps(
            {"format": FORMAT_VERSION, "text": self.text, "meta": self.meta},
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def lesson_source(lesson: Document) -> IndexedSource:
    parts = [f"# {lesson.title}"]
    if lesson.summary:
        parts.append(lesson.summary)
    parts.append(lesson.body)
    assert lesson.id is not None
    return IndexedSource(
        source_type=LESSON,
        source_id=lesson.id,
        text="\n\n".join(p.strip() for p in parts if p.strip()),
        meta={
            "source_type": LESSON,
            "source_id": lesson.id,
            "title": lesson.title,
            "language": lesson.language,
            "level": lesson.level,
            "course_id": lesson.course_id,
            "slug": lesson.slug,
            "kind": lesson.kind,
        },
    )


def word_source(word: Word) -> IndexedSource:
    """A short passage a learner's question about the word can land on."""
    romaji = str(word.parts.get("romaji") or "")
    spelled = [s for s in (word.reading if word.reading != word.term else "", romaji) if s]
    head = word.term + (f" ({', '.join(spelled)})" if spelled else "")
    lines = [f"{head}: {word.meaning}"]
    grammar = [word.part_of_speech, str(word.parts.get("gender") or "")]
    grammar.append(str(word.parts.get("verb_class") or ""))
    if any(grammar):
        lines.append("Part of speech: " + ", ".join(g for g in grammar if g))
    if word.example_sentence:
        example = f"Example: {word.example_sentence}"
        if word.example_translation:
            example += f" ({word.example_translation})"
        lines.append(example)
    assert word.id is not None
    return IndexedSource(
        source_type=WORD,
        source_id=word.id,
        text="\n".join(lines),
        meta={
            "source_type": WORD,
            "source_id": word.id,
            "title": f"{word.term} — {word.meaning}",
            "language": word.language,
            "course_id": word.course_id,
        },
    )


def published_sources(session: Session) -> list[IndexedSource]:
    """Every published lesson and word, in a stable order."""
    lessons = session.exec(
        select(Document).where(Document.status == Status.published.value).order_by(col(Document.id))
    ).all()
    words = session.exec(
        select(Word).where(Word.status == Status.published.value).order_by(col(Word.id))
    ).all()
    return [*(lesson_source(d) for d in lessons), *(word_source(w) for w in words)]
