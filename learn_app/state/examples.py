"""Generated example sentences (`/examples`), for teachers: draft them for a group's words
that have none, then edit, publish or reject each draft.

Drafting may call a model for seconds, so it runs in a background handler with its own
database session in a worker thread; the services decide who may do what.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from learn_app.models import User
from learn_app.services import paging
from learn_app.services.authoring import example_drafts, examples
from learn_app.services.content import common
from learn_app.services.content import groups as groups_service
from learn_app.services.errors import DomainError, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.inputs import checked_id, id_or_zero

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


def _drafted(signed: Signed, group_id: int) -> tuple[str, str, list[DraftRow]]:
    run = examples.draft_examples(signed.session, signed.user, group_id=group_id)
    signed.session.flush()
    return _summary(run), run.notice or "", _rows(signed.session, signed.user)


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
    _draft_in_hand: int = 0  # the draft an edit, publish or reject is about, for its error

    def _refresh(self, session: Session, teacher: User) -> None:
        self.drafts = _rows(session, teacher)

    @rx.event
    @signed_in_handler({PermissionDenied: "denied"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.denied = self.message = self.error = self.notice = ""
        self.draft_errors = {}
        session, teacher = signed.session, signed.user
        common.require_editor(teacher)
        found = groups_service.list_groups(session, teacher, per_page=paging.MAX_PAGE_SIZE)
        self.groups = [
            GroupOption(
                str(row.group.id), f"{row.group.name} · {formatting.language(row.group.language)}"
            )
            for row in found.items
        ]
        if self.group not in {g.id for g in self.groups}:
            self.group = self.groups[0].id if self.groups else ""
        self._refresh(session, teacher)

    @rx.event
    def choose_group(self, group: str) -> None:
        self.group = group

    @rx.event(background=True)
    @signed_in_handler("error", busy="generating", unexpected=DRAFT_FAILED_MESSAGE)
    async def generate(self) -> None:
        async with self:
            group_id = id_or_zero(self.group)
            if self.generating or not group_id:
                return
            self.generating = True
            self.message = self.error = self.notice = ""
            token = self.token
        message, notice, drafts = await run_signed_in(token, lambda s: _drafted(s, group_id))
        async with self:
            self.message, self.notice, self.drafts = message, notice, drafts
            self.generating = False

    def _set_error(self, draft_id: int, message: str) -> None:
        errors = dict(self.draft_errors)
        if message:
            errors[str(draft_id)] = message
        else:
            errors.pop(str(draft_id), None)
        self.draft_errors = errors

    def _show_draft_error(self, error: DomainError) -> None:
        """A refusal is shown under the draft it is about (above the list if it is about none)."""
        if self._draft_in_hand:
            self._set_error(self._draft_in_hand, error.message)
        else:
            self.error = error.message

    @rx.event
    @signed_in_handler(_show_draft_error)
    def edit(self, signed: Signed, draft_id: int, field: str, value: str) -> None:
        """Keep an edit of a draft as soon as the teacher leaves the field."""
        self._draft_in_hand = 0
        current = next((d for d in self.drafts if d.id == draft_id), None)
        if field not in EDITABLE or current is None or getattr(current, field) == value:
            return
        self._draft_in_hand = current.id
        changed = example_drafts.update_draft(
            signed.session, signed.user, current.id, **{field: value}
        )
        kept = getattr(changed, field)
        self._set_error(current.id, "")
        self.drafts = [
            dataclasses.replace(d, **{field: kept}) if d.id == current.id else d
            for d in self.drafts
        ]

    def _review(self, signed: Signed, draft_id: int, *, publish: bool) -> None:
        self.message = ""
        self._draft_in_hand = id_or_zero(draft_id)
        draft_id = checked_id(draft_id, "draft")
        if publish:
            word = example_drafts.publish_draft(signed.session, signed.user, draft_id)
            done = f"Published: it is now the example sentence of {word.term}."
        else:
            example_drafts.reject_draft(signed.session, signed.user, draft_id)
            done = "Rejected: the word keeps no example sentence."
        self._set_error(draft_id, "")
        self.drafts = [d for d in self.drafts if d.id != draft_id]
        self.message = done

    @rx.event
    @signed_in_handler(_show_draft_error)
    def publish(self, signed: Signed, draft_id: int) -> None:
        self._review(signed, draft_id, publish=True)

    @rx.event
    @signed_in_handler(_show_draft_error)
    def reject(self, signed: Signed, draft_id: int) -> None:
        self._review(signed, draft_id, publish=False)
