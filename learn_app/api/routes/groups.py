"""Word groups ("Core verbs", "Food"): everyone reads them; teachers and admins edit them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.exports import EXPORT_RESPONSES, ExportFormatQuery, exported_file
from learn_app.api.routes.ids import RowId
from learn_app.api.routes.words import listed_language, pagination, word_page
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.content import (
    GroupChanges,
    GroupCreate,
    GroupListQuery,
    GroupPage,
    GroupPublic,
    GroupWordsAdd,
    GroupWordsAdded,
    WordListQuery,
    WordPage,
)
from learn_app.models import User, WordGroup
from learn_app.services.content import exporter, groups, words

router = APIRouter(
    prefix="/groups",
    tags=["content"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


def word_count(session: SessionDep, viewer: User, group_id: int) -> int:
    """How many of the group's words the viewer may see (learners: published ones)."""
    return words.list_words(session, viewer, group_id=group_id, per_page=1).total


def group_public(session: SessionDep, viewer: User, group: WordGroup) -> GroupPublic:
    return GroupPublic.model_validate(
        {**group.model_dump(), "word_count": word_count(session, viewer, group.id)}
    )


@router.get("")
def list_groups(
    query: Annotated[GroupListQuery, Query()], caller: CallerDep, session: SessionDep
) -> GroupPage:
    """Groups by name, each with how many words it holds, a page at a time."""
    found = groups.list_groups(
        session,
        caller.user,
        course_id=query.course_id,
        language=listed_language(query.language, caller.user, narrowed=query.course_id is not None),
        search=query.search,
        sort=query.sort,
        descending=query.order == "desc",
        page=query.page,
        per_page=query.per_page,
    )
    return GroupPage(
        items=[
            GroupPublic.model_validate({**row.group.model_dump(), "word_count": row.word_count})
            for row in found.items
        ],
        pagination=pagination(found),
    )


@router.get("/{group_id}")
def read_group(group_id: RowId, caller: CallerDep, session: SessionDep) -> GroupPublic:
    return group_public(session, caller.user, groups.get_group(session, group_id))


@router.get("/{group_id}/words")
def list_group_words(
    group_id: RowId,
    query: Annotated[WordListQuery, Query()],
    caller: CallerDep,
    session: SessionDep,
) -> WordPage:
    """The group's words, searchable, sortable and paginated like `/api/words`."""
    groups.get_group(session, group_id)
    language = listed_language(query.language, caller.user, narrowed=True)
    return word_page(session, caller.user, query, group_id=group_id, language=language)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": Problem}},
)
def create_group(body: GroupCreate, caller: CallerDep, session: SessionDep) -> GroupPublic:
    group = groups.create_group(
        session,
        caller.user,
        course_id=body.course_id,
        name=body.name,
        description=body.description,
    )
    return group_public(session, caller.user, group)


@router.patch("/{group_id}", responses={422: {"model": Problem}})
def update_group(
    group_id: RowId, body: GroupChanges, caller: CallerDep, session: SessionDep
) -> GroupPublic:
    """Rename the group and/or change its description."""
    current = groups.get_group(session, group_id)
    group = groups.rename_group(
        session,
        caller.user,
        group_id,
        name=current.name if body.name is None else body.name,
        description=body.description,
    )
    return group_public(session, caller.user, group)


@router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_group(group_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    """Delete the group; its words stay in the course."""
    groups.delete_group(session, caller.user, group_id)


@router.post("/{group_id}/words", responses={422: {"model": Problem}})
def add_group_words(
    group_id: RowId, body: GroupWordsAdd, caller: CallerDep, session: SessionDep
) -> GroupWordsAdded:
    """Add words of the group's language; words already in the group are left as they are."""
    added = groups.add_words_to_group(session, caller.user, group_id, body.word_ids)
    return GroupWordsAdded(added=added, word_count=word_count(session, caller.user, group_id))


@router.delete("/{group_id}/words/{word_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_group_word(
    group_id: RowId, word_id: RowId, caller: CallerDep, session: SessionDep
) -> None:
    """Take the word out of the group; it stays in the course."""
    groups.remove_word_from_group(session, caller.user, group_id, word_id)


@router.get(
    "/{group_id}/export",
    response_class=Response,
    responses={**EXPORT_RESPONSES, 422: {"model": Problem}},
)
def export_group(
    group_id: RowId, caller: CallerDep, session: SessionDep, fmt: ExportFormatQuery = "yaml"
) -> Response:
    """The group and its words in the import format, under its course's header (teachers)."""
    spec = exporter.export_group(session, caller.user, group_id)
    return exported_file(spec, fmt, name=f"{spec.slug}-{spec.groups[0].slug}")
