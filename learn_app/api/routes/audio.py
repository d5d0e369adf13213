"""Spoken audio of words and their example sentences (espeak-ng, cached on disk).

An <audio> element cannot send a bearer header, so `GET /api/audio/{word_id}` also accepts a
signed link from `GET /api/audio/{word_id}/link` (or from `services.speech.audio_link` in the
app's own pages): valid for minutes, for one word, part and user, and never the sign-in
token itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel

from learn_app.api.deps import CallerDep, SessionDep, TokenDep, current_caller
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Problem
from learn_app.services.content import speech

router = APIRouter(
    prefix="/audio",
    tags=["study"],
    responses={401: {"model": Problem}, 404: {"model": Problem}, 503: {"model": Problem}},
)

PartQuery = Annotated[speech.Part, Query(description="term (the word) or example (its sentence)")]
# Private: the audio is fetched with credentials. An hour: the text of a word rarely changes,
# and when it does the ETag (a hash of what was said) changes with it.
CACHE_CONTROL = "private, max-age=3600"


class AudioLinkPublic(BaseModel):
    url: str
    expires_at: int


@router.get(
    "/{word_id}",
    response_class=FileResponse,
    responses={200: {"content": {speech.MEDIA_TYPE: {}}, "description": "A WAV file."}},
)
def word_audio(
    word_id: RowId,
    request: Request,
    session: SessionDep,
    token: TokenDep,
    part: PartQuery = "term",
    user: Annotated[int | None, Query(ge=1)] = None,
    expires: Annotated[int | None, Query(ge=0)] = None,
    s: Annotated[str | None, Query(max_length=64, description="the sign-in it was made in")] = None,
    sig: Annotated[str | None, Query(max_length=100)] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The word (or its example) spoken; authorised by a bearer token or a signed link."""
    if sig is not None:
        viewer = speech.link_viewer(
            session, word_id, part, user_id=user, expires=expires, sign_in=s, signature=sig
        )
    else:
        viewer = current_caller(request, session, token).user
    audio = speech.word_audio(session, viewer, word_id, part)
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": f'"{audio.key}"'}
    if if_none_match and f'"{audio.key}"' in if_none_match:
        return Response(status_code=304, headers=headers)
    return FileResponse(audio.path, media_type=audio.media_type, headers=headers)


@router.get("/{word_id}/link")
def word_audio_link(
    word_id: RowId, caller: CallerDep, session: SessionDep, part: PartQuery = "term"
) -> AudioLinkPublic:
    """A short-lived URL for an <audio> element, which cannot send the bearer header."""
    speech.spoken_text(speech.visible_word(session, caller.user, word_id), part)
    link = speech.audio_link(word_id, part, caller.user.id, sign_in=caller.session_id)
    return AudioLinkPublic(url=link.url, expires_at=link.expires_at)
