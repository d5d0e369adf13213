"""Speaking practice over REST: send a recording of a word or its example sentence, get scores.

`POST /api/speaking/attempts` takes a multipart form — `audio` (any common recording format,
at most 1.9 MB and 30 seconds), `word_id`, `part` (term | example) and optionally `session_id`
— and answers with the attempt: overall, per-word and (Japanese) per-mora scores, what was
heard, the pitch contours and the rating recorded as a review. A recording that is silent,
clipped, too short or long, damaged or not sound is refused with a message saying which, and
nothing is kept. Scoring runs in the scoring worker process, never on the event loop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from learn_app.api.deps import CallerDep, SessionDep, TokenDep, current_caller
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import MAX_ROW_ID, Problem
from learn_app.config import get_settings
from learn_app.services.speaking import attempts, audio, worker
from learn_app.services.study import session_history

router = APIRouter(
    prefix="/speaking",
    tags=["speaking"],
    responses={
        401: {"model": Problem},
        404: {"model": Problem},
        413: {"model": Problem},
        422: {"model": Problem},
    },
)


class AttemptPublic(BaseModel):
    id: int
    word_id: int
    part: str
    language: str
    target: str
    target_kana: str
    heard: str
    heard_kana: str
    score: int
    pass_score: int
    rating: str
    intelligibility: int | None
    pitch_score: int | None
    words: list[dict[str, Any]]
    learner_pitch: dict[str, list[float]] | None
    reference_pitch: dict[str, list[float]] | None
    audio_seconds: float
    scoring_ms: int
    session_id: int | None
    audio_url: str
    created_at: datetime


def _public(attempt: Any) -> AttemptPublic:
    view = attempts.attempt_view(attempt)
    return AttemptPublic(**view, audio_url=attempts.audio_link(attempt.id, attempt.user_id))


async def _read_capped(upload: UploadFile) -> bytes:
    data = await upload.read(audio.MAX_UPLOAD_BYTES + 1)
    audio.check_size(len(data))
    return data


@router.post("/attempts", status_code=status.HTTP_201_CREATED)
async def create_attempt(
    session: SessionDep,
    caller: CallerDep,
    audio_file: Annotated[UploadFile, File(alias="audio", description="the recording")],
    word_id: Annotated[int, Form(ge=1, le=MAX_ROW_ID)],
    part: Annotated[str, Form(description="term (the word) or example (its sentence)")] = "term",
    session_id: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)] = None,
) -> AttemptPublic:
    """Score a spoken attempt, keep it and record it as a review of the word."""
    user = caller.user
    prompt = await run_in_threadpool(attempts.prompt_for, session, user, word_id, part)
    if session_id is not None:
        await run_in_threadpool(session_history.own_session, session, user, session_id)
    data = await _read_capped(audio_file)
    recording = await run_in_threadpool(audio.load, data)
    scored = await worker.score(recording.samples, prompt.target, data_dir=get_settings().data_dir)
    attempt = await run_in_threadpool(
        attempts.record_attempt,
        session,
        user,
        prompt,
        recording,
        judgement=scored.judgement,
        evidence=scored.evidence.as_dict(),
        scoring_seconds=scored.seconds,
        study_session_id=session_id,
    )
    return _public(attempt)


@router.get("/attempts/{attempt_id}")
def get_attempt(attempt_id: RowId, session: SessionDep, caller: CallerDep) -> AttemptPublic:
    """One of the caller's attempts, with its scores and a replay link."""
    return _public(attempts.get_attempt(session, caller.user, attempt_id))


@router.get(
    "/attempts/{attempt_id}/audio",
    response_class=Response,
    responses={200: {"content": {"audio/wav": {}}, "description": "The recording, as WAV."}},
)
def attempt_audio(
    attempt_id: RowId,
    request: Request,
    session: SessionDep,
    token: TokenDep,
    user: Annotated[int | None, Query(ge=1)] = None,
    expires: Annotated[int | None, Query(ge=0)] = None,
    sig: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The learner's recording; authorised by a bearer token or the attempt's signed link."""
    if sig is not None:
        attempt = attempts.linked_attempt(
            session, attempt_id, user_id=user, expires=expires, signature=sig
        )
    else:
        caller = current_caller(request, session, token)
        attempt = attempts.get_attempt(session, caller.user, attempt_id)
    return Response(
        attempt.audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=600"}
    )
