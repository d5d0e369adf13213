"""Vocabulary: everyone reads what is published; teachers and admins also see and edit drafts.

Who may see or change what is decided by `services.content`; these routes only translate.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Pagination, Problem
from learn_app.api.schemas.content import (
    GroupRef,
    WordChanges,
    WordCreate,
    WordDetail,
    WordFields,
    WordListQuery,
    WordPage,
    WordPublic,
    WordsQuery,
)
from learn_app.models import User
from learn_app.services.content import words
from learn_app.services.paging import Page

router = APIRouter(
    prefix="/words",
    tags=["content"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


def pagination(found: Page) -> Pagination:
    return Pagination(
        current_page=found.page,
        total_pages=found.total_pages,
        total_items=found.total,
        items_per_page=found.per_page,
    )


ALL_LANGUAGES = "all"


def listed_language(requested: str | None, viewer: User, *, narrowed: bool = False) -> str | None:
    """The language a list shows: the caller's target language unless `?language=` names
    another, and every language for `?language=all`. A list already narrowed to one course or
    group (`narrowed`) shows all of it unless a language is asked for: those hold one language.

    lang-portal clients show the first page of a list as it comes; a learner of Japanese must
    not get a page of Spanish words with empty headwords.
    """
    if not requested:
        return None if narrowed else viewer.target_language
    return None if requested == ALL_LANGUAGES else requested


def word_page(
    session: SessionDep,
    viewer: User,
    query: WordListQuery,
    *,
    group_id: int | None,
    language: str | None,
) -> WordPage:
    found = words.list_words(
        session,
        viewer,
        language=language,
        course_id=query.course_id,
        group_id=group_id,
        search=query.search,
        sort=query.sort,
        descending=query.order == "desc",
        page=query.page,
        per_page=query.per_page,
    )
    return WordPage(
        items=[
            WordPublic.of(row.word, correct=row.correct, wrong=row.wrong) for row in found.items
        ],
        pagination=pagination(found),
    )


def word_detail(session: SessionDep, viewer: User, word_id: int) -> WordDetail:
    found = words.get_word(session, viewer, word_id)
    return WordDetail.of(
        found.word,
        correct=found.correct,
        wrong=found.wrong,
        groups=[GroupRef.model_validate(group) for group in found.groups],
    )


@router.get("")
def list_words(
    query: Annotated[WordsQuery, Query()], caller: CallerDep, session: SessionDep
) -> WordPage:
    """Words with the caller's own correct/wrong counts, a page at a time.

    `search` matches term, reading, meaning and romaji; learners see published words only.
    """
    narrowed = query.group_id is not None or query.course_id is not None
    language = listed_language(query.language, caller.user, narrowed=narrowed)
    return word_page(session, caller.user, query, group_id=query.group_id, language=language)


@router.get("/{word_id}")
def read_word(word_id: RowId, caller: CallerDep, session: SessionDep) -> WordDetail:
    """One word, with the groups it is in."""
    return word_detail(session, caller.user, word_id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": Problem}, 422: {"model": Problem}},
)
def create_word(body: WordCreate, caller: CallerDep, session: SessionDep) -> WordDetail:
    """Add a word to a course (and, optionally, to some of its groups)."""
    word = words.create_word(
        session,
        caller.user,
        course_id=body.course_id,
        values=body.model_dump(include=set(WordFields.model_fields)),
        status=body.status.value,
        group_ids=body.group_ids,
    )
    return word_detail(session, caller.user, word.id)


@router.patch("/{word_id}", responses={409: {"model": Problem}, 422: {"model": Problem}})
def update_word(
    word_id: RowId, body: WordChanges, caller: CallerDep, session: SessionDep
) -> WordDetail:
    """Change some of a word's fields, or publish or unpublish it with `status`."""
    current = words.get_word(session, caller.user, word_id).word
    changes = body.model_dump(exclude_none=True, exclude={"status"})
    words.update_word(
        session,
        caller.user,
        word_id,
        values={**words.word_spec(current).model_dump(), **changes},
        status=body.status.value if body.status else None,
    )
    return word_detail(session, caller.user, word_id)


@router.delete("/{word_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_word(word_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    """Archive the word: it leaves lists, groups, plans and search (404 from then on), and
    every learner's reviews of it stay, still counted in their stats and progress."""
    words.archive_word(session, caller.user, word_id)
