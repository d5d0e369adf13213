"""Content Management: words, word groups and lessons.

Teachers and admins edit; learners read published content only. Every check happens here, so
the pages and the API cannot show a learner a draft by forgetting a filter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import delete, event, or_, true
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from learn_app.config import get_settings
from learn_app.models import (
    Course,
    Document,
    Review,
    Role,
    Status,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.course_format import (
    LessonSpec,
    WordSpec,
    problem_message,
    word_problems,
)
from learn_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from learn_app.services.text import clean_name, clean_search

EDITOR_ROLES = (Role.teacher.value, Role.admin.value)
MAX_PAGE_SIZE = 100
WORD_PARTS = ("romaji", "example_reading", "gender", "verb_class")


def reindex_after_commit(session: Session) -> None:
    """Once this transaction commits, bring the retrieval index up to date in the background.

    Every change to words or lessons calls this, so the pages, the API and imports all keep
    search current without each having to remember to; a rolled-back change triggers nothing.
    """
    if not get_settings().index_on_change or session.info.get("reindex_pending"):
        return
    session.info["reindex_pending"] = True
    event.listen(session, "after_commit", _request_index_sync, once=True)
    event.listen(session, "after_rollback", _forget_index_sync, once=True)


def _request_index_sync(session: Session) -> None:
    from learn_app.rag.worker import request_sync

    session.info.pop("reindex_pending", None)
    request_sync()


def _forget_index_sync(session: Session) -> None:
    session.info.pop("reindex_pending", None)
    if event.contains(session, "after_commit", _request_index_sync):
        event.remove(session, "after_commit", _request_index_sync)


def is_editor(user: User) -> bool:
    return user.role in EDITOR_ROLES


def require_editor(user: User) -> None:
    if not is_editor(user):
        raise PermissionDenied("Only teachers and admins can change course content.")


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def total_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _page_bounds(page: int, per_page: int) -> tuple[int, int]:
    per_page = min(max(1, per_page), MAX_PAGE_SIZE)
    return max(1, page), per_page


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


MAX_SLUG_LENGTH = 80
MAX_GROUP_DESCRIPTION = 1000


def slugify(text: str, *, max_length: int = MAX_SLUG_LENGTH, fallback: str = "group") -> str:
    """A slug the course format accepts: cut to length, never ending in a dash.

    Text with no Latin letters or digits (a Japanese title) becomes `fallback`.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower())
    return slug[:max_length].strip("-") or fallback


def _free_slug(
    session: Session,
    table: type[WordGroup] | type[Document],
    course_id: int,
    text: str,
    *,
    fallback: str,
) -> str:
    """`text` as a slug no other group (or lesson) of the course uses: adds -2, -3, … if taken."""
    slug, n = slugify(text, fallback=fallback), 1
    while session.exec(
        select(table.id).where(table.course_id == course_id, table.slug == slug)
    ).first():
        n += 1
        suffix = f"-{n}"
        slug = slugify(text, max_length=MAX_SLUG_LENGTH - len(suffix), fallback=fallback) + suffix
    return slug


# ------------------------------------------------------------------------------ courses


def list_courses(session: Session) -> list[Course]:
    return list(session.exec(select(Course).order_by(col(Course.title))))


def get_course(session: Session, course_id: int) -> Course:
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("That course does not exist.")
    return course


