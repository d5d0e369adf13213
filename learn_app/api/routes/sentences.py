"""The sentence constructor over REST: the next English sentence, graded hints, attempts,
and the answer on request.

The same service as the /study/sentence-builder page. A sentence is named by the signed
`item_id` that `next` hands out; the course's sentence is never in a response except that of
`reveal`, which counts the sentence as missed. A right attempt is stored as a review of the
sentence's word in the study session; `hints_used` and `earlier_attempts` (what the client
showed and how often it was tried) make that review Hard instead of Good.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.schemas.common import MAX_ROW_ID, Problem, RequestBody
from learn_app.services.tutor import sentences

router = APIRouter(
    prefix="/sentences",
    tags=["study"],
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)

ItemId = Annotated[str, Path(min_length=5, max_length=200)]
HintLevel = Annotated[int, Path(ge=1, le=3)]


class NextSentenceRequest(RequestBody):
    session_id: int = Field(ge=1, le=MAX_ROW_ID)


class SentencePublic(BaseModel):
    item_id: str | None
    english: str | None
    language: str | None
    position: int
    total: int
    finished: bool


class VocabularyPublic(BaseModel):
    term: str
    reading: str
    meaning: str


class HintPublic(BaseModel):
    level: int
    vocabulary: list[VocabularyPublic]
    structure: str
    clues: list[str]
    provider: str
    offline: bool
    notice: str | None


class AttemptCreate(RequestBody):
    text: str
    hints_used: int = Field(default=0, ge=0, le=3)
    earlier_attempts: int = Field(default=0, ge=0, le=1000)


class AttemptPublic(BaseModel):
    verdict: str
    correct: bool
    feedback: str
    provider: str
    notice: str | None
    recorded: bool


class RevealedPublic(BaseModel):
    sentence: str
    reading: str
    romaji: str
    english: str
    recorded: bool


@router.post("/next", responses={409: {"model": Problem}})
def next_sentence(
    body: NextSentenceRequest, caller: CallerDep, session: SessionDep
) -> SentencePublic:
    """The next sentence of the study session, in English; `finished` once there are none
    left (the session has then ended)."""
    item = sentences.next_item(session, caller.user, body.session_id)
    if item is None:
        return SentencePublic(
            item_id=None, english=None, language=None, position=0, total=0, finished=True
        )
    return SentencePublic(
        item_id=item.item_id,
        english=item.english,
        language=item.language,
        position=item.position,
        total=item.total,
        finished=False,
    )


@router.post("/{item_id}/hints/{level}")
def sentence_hint(
    item_id: ItemId, level: HintLevel, caller: CallerDep, session: SessionDep
) -> HintPublic:
    """Hint 1: the words in dictionary form; 2: the word order as slots; 3: clues on
    particles, conjugation and agreement. Asked again, the same hint (no new model call)."""
    hint = sentences.hint(session, caller.user, item_id, level)
    return HintPublic(
        level=hint.level,
        vocabulary=[VocabularyPublic(**vars(row)) for row in hint.vocabulary],
        structure=hint.structure,
        clues=hint.clues,
        provider=hint.provider,
        offline=hint.offline,
        notice=hint.notice,
    )


@router.post("/{item_id}/attempts", responses={409: {"model": Problem}})
def sentence_attempt(
    item_id: ItemId, body: AttemptCreate, caller: CallerDep, session: SessionDep
) -> AttemptPublic:
    """Check a sentence: `exact`, `close` (right, with a note) or `wrong` with feedback that
    does not give the answer away."""
    attempt = sentences.check_attempt(
        session,
        caller.user,
        item_id,
        body.text,
        hints_used=body.hints_used,
        earlier_attempts=body.earlier_attempts,
    )
    return AttemptPublic(
        verdict=attempt.verdict,
        correct=attempt.correct,
        feedback=attempt.feedback,
        provider=attempt.provider,
        notice=attempt.notice,
        recorded=attempt.recorded,
    )


@router.post("/{item_id}/reveal", responses={409: {"model": Problem}})
def sentence_reveal(item_id: ItemId, caller: CallerDep, session: SessionDep) -> RevealedPublic:
    """The course's sentence; the sentence counts as missed (a review rated Again)."""
    shown = sentences.reveal(session, caller.user, item_id)
    return RevealedPublic(
        sentence=shown.sentence,
        reading=shown.reading,
        romaji=shown.romaji,
        english=shown.english,
        recorded=shown.recorded,
    )
