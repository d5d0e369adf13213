"""The AI tutor over REST: ask a question, have a wrong answer explained, and reopen or delete
the conversations kept.

The same service as the Tutor page; answers come from the configured provider (Claude) or, when
none is configured, the provider fails or the learner's daily budget is spent, from the offline
tutor, with `notice` saying so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Problem, RequestBody, ResponseBody
from learn_app.services.tutor import explain, tutor

router = APIRouter(prefix="/tutor", tags=["tutor"], responses={422: {"model": Problem}})


class TutorQuestion(RequestBody):
    question: str
    language: str | None = Field(default=None, max_length=8)
    conversation_id: int | None = Field(default=None, ge=1)


class WrongAnswer(RequestBody):
    word_id: int = Field(ge=1)
    given: str
    expected: str | None = None
    session_id: int | None = Field(default=None, ge=1)


class CitationPublic(BaseModel):
    n: int
    source_type: str
    source_id: int
    title: str


class TutorAnswerPublic(BaseModel):
    answer: str
    citations: list[CitationPublic]
    provider: str
    notice: str | None
    conversation_id: int


class ConversationPublic(ResponseBody):
    id: int
    title: str
    language: str
    created_at: datetime
    updated_at: datetime


class MessagePublic(ResponseBody):
    role: str
    text: str
    citations: list[dict[str, Any]]
    provider: str
    created_at: datetime


class ConversationDetail(BaseModel):
    conversation: ConversationPublic
    messages: list[MessagePublic]


@router.post("/ask", responses={404: {"model": Problem}})
def ask(body: TutorQuestion, caller: CallerDep, session: SessionDep) -> TutorAnswerPublic:
    """An answer grounded in the published course content, with numbered citations."""
    answer = tutor.ask(
        session,
        caller.user,
        body.question,
        language=body.language,
        conversation_id=body.conversation_id,
    )
    return _answer_public(answer)


@router.post("/explain", responses={404: {"model": Problem}})
def explain_answer(body: WrongAnswer, caller: CallerDep, session: SessionDep) -> TutorAnswerPublic:
    """Why `given` is not the answer for the word (`expected`, by default the word's meaning),
    explained in the learner's own language and kept as a new conversation. `session_id` is
    the study session the answer was given in."""
    answer = explain.explain_answer(
        session,
        caller.user,
        word_id=body.word_id,
        given=body.given,
        expected=body.expected,
        session_id=body.session_id,
    )
    return _answer_public(answer)


def _answer_public(answer: tutor.TutorAnswer) -> TutorAnswerPublic:
    return TutorAnswerPublic(
        answer=answer.answer,
        citations=[CitationPublic(**citation) for citation in answer.citations],
        provider=answer.provider,
        notice=answer.notice,
        conversation_id=answer.conversation_id,
    )


@router.get("/conversations")
def list_conversations(caller: CallerDep, session: SessionDep) -> list[ConversationPublic]:
    """The caller's conversations, most recently used first."""
    return [
        ConversationPublic.model_validate(conversation)
        for conversation in tutor.list_conversations(session, caller.user)
    ]


@router.get("/conversations/{conversation_id}", responses={404: {"model": Problem}})
def read_conversation(
    conversation_id: RowId, caller: CallerDep, session: SessionDep
) -> ConversationDetail:
    view = tutor.get_conversation(session, caller.user, conversation_id)
    return ConversationDetail(
        conversation=ConversationPublic.model_validate(view.conversation),
        messages=[MessagePublic.model_validate(message) for message in view.messages],
    )


@router.delete(
    "/conversations/{conversation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"model": Problem}},
)
def delete_conversation(conversation_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    tutor.delete_conversation(session, caller.user, conversation_id)