# ------------------------------------------------------------------------------ words


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
    page, per_page = _page_bounds(page, per_page)
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
        pattern = _like(search)
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
    if word is None or (word.status != Status.published.value and not is_editor(viewer)):
        raise NotFound("That word does not exist.")
    groups = session.exec(
        select(WordGroup)
        .join(WordGroupMember, col(WordGroupMember.group_id) == col(WordGroup.id))
        .where(WordGroupMember.word_id == word_id)
        .order_by(col(WordGroup.name))
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
        status=None if word.status == Status.published.value else word.status,
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
    require_editor(editor)
    course = get_course(session, course_id)
    spec = _validated_word(values, course.language)
    _check_status(status)
    _refuse_duplicate(session, course.language, spec)
    word = Word(
        course_id=course.id, language=course.language, status=status, updated_by_id=editor.id
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
    require_editor(editor)
    word = session.get(Word, word_id)
    if word is None:
        raise NotFound("That word does not exist.")
    spec = _validated_word(values, word.language)
    if (spec.term, spec.reading) != (word.term, word.reading):
        _refuse_duplicate(session, word.language, spec, except_id=word.id)
    apply_word_spec(word, spec)
    if status is not None:
        _check_status(status)
        word.status = status
    word.updated_at = utcnow()
    word.updated_by_id = editor.id
    session.add(word)
    reindex_after_commit(session)
    audit.record(session, "content.word_updated", actor_id=editor.id, word_id=word.id)
    return word


def delete_word(session: Session, editor: User, word_id: int) -> None:
    require_editor(editor)
    word = session.get(Word, word_id)
    if word is None:
        raise NotFound("That word does not exist.")
    session.delete(word)
    reindex_after_commit(session)
    audit.record(
        session, "content.word_deleted", actor_id=editor.id, word_id=word_id, term=word.term
    )


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


def _check_status(status: str) -> None:
    if status not in (Status.draft.value, Status.published.value):
        raise InvalidInput("Status must be draft or published.", field="status")


# ------------------------------------------------------------------------------ groups


@dataclass(frozen=True)
class GroupRow:
    group: WordGroup
    word_count: int


def list_groups(
    session: Session,
    viewer: User,
    *,
    course_id: int | None = None,
    language: str | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Groups with how many words each holds (published words only, for learners)."""
    page, per_page = _page_bounds(page, per_page)
    visible = true() if is_editor(viewer) else col(Word.status) == Status.published.value
    count = func.count(col(Word.id))
    query = (
        select(WordGroup, count)
        .join(WordGroupMember, col(WordGroupMember.group_id) == col(WordGroup.id), isouter=True)
        .join(
            Word,
            (col(Word.id) == col(WordGroupMember.word_id)) & visible,
            isouter=True,
        )
        .group_by(col(WordGroup.id))
    )
    if course_id:
        query = query.where(WordGroup.course_id == course_id)
    if language:
        query = query.where(WordGroup.language == language)
    search = clean_search(search)
    if search:
        query = query.where(col(WordGroup.name).ilike(_like(search), escape="\\"))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(WordGroup.name), col(WordGroup.id))
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page([GroupRow(g, int(n)) for g, n in rows], page, per_page, int(total))


def get_group(session: Session, group_id: int) -> WordGroup:
    group = session.get(WordGroup, group_id)
    if group is None:
        raise NotFound("That word group does not exist.")
    return group


def _clean_group_name(name: str) -> str:
    return clean_name(name, field="name", label="Group name", max_length=120)


def _clean_group_description(description: str | None) -> str:
    text = unicodedata.normalize("NFC", description or "").strip()
    if len(text) > MAX_GROUP_DESCRIPTION:
        raise InvalidInput(
            f"Group descriptions can be at most {MAX_GROUP_DESCRIPTION} characters.",
            field="description",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text):
        raise InvalidInput(
            "Group descriptions can't contain control characters.", field="description"
        )
    return text


def create_group(
    session: Session, editor: User, *, course_id: int, name: str, description: str = ""
) -> WordGroup:
    require_editor(editor)
    course = get_course(session, course_id)
    name = _clean_group_name(name)
    group = WordGroup(
        course_id=course.id,
        language=course.language,
        slug=_free_slug(session, WordGroup, course.id, name, fallback="group"),
        name=name,
        description=_clean_group_description(description),
    )
    session.add(group)
    session.flush()
    reindex_after_commit(session)
    audit.record(session, "content.group_created", actor_id=editor.id, group_id=group.id)
    return group


def rename_group(
    session: Session, editor: User, group_id: int, *, name: str, description: str | None = None
) -> WordGroup:
    require_editor(editor)
    group = get_group(session, group_id)
    group.name = _clean_group_name(name)
    if description is not None:
        group.description = _clean_group_description(description)
    group.updated_at = utcnow()
    session.add(group)
    reindex_after_commit(session)
    audit.record(session, "content.group_renamed", actor_id=editor.id, group_id=group.id)
    return group


def delete_group(session: Session, editor: User, group_id: int) -> None:
    """Delete the group; its words stay in the course."""
    require_editor(editor)
    group = get_group(session, group_id)
    session.delete(group)
    reindex_after_commit(session)
    audit.record(session, "content.group_deleted", actor_id=editor.id, group_id=group_id)


def add_words_to_group(session: Session, editor: User, group_id: int, word_ids: list[int]) -> int:
    """Add words (of the group's language); returns how many were new to the group."""
    require_editor(editor)
    group = get_group(session, group_id)
    words = session.exec(select(Word).where(col(Word.id).in_(word_ids))).all()
    if len(words) != len(set(word_ids)):
        raise NotFound("One of those words does not exist.")
    if any(w.language != group.language for w in words):
        raise InvalidInput("A group holds words of one language only.")
    present = set(
        session.exec(
            select(WordGroupMember.word_id).where(WordGroupMember.group_id == group.id)
        ).all()
    )
    position = len(present)
    added = 0
    for word in words:
        if word.id in present:
            continue
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
        position += 1
        added += 1
    if added:
        group.updated_at = utcnow()
        session.add(group)
        reindex_after_commit(session)
        audit.record(
            session, "content.group_words_added", actor_id=editor.id, group_id=group.id, count=added
        )
    return added


def remove_word_from_group(session: Session, editor: User, group_id: int, word_id: int) -> None:
    require_editor(editor)
    get_group(session, group_id)
    result = session.exec(
        delete(WordGroupMember).where(
            col(WordGroupMember.group_id) == group_id, col(WordGroupMember.word_id) == word_id
        )
    )
    if not result.rowcount:
        raise NotFound("That word is not in this group.")
    reindex_after_commit(session)
    audit.record(
        session,
        "content.group_word_removed",
        actor_id=editor.id,
        group_id=group_id,
        word_id=word_id,
    )


# ------------------------------------------------------------------------------ lessons


@dataclass(frozen=True)
class LessonRow:
    lesson: Document
    author_name: str
    updated_by_name: str


def list_lessons(
    session: Session,
    viewer: User,
    *,
    course_id: int | None = None,
    language: str | None = None,
    status: str | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    page, per_page = _page_bounds(page, per_page)
    query = select(Document)
    if not is_editor(viewer):
        query = query.where(Document.status == Status.published.value)
    elif status:
        _check_status(status)
        query = query.where(Document.status == status)
    if course_id:
        query = query.where(Document.course_id == course_id)
    if language:
        query = query.where(Document.language == language)
    search = clean_search(search)
    if search:
        pattern = _like(search)
        query = query.where(
            or_(
                col(Document.title).ilike(pattern, escape="\\"),
                col(Document.summary).ilike(pattern, escape="\\"),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    lessons = session.exec(
        query.order_by(col(Document.language), col(Document.position), col(Document.title))
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    names = _user_names(session, {x for d in lessons for x in (d.author_id, d.updated_by_id)})
    return Page(
        [LessonRow(d, names.get(d.author_id, ""), names.get(d.updated_by_id, "")) for d in lessons],
        page,
        per_page,
        int(total),
    )


def _user_names(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    ids.discard(None)
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids))).all())


def get_lesson(session: Session, viewer: User, lesson_id: int) -> LessonRow:
    lesson = session.get(Document, lesson_id)
    if lesson is None or (lesson.status != Status.published.value and not is_editor(viewer)):
        raise NotFound("That lesson does not exist.")
    names = _user_names(session, {lesson.author_id, lesson.updated_by_id})
    return LessonRow(lesson, names.get(lesson.author_id, ""), names.get(lesson.updated_by_id, ""))


def _validated_lesson(values: dict[str, Any]) -> LessonSpec:
    values = {**values}
    values.setdefault("slug", slugify(str(values.get("title") or "")))
    try:
        return LessonSpec.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        if field == "level":
            raise InvalidInput(
                "Level must be a JLPT level (JLPT N5 … JLPT N1) or a CEFR level (A1 … C2).",
                field="level",
            ) from None
        if field == "body" and first.get("type") == "string_too_short":
            raise InvalidInput("Write the lesson before saving it.", field="body") from None
        raise InvalidInput(
            f"{(field or 'lesson').replace('_', ' ').capitalize()}: {problem_message(first)}",
            field=field,
        ) from None


def create_lesson(
    session: Session, editor: User, *, course_id: int, values: dict[str, Any]
) -> Document:
    """A new lesson, as a draft unless `values['status']` says published."""
    require_editor(editor)
    course = get_course(session, course_id)
    values = {"status": Status.draft.value, **values}
    chosen_slug = bool(values.get("slug"))
    if not chosen_slug:
        title = str(values.get("title") or "")
        values["slug"] = _free_slug(session, Document, course.id, title, fallback="lesson")
    spec = _validated_lesson(values)
    if session.exec(
        select(Document.id).where(
            Document.course_id == course.id, func.lower(Document.title) == spec.title.lower()
        )
    ).first():
        raise Conflict(
            "Another lesson in this course already uses that title; choose another.",
            field="title",
        )
    if chosen_slug:
        _refuse_taken_lesson_slug(session, course.id, spec.slug)
    now = utcnow()
    lesson = Document(
        course_id=course.id,
        language=course.language,
        author_id=editor.id,
        updated_by_id=editor.id,
        position=_next_position(session, course.id),
        published_at=now if spec.status == Status.published.value else None,
        **spec.model_dump(),
    )
    session.add(lesson)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict("That lesson already exists.", field="title") from error
    reindex_after_commit(session)
    audit.record(
        session,
        "content.lesson_created",
        actor_id=editor.id,
        lesson_id=lesson.id,
        status=lesson.status,
    )
    return lesson


def _refuse_taken_lesson_slug(session: Session, course_id: int | None, slug: str) -> None:
    if session.exec(
        select(Document.id).where(Document.course_id == course_id, Document.slug == slug)
    ).first():
        raise Conflict(
            f"Another lesson in this course already uses the slug '{slug}'.", field="slug"
        )


def _next_position(session: Session, course_id: int) -> int:
    return (
        int(
            session.exec(
                select(func.coalesce(func.max(Document.position), 0)).where(
                    Document.course_id == course_id
                )
            ).one()
        )
        + 1
    )


def update_lesson(
    session: Session, editor: User, lesson_id: int, *, values: dict[str, Any]
) -> Document:
    require_editor(editor)
    lesson = session.get(Document, lesson_id)
    if lesson is None:
        raise NotFound("That lesson does not exist.")
    current = {
        "slug": lesson.slug,
        "title": lesson.title,
        "level": lesson.level,
        "summary": lesson.summary,
        "tags": lesson.tags,
        "status": lesson.status,
        "body": lesson.body,
    }
    spec = _validated_lesson({**current, **values})
    if spec.slug != lesson.slug:
        _refuse_taken_lesson_slug(session, lesson.course_id, spec.slug)
    was_published = lesson.status == Status.published.value
    for key, value in spec.model_dump().items():
        setattr(lesson, key, value)
    lesson.updated_at = utcnow()
    lesson.updated_by_id = editor.id
    if spec.status == Status.published.value and not was_published:
        lesson.published_at = lesson.updated_at
    session.add(lesson)
    reindex_after_commit(session)
    audit.record(
        session,
        "content.lesson_updated",
        actor_id=editor.id,
        lesson_id=lesson.id,
        status=lesson.status,
    )
    return lesson


def set_lesson_status(session: Session, editor: User, lesson_id: int, status: str) -> Document:
    _check_status(status)
    return update_lesson(session, editor, lesson_id, values={"status": status})


def delete_lesson(session: Session, editor: User, lesson_id: int) -> None:
    require_editor(editor)
    lesson = session.get(Document, lesson_id)
    if lesson is None:
        raise NotFound("That lesson does not exist.")
    session.delete(lesson)
    reindex_after_commit(session)
    audit.record(
        session,
        "content.lesson_deleted",
        actor_id=editor.id,
        lesson_id=lesson_id,
        title=lesson.title,
    )
