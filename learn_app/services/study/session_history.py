"""A learner's past and current study sessions as the pages and the API show them: the list,
one session with its words, the summary at the end, and what a session studied (its heading).
Answers are counted in SQL. Learners see only their own sessions; another learner's is
NotFound, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from learn_app.models import Review, StudyActivity, StudySession, User, Word, WordGroup
from learn_app.models.base import utcnow
from learn_app.services.errors import NotFound
from learn_app.services.paging import MAX_PAGE_SIZE, Page

# Headings of a session without a group: today's plan, or the words chosen on Progress.
TODAYS_PLAN = "Today's plan"


HARDEST_WORDS = "Hardest words"


@dataclass(frozen=True)
class SessionRow:
    """One study session as the sessions list shows it."""

    id: int
    activity_id: int
    activity_name: str
    activity_slug: str
    group_id: int | None
    group_name: str | None
    started_at: datetime
    ended_at: datetime | None
    review_count: int
    correct_count: int
    chosen_words: bool = False  # the session works through words chosen on Progress

    @property
    def heading(self) -> str:
        """What the session studied, as a page heads it (`session_heading`)."""
        if self.group_id is not None and self.group_name:
            return self.group_name
        return HARDEST_WORDS if self.chosen_words else TODAYS_PLAN

    @property
    def wrong_count(self) -> int:
        return self.review_count - self.correct_count

    @property
    def accuracy(self) -> float:
        """Percent of answers right, one decimal; 0 for a session with no answers."""
        if not self.review_count:
            return 0.0
        return round(100.0 * self.correct_count / self.review_count, 1)


@dataclass(frozen=True)
class SessionWord:
    """A word answered in a session, with how often it was answered right and wrong there."""

    word_id: int
    term: str
    reading: str
    meaning: str
    correct: int
    wrong: int
    romaji: str = ""
    language: str = ""


@dataclass(frozen=True)
class SessionDetail:
    session: SessionRow
    words: list[SessionWord]  # in the order they were first answered


@dataclass(frozen=True)
class SessionSummary:
    session: SessionRow
    duration_seconds: int
    # Words answered wrong at least once, the most often missed first.
    words_to_review: list[SessionWord]

    @property
    def accuracy(self) -> float:
        return self.session.accuracy


def session_heading(study: StudySession, group_name: str | None = None) -> str:
    """What a session studies, as its pages head it: its group (`group_name`), the hardest
    words a learner chose to study on Progress, or today's plan."""
    if study.group_id is not None and group_name:
        return group_name
    return HARDEST_WORDS if study.word_ids else TODAYS_PLAN


SESSION_NOT_FOUND = "That study session does not exist."


def own_session(session: Session, user: User, study_session_id: int) -> StudySession:
    """The learner's study session; NotFound for anyone else's."""
    study = session.get(StudySession, study_session_id)
    if study is None or study.user_id != user.id:
        raise NotFound(SESSION_NOT_FOUND)
    return study


def session_summary(
    session: Session, user: User, study_session_id: int, *, now: datetime | None = None
) -> SessionSummary:
    """Accuracy, time spent (until now, while the session is open) and the words missed."""
    row = session_row(session, user, study_session_id)
    end = row.ended_at or utc_moment(now)
    words = _session_words(session, study_session_id)
    return SessionSummary(
        session=row,
        duration_seconds=max(0, int((end - row.started_at).total_seconds())),
        words_to_review=sorted((w for w in words if w.wrong), key=lambda w: -w.wrong),
    )


