"""Tutor: a learner's questions answered from the course, streamed as they are written.

The model (or the offline tutor) runs in a worker thread with its own database session; its
pieces come back through a queue to a background handler, which holds the state lock only to
append each one, so the answer grows in the page while the event loop stays free.

"Explain my answer" in a study activity hands the mistake to `explain_mistake` and opens
`/tutor?explain=1`, whose load starts the explanation the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app import db
from learn_app.models import User
from learn_app.services.accounts import auth
from learn_app.services.errors import InvalidInput, NotAuthenticated, NotFound
from learn_app.services.tutor import explain, tutor
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import checked_id, id_or_zero
from learn_app.state.search import source_href

log = logging.getLogger(__name__)

ROUTE = "/tutor"
EXPLAIN_URL = f"{ROUTE}?explain=1"
# The least time between two updates of a streaming answer: pieces arriving meanwhile are
# shown together.
STREAM_UPDATE_SECONDS = 0.05
EMPTY_QUESTION_MESSAGE = "Type a question for the tutor."
TUTOR_FAILED_MESSAGE = "The tutor isn't answering right now. Please try again in a moment."
OFFLINE_PROVIDER = "offline"
_DONE = object()

__all__ = ["ConversationLink", "ShownCitation", "ShownMessage", "TutorState", "conversation_url"]


@dataclasses.dataclass
class ShownCitation:
    n: int
    title: str
    href: str


@dataclasses.dataclass
class ShownMessage:
    role: str
    text: str
    citations: list[ShownCitation] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ConversationLink:
    id: int
    title: str
    href: str


def conversation_url(conversation_id: int) -> str:
    return f"{ROUTE}?c={conversation_id}"


def _citations(raw: list[Any]) -> list[ShownCitation]:
    return [
        ShownCitation(
            n=int(c["n"]),
            title=str(c.get("title", "")),
            href=source_href(str(c["source_type"]), int(c["source_id"])),
        )
        for c in raw
    ]


def _links(session: Session, user: User) -> list[ConversationLink]:
    """The learner's conversations, as the page lists them."""
    return [
        ConversationLink(id=c.id, title=c.title or "Conversation", href=conversation_url(c.id))
        for c in tutor.list_conversations(session, user)
    ]


@dataclasses.dataclass
class _Listed:
    """The learner's conversations, read in the answer's thread after it changed them."""

    links: list[ConversationLink]


def _answer_in_thread(
    token: str, answer: Callable[[Session, User], Iterator[Any]], pieces: queue.Queue
) -> None:
    """Run the tutor, putting each piece (then the answer, or the error) on `pieces`, and the
    learner's conversations as they stand once an explanation has started and once the
    answer is stored — all database work here, none on the event loop."""
    try:
        with db.session_scope() as session:
            user = auth.authenticate(session, token).user
            for item in answer(session, user):
                pieces.put(item)
                if isinstance(item, explain.ExplanationStarted):
                    pieces.put(_Listed(_links(session, user)))
    except Exception as error:  # handed to the event loop, which decides what to show
        pieces.put(error)
    try:
        with db.session_scope() as session:
            user = auth.authenticate(session, token).user
            pieces.put(_Listed(_links(session, user)))
    except NotAuthenticated as error:
        pieces.put(error)
    except Exception:  # the answer is shown; the list stays as it was
        log.exception("tutor: the list of conversations could not be read")
    finally:
        pieces.put(_DONE)


