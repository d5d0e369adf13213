"""Word groups: thematic sets of a course's words ("Core verbs", "Food")."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from learn_app.models import (
    Status,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.content.common import (
    MAX_GROUP_DESCRIPTION,
    free_slug,
    is_editor,
    reindex_after_commit,
    require_course_editor,
)
from learn_app.services.content.courses import get_course
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language.text import clean_name, clean_search
from learn_app.services.paging import Page, contains_pattern, page_bounds

GroupSort = Literal["name", "words_count"]
GROUP_SORTS: tuple[GroupSort, ...] = ("name", "words_count")


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
    sort: GroupSort = "name",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Groups with how many words each holds (published words only, for learners), by name or
    by that count."""
    page, per_page = page_bounds(page, per_page)
    visible = (
        col(Word.status) != Status.archived.value
        if is_editor(viewer)
        else col(Word.status) == Status.published.value
    )
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
        query = query.where(col(WordGroup.name).ilike(contains_pattern(search), escape="\\"))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(*_group_order(sort, descending, count))
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page([GroupRow(g, int(n)) for g, n in rows], page, per_page, int(total))


def _group_order(sort: GroupSort, descending: bool, count: Any) -> list[Any]:
    if sort not in GROUP_SORTS:
        raise InvalidInput("Sort groups by name or words_count.", field="sort_by")
    first = count if sort == "words_count" else func.lower(col(WordGroup.name))
    return [first.desc() if descending else first.asc(), col(WordGroup.id)]


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
    course = get_course(session, course_id)
    require_course_editor(session, editor, course.id)
    name = _clean_group_name(name)
    group = WordGroup(
        course_id=course.id,
        language=course.language,
        slug=free_slug(session, WordGroup, course.id, name, fallback="group"),
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
    group = get_group(session, group_id)
    require_course_editor(session, editor, group.course_id)
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
    group = get_group(session, group_id)
    require_course_editor(session, editor, group.course_id)
    session.delete(group)
    reindex_after_commit(session)
    audit.record(session, "content.group_deleted", actor_id=editor.id, group_id=group_id)


def add_words_to_group(session: Session, editor: User, group_id: int, word_ids: list[int]) -> int:
    """Add words (of the group's language) after those it holds, in the order given; returns
    how many were new to the group."""
    group = get_group(session, group_id)
    require_course_editor(session, editor, group.course_id)
    found = {
        w.id: w
        for w in session.exec(
            select(Word).where(col(Word.id).in_(word_ids), Word.status != Status.archived.value)
        )
    }
    words = [found[word_id] for word_id in dict.fromkeys(word_ids) if word_id in found]
    if len(words) != len(set(word_ids)):
        raise NotFound("One of those words does not exist.")
    if any(w.language != group.language for w in words):
        raise InvalidInput("A group holds words of one language only.")
    held = session.exec(
        select(WordGroupMember.word_id, WordGroupMember.position).where(
            WordGroupMember.group_id == group.id
        )
    ).all()
    present = {word_id for word_id, _ in held}
    # After the last: a removed word leaves a gap, so the count is not always past the end.
    position = max((p for _, p in held), default=-1) + 1
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
    group = get_group(session, group_id)
    require_course_editor(session, editor, group.course_id)
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