def list_sessions(
    session: Session,
    user: User,
    *,
    activity_id: int | None = None,
    group_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """The learner's sessions, newest first, as `SessionRow`s; filter by activity or group."""
    page, per_page = max(1, page), min(max(1, per_page), MAX_PAGE_SIZE)
    conditions: list[Any] = [StudySession.user_id == user.id]
    if activity_id is not None:
        conditions.append(StudySession.activity_id == activity_id)
    if group_id is not None:
        conditions.append(StudySession.group_id == group_id)
    total = session.exec(select(func.count(col(StudySession.id))).where(*conditions)).one()
    rows = _session_rows(session, *conditions, limit=per_page, offset=(page - 1) * per_page)
    return Page(rows, page, per_page, int(total))


def get_session(session: Session, user: User, study_session_id: int) -> SessionDetail:
    """The session with every word answered in it, right and wrong counted."""
    row = session_row(session, user, study_session_id)
    return SessionDetail(row, _session_words(session, study_session_id))


def session_row(session: Session, user: User, study_session_id: int) -> SessionRow:
    """The learner's session with its answers counted, without the words."""
    own_session(session, user, study_session_id)
    (row,) = _session_rows(session, StudySession.id == study_session_id, limit=1)
    return row


def session_words(
    session: Session, user: User, study_session_id: int, *, page: int = 1, per_page: int = 100
) -> Page:
    """The words answered in the learner's session, in the order first answered, a page at a
    time, as `SessionWord`s."""
    own_session(session, user, study_session_id)
    page, per_page = max(1, page), min(max(1, per_page), MAX_PAGE_SIZE)
    total = session.exec(
        select(func.count(func.distinct(Review.word_id))).where(
            Review.session_id == study_session_id
        )
    ).one()
    words = _session_words(session, study_session_id, limit=per_page, offset=(page - 1) * per_page)
    return Page(words, page, per_page, int(total))


def last_session(session: Session, user: User) -> SessionRow | None:
    """The learner's most recently started session, or None before their first."""
    rows = _session_rows(session, StudySession.user_id == user.id, limit=1)
    return rows[0] if rows else None


def _session_rows(
    session: Session, *conditions: Any, limit: int, offset: int = 0
) -> list[SessionRow]:
    """Sessions newest first, one page of them, with their answers counted in SQL."""
    newest_first = (col(StudySession.started_at).desc(), col(StudySession.id).desc())
    paged = (
        select(StudySession.id)
        .where(*conditions)
        .order_by(*newest_first)
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    correct = func.count(col(Review.id)).filter(col(Review.correct))
    rows = session.exec(
        select(  # type: ignore[call-overload]
            StudySession,
            StudyActivity.name,
            StudyActivity.slug,
            WordGroup.name,
            func.count(col(Review.id)),
            correct,
        )
        .join(paged, paged.c.id == col(StudySession.id))
        .join(StudyActivity, col(StudyActivity.id) == col(StudySession.activity_id))
        .join(WordGroup, col(WordGroup.id) == col(StudySession.group_id), isouter=True)
        .join(Review, col(Review.session_id) == col(StudySession.id), isouter=True)
        .group_by(col(StudySession.id), col(StudyActivity.id), col(WordGroup.id))
        .order_by(*newest_first)
    ).all()
    return [
        SessionRow(
            id=study.id,
            activity_id=study.activity_id,
            activity_name=activity_name,
            activity_slug=activity_slug,
            group_id=study.group_id,
            group_name=group_name,
            started_at=study.started_at,
            ended_at=study.ended_at,
            review_count=int(total),
            correct_count=int(right),
            chosen_words=bool(study.word_ids),
        )
        for study, activity_name, activity_slug, group_name, total, right in rows
    ]


def _session_words(
    session: Session, study_session_id: int, *, limit: int | None = None, offset: int = 0
) -> list[SessionWord]:
    first_answer = func.min(col(Review.id))
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Word.id,
            Word.term,
            Word.reading,
            Word.meaning,
            func.count(col(Review.id)).filter(col(Review.correct)),
            func.count(col(Review.id)).filter(~col(Review.correct)),
            func.coalesce(Word.parts["romaji"].as_string(), ""),
            Word.language,
        )
        .join(Review, col(Review.word_id) == col(Word.id))
        .where(Review.session_id == study_session_id)
        .group_by(col(Word.id))
        .order_by(first_answer, col(Word.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        SessionWord(word_id, term, reading, meaning, int(right), int(wrong), romaji, language)
        for word_id, term, reading, meaning, right, wrong, romaji, language in rows
    ]


def utc_moment(now: datetime | None) -> datetime:
    """`now` in UTC (a naive one taken as UTC), or the present moment when None."""
    if now is None:
        return utcnow()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
