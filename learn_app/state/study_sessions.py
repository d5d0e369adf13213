"""Study sessions: the learner's list of them and one session with the words answered in it.

Only the learner's own sessions exist for them: `learn_app.services.study.sessions` answers
NotFound for anyone else's, exactly as for one that does not exist.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.models import ActivityKind
from learn_app.services.errors import NotFound
from learn_app.services.study import activities, session_history
from learn_app.services.study.session_history import SessionRow
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import page_label, route_number
from learn_app.state.signed_in import off_loop

PER_PAGE = 20

__all__ = ["SessionItem", "SessionState", "SessionWordRow", "SessionsState", "session_items"]


@dataclasses.dataclass
class SessionItem:
    """One row of a sessions list."""

    id: int
    activity_id: int
    activity_name: str
    group_id: int  # 0 for a session of today's plan
    group_name: str
    started: str
    ended: str
    reviews: int
    correct: int
    accuracy: str
    in_progress: bool


@dataclasses.dataclass
class SessionWordRow:
    word_id: int
    term: str
    reading: str
    meaning: str
    correct: int
    wrong: int


def _accuracy(row: SessionRow) -> str:
    return formatting.percent(row.accuracy) if row.review_count else "—"


def session_items(rows: list[SessionRow], timezone: str) -> list[SessionItem]:
    return [
        SessionItem(
            id=row.id,
            activity_id=row.activity_id,
            activity_name=row.activity_name,
            group_id=row.group_id or 0,
            group_name=row.heading,
            started=formatting.when(row.started_at, timezone),
            ended=formatting.when(row.ended_at, timezone, empty="In progress"),
            reviews=row.review_count,
            correct=row.correct_count,
            accuracy=_accuracy(row),
            in_progress=row.ended_at is None,
        )
        for row in rows
    ]


class SessionsState(ProtectedState):
    """Every session of the learner, newest first."""

    loaded: bool = False
    sessions: list[SessionItem] = []
    page: int = 1
    total_pages: int = 1
    total: int = 0

    @rx.var
    def page_label(self) -> str:
        return page_label(self.page, self.total_pages, self.total, "session", "sessions")

    @signed_in_handler()
    def _list(self, signed: Signed) -> None:
        user = signed.user
        found = session_history.list_sessions(
            signed.session, user, page=self.page, per_page=PER_PAGE
        )
        self.sessions = session_items(found.items, user.timezone)
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total
        self.loaded = True

    @rx.event
    @off_loop
    def load(self) -> EventSpec | None:
        self.page = 1
        return self._list()

    @rx.event
    @off_loop
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._list()


class SessionState(ProtectedState):
    """One session: its summary and every word answered in it."""

    loaded: bool = False
    missing: str = ""
    session_ref: int = 0
    activity_ref: int = 0
    activity_name: str = ""
    group_ref: int = 0
    group_name: str = ""
    started: str = ""
    ended: str = ""
    in_progress: bool = False
    duration: str = ""
    reviews: int = 0
    correct: int = 0
    wrong: int = 0
    accuracy: str = ""
    words: list[SessionWordRow] = []
    continue_url: str = ""  # an open session of a built-in activity can be carried on

    @rx.var
    def title(self) -> str:
        return f"{self.activity_name} · {self.group_name}" if self.activity_name else "Session"

    @rx.event
    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded = False
        self.missing = ""
        self.session_ref = route_number(self.router.url.path, 1)
        session, user = signed.session, signed.user
        summary = session_history.session_summary(session, user, self.session_ref)
        detail = session_history.get_session(session, user, self.session_ref)
        activity = activities.get_activity(session, summary.session.activity_id)
        row = summary.session
        self.activity_ref = row.activity_id
        self.activity_name = row.activity_name
        self.group_ref = row.group_id or 0
        self.group_name = row.heading
        self.started = formatting.when(row.started_at, user.timezone)
        self.ended = formatting.when(row.ended_at, user.timezone, empty="In progress")
        self.in_progress = row.ended_at is None
        self.duration = formatting.duration(summary.duration_seconds)
        self.reviews, self.correct, self.wrong = (
            row.review_count,
            row.correct_count,
            row.wrong_count,
        )
        self.accuracy = _accuracy(row)
        self.words = [
            SessionWordRow(w.word_id, w.term, w.reading, w.meaning, w.correct, w.wrong)
            for w in detail.words
        ]
        resumable = self.in_progress and activity.kind == ActivityKind.builtin.value
        self.continue_url = (
            activities.launch_url(activity, group_id=row.group_id, session_id=row.id)
            if resumable
            else ""
        )
