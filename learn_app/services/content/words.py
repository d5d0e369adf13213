"""Words of a course: listing, reading, creating, editing and archiving them.

A course's owner, its editors and admins edit; learners read published words only. A word is
never deleted: archiving takes it out of lists, plans, study and search, and keeps learners'
reviews of it (and the counts built on them). Every check happens here, so
the pages and the API cannot show a learner a draft by forgetting a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

from pydantic import ValidationError
from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from learn_app.models import (
    Review,
    Status,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.content.common import (
    WORD_PARTS,
    check_status,
    is_editor,
    reindex_after_commit,
    require_course_editor,
)
from learn_app.services.content.course_format import (
    SpecStatus,
    WordSpec,
    problem_message,
    word_problems,
)
from learn_app.services.content.courses import get_course
from learn_app.services.content.groups import add_words_to_group
from learn_app.services.errors import Conflict, InvalidInput, NotFound
from learn_app.services.language.text import clean_search
from learn_app.services.paging import Page, contains_pattern, page_bounds


@dataclass(frozen=True)
class WordRow:
    word: Word
    correct: int
    wrong: int


WordSort = Literal[
    "term", "reading", "romaji", "meaning", "part_of_speech", "correct", "wrong", "updated"
]


def list_words(
    session: Session,
    viewer: User,
    *,
    language: str | None = None,
    course_id: int | None = None,
    group_id: int | None = None,
    search: str = "",
    sort: WordSort = "term",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Words with the viewer's own correct/wrong counts, searchable, sortable and paginated."""
    page, per_page = page_bounds(page, per_page)
    correct = func.count(col(Review.id)).filter(col(Review.correct))
    wrong = func.count(col(Review.id)).filter(~col(Review.correct))
    counts = (
        select(Review.word_id, correct.label("correct"), wrong.label("wrong"))
        .where(Review.user_id == viewer.id)
        .group_by(col(Review.word_id))
        .subquery()
    )
    query = select(
        Word,
        func.coalesce(counts.c.correct, 0),
        func.coalesce(counts.c.wrong, 0),
    ).join(counts, counts.c.word_id == col(Word.id), isouter=True)
    if not is_editor(viewer):
        query = query.where(Word.status == Status.published.value)
    else:
        query = query.where(Word.status != Status.archived.value)
    if language:
        query = query.where(Word.language == language)
    if course_id:
        query = query.where(Word.course_id == course_id)
    if group_id:
        query = query.where(
            col(Word.id).in_(
                select(WordGroupMember.word_id).where(WordGroupMember.group_id == group_id)
            )
        )
    search = clean_search(search)
    if search:
        pattern = contains_pattern(search)
        query = query.where(
            or_(
                col(Word.term).ilike(pattern, escape="\\"),
                col(Word.reading).ilike(pattern, escape="\\"),
                col(Word.meaning).ilike(pattern, escape="\\"),
                Word.parts["romaji"].as_string().ilike(pattern, escape="\\"),
            )
        )
    order = {
        "term": col(Word.term),
        "reading": col(Word.reading),
        "romaji": func.coalesce(Word.parts["romaji"].as_string(), ""),
        "meaning": col(Word.meaning),
        "part_of_speech": col(Word.part_of_speech),
        "correct": func.coalesce(counts.c.correct, 0),
        "wrong": func.coalesce(counts.c.wrong, 0),
        "updated": col(Word.updated_at),
    }.get(sort)
    if order is None:
        raise InvalidInput(
            "Sort by term, reading, romaji, meaning, part_of_speech, correct, wrong or updated.",
            field="sort",
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(order.desc() if descending else order.asc(), col(Word.id))
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page([WordRow(w, int(c), int(x)) for w, c, x in rows], page, per_page, int(total))


@dataclass(frozen=True)
class WordDetail:
    word: Word
    groups: list[WordGroup]
    correct: int
    wrong: int


def get_word(session: Session, viewer: User, word_id: int) -> WordDetail:
    word = session.get(Word, word_id)
    if (
        word is None
        or word.status == Status.archived.value
        or (word.status != Status.published.value and not is_editor(viewer))
    ):
        raise NotFound("That word does not exist.")
    groups = session.exec(
        select(WordGroup)
        .join(WordGroupMember, col(WordGroupMember.group_id) == col(WordGroup.id))
        .where(WordGroupMember.word_id == word_id)
        .order_by(col(WordGroup.name), col(WordGroup.id))
    ).all()
    correct, wrong = session.exec(
        select(
            func.count(col(Review.id)).filter(col(Review.correct)),
            func.count(col(Review.id)).filter(~col(Review.correct)),
        ).where(Review.word_id == word_id, Review.user_id == viewer.id)
    ).one()
    return WordDetail(word, list(groups), int(correct), int(wrong))


def _validated_word(values: dict[str, Any], language: str) -> WordSpec:
    try:
        spec = WordSpec.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        label = (field or "word").replace("_", " ").capitalize()
        raise InvalidInput(f"{label}: {problem_message(first)}", field=field) from None
    problems = word_problems(language, spec)
    if problems:
        field, message = problems[0]
        raise InvalidInput(message[0].upper() + message[1:] + ".", field=field)
    return spec


def apply_word_spec(word: Word, spec: WordSpec) -> None:
    word.term = spec.term
    word.reading = spec.reading
    word.meaning = spec.meaning
    word.part_of_speech = spec.part_of_speech
    word.example_sentence = spec.example_sentence
    word.example_translation = spec.example_translation
    word.parts = {k: getattr(spec, k) for k in WORD_PARTS if getattr(spec, k)}
    word.tags = list(spec.tags)


def word_spec(word: Word) -> WordSpec:
    return WordSpec.model_construct(
        term=word.term,
        reading=word.reading,
        meaning=word.meaning,
        part_of_speech=word.part_of_speech,
        example_sentence=word.example_sentence,
        example_translation=word.example_translation,
        tags=list(word.tags or []),
        status=None if word.status == Status.published.value else cast(SpecStatus, word.status),
        **{k: (word.parts or {}).get(k, "") for k in WORD_PARTS},
    )


def create_word(
    session: Session,
    editor: User,
    *,
    course_id: int,
    values: dict[str, Any],
    status: str = Status.published.value,
    group_ids: list[int] | None = None,
) -> Word:
    course = get_course(session, course_id)
    require_course_editor(session, editor, course.id)
    spec = _validated_word(values, course.language)
    check_status(status)
    archived = _archived_twin(session, course.language, spec)
    if archived is not None and archived.course_id == course.id:
        return _revive(session, editor, archived, spec, status, group_ids)
    _refuse_duplicate(session, course.language, spec)
    word = Word(
        course_id=course.id,
        language=course.language,
        term=spec.term,
        meaning=spec.meaning,
        status=status,
        updated_by_id=editor.id,
    )
    apply_word_spec(word, spec)
    session.add(word)
    session.flush()
    for group_id in group_ids or []:
        add_words_to_group(session, editor, group_id, [word.id])
    reindex_after_commit(session)
    audit.record(session, "content.word_created", actor_id=editor.id, word_id=word.id)
    return word


def update_word(
    session: Session,
    editor: User,
    word_id: int,
    *,
    values: dict[str, Any],
    status: str | None = None,
) -> Word:
    word = _live_word(session, word_id)
    require_course_editor(session, editor, word.course_id)
    spec = _validated_word(values, word.language)
    if (spec.term, spec.reading) != (word.term, word.reading):
        _refuse_duplicate(session, word.language, spec, except_id=word.id)
    apply_word_spec(word, spec)
    if status is not None:
        check_status(status)
        word.status = status
    word.updated_at = utcnow()
    word.updated_by_id = editor.id
    session.add(word)
    reindex_after_commit(session)
    audit.record(session, "content.word_updated", actor_id=editor.id, word_id=word.id)
    return word


def _live_word(session: Session, word_id: int) -> Word:
    word = session.get(Word, word_id)
    if word is None or word.status == Status.archived.value:
        raise NotFound("That word does not exist.")
    return word


def archive_word(session: Session, editor: User, word_id: int) -> None:
    """Retire the word: it leaves lists, groups' study, plans and search; every learner's
    reviews of it stay, and so do the counts and progress built on them."""
    word = _live_word(session, word_id)
    require_course_editor(session, editor, word.course_id)
    word.status = Status.archived.value
    word.archived_at = word.updated_at = utcnow()
    word.updated_by_id = editor.id
    session.add(word)
    reindex_after_commit(session)
    audit.record(
        session, "content.word_archived", actor_id=editor.id, word_id=word_id, term=word.term
    )


def _archived_twin(session: Session, language: str, spec: WordSpec) -> Word | None:
    return session.exec(
        select(Word).where(
            Word.language == language,
            Word.term == spec.term,
            Word.reading == spec.reading,
            Word.status == Status.archived.value,
        )
    ).first()


def _revive(
    session: Session,
    editor: User,
    word: Word,
    spec: WordSpec,
    status: str,
    group_ids: list[int] | None,
) -> Word:
    """Adding a word the course archived brings it back, with learners' reviews of it."""
    apply_word_spec(word, spec)
    word.status = status
    word.archived_at = None
    word.updated_at = utcnow()
    word.updated_by_id = editor.id
    session.add(word)
    session.flush()
    for group_id in group_ids or []:
        add_words_to_group(session, editor, group_id, [word.id])
    reindex_after_commit(session)
    audit.record(session, "content.word_restored", actor_id=editor.id, word_id=word.id)
    return word


def _refuse_duplicate(
    session: Session, language: str, spec: WordSpec, *, except_id: int | None = None
) -> None:
    query = select(Word.id).where(
        Word.language == language, Word.term == spec.term, Word.reading == spec.reading
    )
    if except_id is not None:
        query = query.where(Word.id != except_id)
    if session.exec(query).first() is not None:
        shown = spec.term + (f" ({spec.reading})" if spec.reading else "")
        raise Conflict(f"The course already has the word {shown}.", field="term")
