"""Generated example sentences over REST, for teachers: draft them for a group's words (or
chosen words) that have none, then edit, publish or reject each draft.

The same services as the Examples page. Publishing makes the draft the word's example.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field, StringConstraints, model_validator

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import MAX_ROW_ID, Problem, RequestBody, ResponseBody
from learn_app.models import ExampleDraft, Word
from learn_app.services.authoring import example_drafts, examples

router = APIRouter(
    prefix="/examples",
    tags=["examples"],
    responses={403: {"model": Problem}, 404: {"model": Problem}, 422: {"model": Problem}},
)

Text = Annotated[str, StringConstraints(max_length=1000)]


class DraftRequest(RequestBody):
    group_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    word_ids: list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] | None = Field(
        default=None, max_length=100
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.group_id is None) == (not self.word_ids):
            raise ValueError("Give either group_id or word_ids.")
        return self


class DraftChanges(RequestBody):
    sentence: Text | None = None
    reading: Text | None = None
    translation: Text | None = None


class DraftWord(ResponseBody):
    id: int
    term: str
    reading: str
    meaning: str


class DraftPublic(ResponseBody):
    id: int
    status: str
    sentence: str
    reading: str
    translation: str
    provider: str
    created_at: datetime
    reviewed_at: datetime | None
    word: DraftWord


class DraftRunPublic(BaseModel):
    drafts: list[DraftPublic]
    skipped: int = Field(description="Words that had an example or a draft waiting")
    missing: int = Field(description="Words no sentence was found for (offline)")
    provider: str
    notice: str | None


def _public(draft: ExampleDraft, word: Word) -> DraftPublic:
    return DraftPublic.model_validate(
        {**draft.model_dump(), "word": DraftWord.model_validate(word)}
    )


@router.post("/drafts", status_code=status.HTTP_201_CREATED)
def draft(body: DraftRequest, caller: CallerDep, session: SessionDep) -> DraftRunPublic:
    """Draft an example sentence for each word that has none and no draft waiting."""
    run = examples.draft_examples(
        session, caller.user, word_ids=body.word_ids, group_id=body.group_id
    )
    return DraftRunPublic(
        drafts=[_public(d, session.get_one(Word, d.word_id)) for d in run.drafts],
        skipped=run.skipped,
        missing=run.missing,
        provider=run.provider,
        notice=run.notice,
    )


@router.get("/drafts")
def list_drafts(
    caller: CallerDep,
    session: SessionDep,
    status: Literal["draft", "published", "rejected"] = "draft",
    group_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> list[DraftPublic]:
    """Drafts with their words, oldest first; those waiting unless `status` says otherwise."""
    views = example_drafts.list_drafts(session, caller.user, status=status, group_id=group_id)
    return [_public(view.draft, view.word) for view in views]


@router.patch("/drafts/{draft_id}", responses={409: {"model": Problem}})
def edit_draft(
    draft_id: RowId, body: DraftChanges, caller: CallerDep, session: SessionDep
) -> DraftPublic:
    changed = example_drafts.update_draft(
        session, caller.user, draft_id, **body.model_dump(exclude_unset=True)
    )
    return _public(changed, session.get_one(Word, changed.word_id))


@router.post("/drafts/{draft_id}/publish", responses={409: {"model": Problem}})
def publish(draft_id: RowId, caller: CallerDep, session: SessionDep) -> DraftPublic:
    """The draft becomes its word's example sentence."""
    word = example_drafts.publish_draft(session, caller.user, draft_id)
    return _public(session.get_one(ExampleDraft, draft_id), word)


@router.post("/drafts/{draft_id}/reject", responses={409: {"model": Problem}})
def reject(draft_id: RowId, caller: CallerDep, session: SessionDep) -> DraftPublic:
    rejected = example_drafts.reject_draft(session, caller.user, draft_id)
    return _public(rejected, session.get_one(Word, rejected.word_id))
