"""Generated example sentences (`/examples`), for teachers: draft them for a group's words
that have none, then edit, publish or reject each draft.

Drafting may call a model for seconds, so it runs in a background handler with its own
database session in a worker thread; the services decide who may do what.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app import db
from learn_app.models import User
from learn_app.services import paging
from learn_app.services.accounts import auth
from learn_app.services.authoring import example_drafts, examples
from learn_app.services.content import common
from learn_app.services.content import groups as groups_service
from learn_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState

log = logging.getLogger(__name__)

__all__ = ["DraftRow", "ExamplesState", "GroupOption"]

DRAFT_FAILED_MESSAGE = "The example sentences couldn't be drafted just now. Please try again."
EDITABLE = ("sentence", "reading", "translation")


@dataclasses.dataclass
class GroupOption:
    id: str
    label: str


@dataclasses.dataclass
class DraftRow:
    id: int = 0
    word_id: int = 0
    term: str = ""
    word_reading: str = ""
    meaning: str = ""
    japanese: bool = False
    sentence: str = ""
    reading: str = ""
    translation: str = ""
    offline: bool = False


def _rows(session: Session, teacher: User) -> list[DraftRow]:
    return [
        DraftRow(
            id=view.draft.id or 0,
            word_id=view.word.id or 0,
            term=view.word.term,
            word_reading=view.word.reading if view.word.reading != view.word.term else "",
            meaning=view.word.meaning,
            japanese=view.word.language == "ja",
            sentence=view.draft.sentence,
            reading=view.draft.reading,
            translation=view.draft.translation,
            offline=view.draft.provider == "offline",
        )
        for view in example_drafts.list_drafts(session, teacher)
    ]


def _summary(run: examples.DraftRun) -> str:
    made = len(run.drafts)
    parts = [f"{made} example sentence{'' if made == 1 else 's'} drafted"]
    if run.missing:
        parts.append(f"{run.missing} word{'' if run.missing == 1 else 's'} without one")
    if run.skipped:
        parts.append(
            f"{run.skipped} word{'' if run.skipped == 1 else 's'} already had an example or a draft"
        )
    return "; ".join(parts) + "."


def _draft_in_thread(token: str, group_id: int) -> tuple[str, str, list[DraftRow]]:
    with db.session_scope() as session:
        teacher = auth.authenticate(session, token).user
        run = examples.draft_examples(session, teacher, group_id=group_id)
        session.flush()
        return _summary(run), run.notice or "", _rows(session, teacher)


class ExamplesState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    groups: list[GroupOption] = []
    group: str = ""
    generating: bool = False
    notice: str = ""
    message: str = ""
    error: str = ""
    drafts: list[DraftRow] = []
    draft_errors: dict[str, str] = {}

    def _refresh(self, session: Session, teacher: User) -> None:
        self.drafts = _rows(session, teacher)

    @rx.event
    def load(self) -> EventSpec | None:
        self.denied = self.message = self.error = self.notice = ""
        self.draft_errors = {}
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                common.require_editor(teacher)
                found = groups_service.list_groups(session, teacher, per_page=paging.MAX_PAGE_SIZE)
                self.groups = [
                    GroupOption(
                        str(row.group.id),
                        f"{row.group.name} · {formatting.language(row.group.language)}",
                    )
                    for row in found.items
                ]
                if self.group not in {g.id for g in self.groups}:
                    self.group = self.groups[0].id if self.groups else ""
                self._refresh(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except PermissionDenied as exc:
            self.denied = exc.message
        self.loaded = True
        return None

    @rx.event
    def choose_group(self, group: str) -> None:
        self.group = group

    @rx.event(background=True)
    async def generate(self):
        async with self:
            if self.generating or not self.group.isdigit():
                return None
            self.generating = True
            self.message = self.error = self.notice = ""
            args = (self.token, int(self.group))
        try:
            message, notice, drafts = await asyncio.to_thread(_draft_in_thread, *args)
        except NotAuthenticated:
            async with self:
                self.generating = False
                return self._sign_in_redirect()
        except DomainError as exc:
            async with self:
                self.generating, self.error = False, exc.message
            return None
        except Exception:
            log.exception("drafting example sentences failed")
            async with self:
                self.generating, self.error = False, DRAFT_FAILED_MESSAGE
            return None
        async with self:
            self.message, self.notice, self.drafts = message, notice, drafts
            self.generating = False
        return None

    def _set_error(self, draft_id: int, message: str) -> None:
        errors = dict(self.draft_errors)
        if message:
            errors[str(draft_id)] = message
        else:
            errors.pop(str(draft_id), None)
        self.draft_errors = errors

    @rx.event
    def edit(self, draft_id: int, field: str, value: str) -> EventSpec | None:
        """Keep an edit of a draft as soon as the teacher leaves the field."""
        if field not in EDITABLE:
            return None
        current = next((d for d in self.drafts if d.id == draft_id), None)
        if current is None or getattr(current, field) == value:
            return None
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                changed = example_drafts.update_draft(session, teacher, draft_id, **{field: value})
                kept = getattr(changed, field)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self._set_error(draft_id, exc.message)
            return None
        self._set_error(draft_id, "")
        self.drafts = [
            dataclasses.replace(d, **{field: kept}) if d.id == draft_id else d for d in self.drafts
        ]
        return None

    def _review(self, draft_id: int, *, publish: bool) -> EventSpec | None:
        self.message = ""
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                if publish:
                    word = example_drafts.publish_draft(session, teacher, draft_id)
                    done = f"Published: it is now the example sentence of {word.term}."
                else:
                    example_drafts.reject_draft(session, teacher, draft_id)
                    done = "Rejected: the word keeps no example sentence."
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self._set_error(draft_id, exc.message)
            return None
        self._set_error(draft_id, "")
        self.drafts = [d for d in self.drafts if d.id != draft_id]
        self.message = done
        return None

    @rx.event
    def publish(self, draft_id: int) -> EventSpec | None:
        return self._review(draft_id, publish=True)

    @rx.event
    def reject(self, draft_id: int) -> EventSpec | None:
        return self._review(draft_id, publish=False)
