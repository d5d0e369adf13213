"""Ask the tutor: answers grounded in the course, with numbered citations, kept as conversations.

The question is searched in the learner's target language; the passages found and the question
go to the model as delimited data (never as instructions) under a system prompt that keeps the
tutor to language learning. The learner's name and email never leave the portal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypedDict

from haystack import Pipeline
from sqlmodel import Session, col, delete, select

from learn_app.llm import calls as llm
from learn_app.llm import chains
from learn_app.llm.chains import LlmContext
from learn_app.llm.providers import ChatMessage
from learn_app.models import TutorConversation, TutorMessage, User
from learn_app.models.base import utcnow
from learn_app.rag.retrieval import Passage
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language.languages import language_name

PURPOSE = "tutor"
MAX_QUESTION_CHARS = 2000
# Lessons and words are searched apart: in one search the many short word entries crowd out
# the lesson that explains the point (fewer questions then find their lesson). Five lessons:
# of the 185 course questions of tests/data/retrieval_questions, the answering lesson is among
# search's first five for 181, among its first four for 173.
LESSON_PASSAGES = 5
WORD_PASSAGES = 2
# Earlier turns sent with a follow-up question, newest last.
HISTORY_MESSAGES = 6
_CITATION = re.compile(r"\[(\d{1,2})\]")


class Citation(TypedDict):
    n: int
    source_type: str
    source_id: int
    title: str


@dataclass(frozen=True)
class TutorAnswer:
    answer: str
    citations: list[Citation]
    provider: str
    notice: str | None
    conversation_id: int


@dataclass(frozen=True)
class ConversationView:
    conversation: TutorConversation
    messages: list[TutorMessage]


@dataclass(frozen=True)
class _Prepared:
    conversation: TutorConversation
    question: str
    language: str
    history: list[ChatMessage]


def _data(text: str) -> str:
    return chains.as_data(text)


def system_prompt(language: str, native_language: str) -> str:
    """The tutor's rules, as the pipeline's prompt component renders them."""
    return chains.template("tutor_system.txt").format(
        language_name=_data(language_name(language)),
        native_language_name=_data(language_name(native_language)),
    )


def question_prompt(question: str, passages: Sequence[Passage]) -> str:
    """The learner's message: the delimited passages, then the delimited question."""
    return chains.template("tutor_question.txt").format(
        passages=chains.passage_blocks(passages) or "(none found)", question=_data(question)
    )


def cited(answer: str, passages: Sequence[Passage]) -> list[Citation]:
    """The passages the answer refers to by [n], in number order."""
    numbers = sorted({int(n) for n in _CITATION.findall(answer) if 1 <= int(n) <= len(passages)})
    return [
        Citation(
            n=n,
            source_type=passages[n - 1].source_type,
            source_id=passages[n - 1].source_id,
            title=passages[n - 1].title,
        )
        for n in numbers
    ]


def _own_conversation(session: Session, user: User, conversation_id: int) -> TutorConversation:
    conversation = session.get(TutorConversation, conversation_id)
    if conversation is None or conversation.user_id != user.id:
        raise NotFound("That conversation does not exist.")
    return conversation


def _history(session: Session, conversation: TutorConversation) -> list[ChatMessage]:
    rows = session.exec(
        select(TutorMessage)
        .where(TutorMessage.conversation_id == conversation.id)
        .order_by(col(TutorMessage.id).desc())
        .limit(HISTORY_MESSAGES)
    ).all()
    history = []
    for row in reversed(rows):
        if row.role == "learner":
            history.append(ChatMessage("user", f"<question>\n{_data(row.text)}\n</question>"))
        else:
            history.append(ChatMessage("assistant", row.text))
    # The API wants turns to alternate, starting with the learner.
    while history and history[0].role != "user":
        history.pop(0)
    return history


def _prepare(
    session: Session,
    user: User,
    question: str,
    language: str | None,
    conversation_id: int | None,
) -> _Prepared:
    question = question.strip()
    if not question:
        raise InvalidInput("Type a question for the tutor.", field="question")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"Questions can be at most {MAX_QUESTION_CHARS} characters.", field="question"
        )
    if conversation_id is not None:
        conversation = _own_conversation(session, user, conversation_id)
        language = language or conversation.language
        history = _history(session, conversation)
    else:
        language = language or user.target_language
        conversation = TutorConversation(
            user_id=user.id,
            title=question[:120],
            language=language,
        )
        history = []
    keep_question(session, conversation, question)
    return _Prepared(conversation, question, language, history)