class TutorState(ProtectedState):
    """The open conversation, the question box and the learner's list of conversations."""

    messages: list[ShownMessage] = []
    conversations: list[ConversationLink] = []
    conversation_id: int = 0
    question: str = ""
    form_key: int = 0
    provider: str = ""
    notice: str = ""
    error: str = ""
    asking: bool = False
    # Where "Back to your study session" leads, while a mistake from there is explained.
    study_url: str = ""

    # The wrong answer `explain_mistake` was given, until the page's load starts explaining it.
    _mistake: dict[str, Any] = {}
    # The question `ask_elsewhere` was given, until the page's load asks it.
    _handed_question: str = ""

    @rx.var
    def is_offline(self) -> bool:
        return self.provider == OFFLINE_PROVIDER

    def _refresh_conversations(self, signed: Signed) -> None:
        self.conversations = _links(signed.session, signed.user)

    def _start_new(self) -> None:
        self.messages = []
        self.conversation_id = 0
        self.provider = ""
        self.notice = ""
        self.error = ""
        self.study_url = ""

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> EventSpec | None:
        """Check the sign-in, list the conversations and open the one the URL names, or
        start explaining the mistake handed over by `explain_mistake`."""
        self._start_new()
        query = self.router.url.query_parameters
        raw_id = str(query.get("c", "") or "")
        explaining = bool(query.get("explain")) and bool(self._mistake)
        # A question this learner asked on another page (Practice → Ask the tutor) is asked at
        # once; one in a link (?q=) only fills the box: opening a link must not spend the
        # learner's tutor budget.
        handed, self._handed_question = self._handed_question, ""
        linked = str(query.get("q", "") or "").strip()
        self._refresh_conversations(signed)
        if raw_id.isdigit():
            self._open(signed, raw_id)
        if self.asking:
            return None
        if explaining:
            return TutorState.explain
        if handed and not raw_id:
            self.question = handed
            return TutorState.ask
        if linked and not raw_id:
            self.question = linked
            self.form_key += 1
        return None

    def _open(self, signed: Signed, raw_id: str) -> None:
        """Show the conversation the URL names; one that is not the learner's is not found."""
        try:
            view = tutor.get_conversation(
                signed.session, signed.user, checked_id(raw_id, "conversation")
            )
        except (NotFound, InvalidInput) as error:
            self.error = error.message
            return
        self.conversation_id = id_or_zero(raw_id)
        self.messages = [
            ShownMessage(m.role, m.text, _citations(m.citations)) for m in view.messages
        ]
        tutor_turns = [m for m in view.messages if m.role == "tutor"]
        self.provider = tutor_turns[-1].provider if tutor_turns else ""

    @rx.event
    def ask_elsewhere(self, form_data: dict[str, str]) -> EventSpec | None:
        """Open the tutor asking what was typed in another page's question box."""
        question = str(form_data.get("question", "")).strip()
        if not question:
            return None
        self._handed_question = question
        return rx.redirect(ROUTE)

    @rx.event
    def explain_mistake(
        self, word_id: int, given: str, expected: str, session_id: int, study_url: str
    ) -> EventSpec:
        """Open the tutor explaining a wrong answer (see `services.explain`)."""
        self._mistake = {
            "word_id": word_id,
            "given": given,
            "expected": expected or None,
            "session_id": session_id or None,
            "study_url": study_url,
        }
        return rx.redirect(EXPLAIN_URL)

    @rx.event
    def new_conversation(self) -> EventSpec:
        self._start_new()
        return rx.redirect(ROUTE)

    @rx.event
    @signed_in_handler({(NotFound, InvalidInput): "error"})
    def delete(self, signed: Signed, conversation_id: int) -> EventSpec | None:
        conversation_id = checked_id(conversation_id, "conversation")
        tutor.delete_conversation(signed.session, signed.user, conversation_id)
        self._refresh_conversations(signed)
        if conversation_id == self.conversation_id:
            self._start_new()
            return rx.redirect(ROUTE)
        return None

    @rx.event
    def submit(self, form_data: dict[str, str]) -> EventSpec | None:
        """Ask what was typed; a blank question is refused, and what was typed stays."""
        self.question = str(form_data.get("question", ""))
        self.error = ""
        if not self.question.strip():
            self.error = EMPTY_QUESTION_MESSAGE
            return None
        return None if self.asking else TutorState.ask

    @rx.event(background=True)
    async def ask(self):
        async with self:
            if self.asking:
                return
            question = self.question.strip()
            self.error = ""
            if not question:
                self.error = EMPTY_QUESTION_MESSAGE
                return
            self.asking = True
            kept = len(self.messages)
            self.messages.append(ShownMessage("learner", question))
            self.messages.append(ShownMessage("tutor", ""))
            token, conversation_id = self.token, self.conversation_id or None

        def answer(session: Session, user: User) -> Iterator[Any]:
            return tutor.ask_stream(session, user, question, conversation_id=conversation_id)

        async for event in self._follow(token, answer, kept):
            yield event

    @rx.event(background=True)
    async def explain(self):
        """Explain the mistake `explain_mistake` handed over, in a new conversation."""
        async with self:
            if self.asking or not self._mistake:
                return
            mistake, self._mistake = dict(self._mistake), {}
            self.study_url = str(mistake.pop("study_url", "") or "")
            self.asking = True
            self.error = ""
            self.messages = [ShownMessage("learner", ""), ShownMessage("tutor", "")]
            token = self.token

        def answer(session: Session, user: User) -> Iterator[Any]:
            return explain.explain_answer_stream(session, user, **mistake)

        async for event in self._follow(token, answer, 0):
            yield event

    async def _follow(
        self, token: str, answer: Callable[[Session, User], Iterator[Any]], kept: int
    ) -> AsyncIterator[EventSpec]:
        """Show the answer as it arrives; on an error, the messages go back to the first `kept`
        and the error is shown instead."""
        pieces: queue.Queue = queue.Queue()
        threading.Thread(
            target=_answer_in_thread, args=(token, answer, pieces), daemon=True
        ).start()
        signed_out: EventSpec | None = None
        done = False
        while not done and signed_out is None:
            # Whatever has arrived goes to the page in one update: a redraw per piece would
            # leave the browser behind the stream.
            batch = [await asyncio.to_thread(pieces.get)]
            while True:
                try:
                    batch.append(pieces.get_nowait())
                except queue.Empty:
                    break
            addresses: list[str] = []
            async with self:
                for item in batch:
                    if item is _DONE:
                        done = True
                        break
                    signed_out = self._show(item, kept)
                    if isinstance(item, explain.ExplanationStarted | tutor.TutorAnswer):
                        # The address names the conversation: a reload reopens it.
                        addresses.append(conversation_url(item.conversation_id))
                    if signed_out is not None:
                        break
            for address in addresses:
                yield rx.call_script(_show_url_script(address))
            if not done:
                await asyncio.sleep(STREAM_UPDATE_SECONDS)
        async with self:
            self.asking = False
        if signed_out is not None:
            yield signed_out

    def _show(self, item: Any, kept: int) -> EventSpec | None:
        """Apply one item of the answer's stream; a redirect when the sign-in has lapsed."""
        if isinstance(item, explain.ExplanationStarted):
            self.messages = [ShownMessage("learner", item.question), ShownMessage("tutor", "")]
            self.conversation_id = item.conversation_id
        elif isinstance(item, _Listed):
            self.conversations = item.links
        elif isinstance(item, str):
            self.messages[-1].text += item
            self.messages = self.messages
        elif isinstance(item, tutor.TutorAnswer):
            self.messages[-1] = ShownMessage("tutor", item.answer, _citations(list(item.citations)))
            self.provider = item.provider
            self.notice = item.notice or ""
            self.conversation_id = item.conversation_id
            self.question = ""
            self.form_key += 1
        elif isinstance(item, NotAuthenticated):
            return self._sign_in_redirect()
        elif isinstance(item, InvalidInput | NotFound):
            self.messages = self.messages[:kept]
            self.error = item.message
        else:
            log.error("tutor failed", exc_info=item)
            self.messages = self.messages[:kept]
            self.error = TUTOR_FAILED_MESSAGE
        return None


def _show_url_script(url: str) -> str:
    """Put `url` in the address bar without loading it, so a reload reopens what is shown."""
    return f"window.history.replaceState(window.history.state, '', {json.dumps(url)})"
