"""A teacher's review of generated example sentences: edit, publish or reject each draft.

Publishing makes the draft the word's example sentence (its translation, and for Japanese its
reading) through the same word edit the Words page makes, so it is validated, audited and
re-indexed like any other change; a rejected draft leaves the word as it was. Only drafts still
waiting can be changed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, col, select

from learn_app.models import ExampleDraft, User, Word, WordGroupMember
from learn_app.models.base import utcnow
from learn_app.services.authoring.examples import (
    DRAFT,
    MAX_SENTENCE_CHARS,
    example_problems,
    native_language_of,
)
from learn_app.services.content import common, words
from learn_app.services.errors import Conflict, InvalidInput, NotFound

__all__ = ["DraftView", "list_drafts", "publish_draft", "reject_draft", "update_draft"]

PUBLISHED = "published"
REJECTED = "rejected"
STATUSES = (DRAFT, PUBLISHED, REJECTED)


@dataclass(frozen=True)
class DraftView:
    draft: ExampleDraft
    word: Word


def list_drafts(
    session: Session, teacher: User, *, status: str = DRAFT, group_id: int | None = None
) -> list[DraftView]:
    """Drafts with their words, oldest first (the order they were generated in)."""
    common.require_editor(teacher)
    if status not in STATUSES:
        raise InvalidInput("Status must be draft, published or rejected.", field="status")
    query = (
        select(ExampleDraft, Word)
        .join(Word, col(Word.id) == col(ExampleDraft.word_id))
        .where(ExampleDraft.status == status)
    )
    if group_id is not None:
        query = query.where(
            col(Word.id).in_(
                select(WordGroupMember.word_id).where(WordGroupMember.group_id == group_id)
            )
        )
    rows = session.exec(query.order_by(col(ExampleDraft.created_at), col(ExampleDraft.id)))
    return [DraftView(draft, word) for draft, word in rows]


def _waiting_draft(session: Session, draft_id: int) -> tuple[ExampleDraft, Word]:
    draft = session.get(ExampleDraft, draft_id)
    if draft is None:
        raise NotFound("That example sentence does not exist.")
    if draft.status != DRAFT:
        raise Conflict(f"That example sentence was {draft.status} already.", field="status")
    word = session.get(Word, draft.word_id)
    if word is None:  # pragma: no cover - the draft goes with its word
        raise NotFound("That word does not exist.")
    return draft, word


def _clean(text: str | None, current: str) -> str:
    if text is None:
        return current
    return " ".join(unicodedata.normalize("NFC", text).split())


def update_draft(
    session: Session,
    teacher: User,
    draft_id: int,
    *,
    sentence: str | None = None,
    reading: str | None = None,
    translation: str | None = None,
) -> ExampleDraft:
    """Edit a draft before publishing it; the same checks as the model's sentences."""
    common.require_editor(teacher)
    draft, word = _waiting_draft(session, draft_id)
    common.require_course_editor(session, teacher, word.course_id)
    sentence = _clean(sentence, draft.sentence)
    reading = _clean(reading, draft.reading) if word.language == "ja" else ""
    translation = _clean(translation, draft.translation)
    if not sentence:
        raise InvalidInput("Write the example sentence.", field="sentence")
    for field, text in (("sentence", sentence), ("reading", reading), ("translation", translation)):
        if len(text) > (MAX_SENTENCE_CHARS if field == "sentence" else 1000):
            raise InvalidInput(f"The {field} is too long.", field=field)
    problems = [
        (f, m)
        for f, m in example_problems(
            word, native_language_of(session, word), sentence, reading, translation
        )
        if not (f == "reading" and not reading)  # a reading can be added later
    ]
    if problems:
        field, message = problems[0]
        raise InvalidInput(message[0].upper() + message[1:] + ".", field=field)
    draft.sentence, draft.reading, draft.translation = sentence, reading, translation
    session.add(draft)
    return draft


def publish_draft(session: Session, teacher: User, draft_id: int) -> Word:
    """The draft becomes the word's example sentence, as an edit of the word would make it."""
    common.require_editor(teacher)
    draft, word = _waiting_draft(session, draft_id)
    if not draft.translation:
        raise InvalidInput(
            "Add the sentence's translation before publishing it.", field="translation"
        )
    values = words.word_spec(word).model_dump(exclude={"status"})
    values.update(example_sentence=draft.sentence, example_translation=draft.translation)
    if word.language == "ja":
        values["example_reading"] = draft.reading
    updated = words.update_word(session, teacher, word.id, values=values)
    draft.status = PUBLISHED
    draft.reviewed_by_id = teacher.id
    draft.reviewed_at = utcnow()
    session.add(draft)
    return updated


def reject_draft(session: Session, teacher: User, draft_id: int) -> ExampleDraft:
    common.require_editor(teacher)
    draft, word = _waiting_draft(session, draft_id)
    common.require_course_editor(session, teacher, word.course_id)
    draft.status = REJECTED
    draft.reviewed_by_id = teacher.id
    draft.reviewed_at = utcnow()
    session.add(draft)
    return draft