def keep_question(session: Session, conversation: TutorConversation, question: str) -> None:
    """Store the learner's turn, in a new conversation or one they go on with."""
    conversation.updated_at = utcnow()
    session.add(conversation)
    session.flush()
    session.add(TutorMessage(conversation_id=conversation.id, role="learner", text=question))
    session.commit()


def _pipeline_inputs(
    session: Session, user: User, prepared: _Prepared, on_piece: Callable[[str], None] | None
) -> dict[str, Any]:
    return {
        "retrieve": {"query": prepared.question, "language": prepared.language},
        "prompt": {
            "variables": {
                "question": prepared.question,
                "language_name": language_name(prepared.language),
                "native_language_name": language_name(user.native_language),
            },
            "history": prepared.history,
        },
        "generate": {"context": LlmContext(session, user), "streaming_callback": on_piece},
    }


@cache
def _pipeline() -> Pipeline:
    retriever = chains.CourseRetriever(chains.CourseSearch(), LESSON_PASSAGES, WORD_PASSAGES)
    return chains.tutor_pipeline(PURPOSE, retriever)


def _run(
    session: Session,
    user: User,
    prepared: _Prepared,
    on_piece: Callable[[str], None] | None = None,
) -> tuple[llm.Generation, list[Passage]]:
    outputs = _pipeline().run(
        _pipeline_inputs(session, user, prepared, on_piece), include_outputs_from={"retrieve"}
    )
    return outputs["generate"]["generation"], outputs["retrieve"]["passages"]


def keep_answer(
    session: Session,
    conversation: TutorConversation,
    generation: llm.Generation,
    passages: Sequence[Passage],
) -> TutorAnswer:
    """Store the tutor's turn with the passages it cites, and return it as the learner sees it."""
    result = generation.result
    citations = cited(result.text, passages)
    session.add(
        TutorMessage(
            conversation_id=conversation.id,
            role="tutor",
            text=result.text,
            citations=[dict(c) for c in citations],
            provider=result.provider,
        )
    )
    session.commit()
    return TutorAnswer(
        answer=result.text,
        citations=citations,
        provider=result.provider,
        notice=generation.notice,
        conversation_id=conversation.id,
    )


def ask(
    session: Session,
    user: User,
    question: str,
    *,
    language: str | None = None,
    conversation_id: int | None = None,
) -> TutorAnswer:
    """The tutor's answer to `question`, kept in a new or the given conversation."""
    prepared = _prepare(session, user, question, language, conversation_id)
    generation, passages = _run(session, user, prepared)
    return keep_answer(session, prepared.conversation, generation, passages)


def ask_stream(
    session: Session,
    user: User,
    question: str,
    *,
    language: str | None = None,
    conversation_id: int | None = None,
) -> Iterator[str | TutorAnswer]:
    """As `ask`, yielding the answer's text as it arrives and then the whole `TutorAnswer`.

    If the provider fails part-way, the final answer (offline, with a notice) replaces the
    pieces already shown.
    """
    prepared = _prepare(session, user, question, language, conversation_id)
    for item in chains.pieces_then_result(lambda on_piece: _run(session, user, prepared, on_piece)):
        if isinstance(item, tuple):
            yield keep_answer(session, prepared.conversation, *item)
        else:
            yield item


def list_conversations(session: Session, user: User) -> list[TutorConversation]:
    """The learner's conversations, most recently used first."""
    return list(
        session.exec(
            select(TutorConversation)
            .where(TutorConversation.user_id == user.id)
            .order_by(col(TutorConversation.updated_at).desc(), col(TutorConversation.id).desc())
        ).all()
    )


def get_conversation(session: Session, user: User, conversation_id: int) -> ConversationView:
    conversation = _own_conversation(session, user, conversation_id)
    messages = session.exec(
        select(TutorMessage)
        .where(TutorMessage.conversation_id == conversation_id)
        .order_by(col(TutorMessage.id))
    ).all()
    return ConversationView(conversation=conversation, messages=list(messages))


def delete_conversation(session: Session, user: User, conversation_id: int) -> None:
    conversation = _own_conversation(session, user, conversation_id)
    session.exec(delete(TutorMessage).where(col(TutorMessage.conversation_id) == conversation_id))
    session.delete(conversation)
    session.commit()
