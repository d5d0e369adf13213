"""Today's plan and the forecast of reviews to come, all counted in SQL.

The plan is what the Practice page works through: first every review that is due (the most
overdue first), then new words (never answered) up to the learner's daily goal of new words,
less those already introduced today in the learner's own time zone. New words come from the
groups the learner studies (groups they have sessions in, the most recently studied first) or,
before their first session, from the groups of their target language's courses in course order.
Each query reads the `card_state` indexes, so a learner with 50,000 cards plans in milliseconds.

A study session goes through about `SESSION_WORDS` words (`session_queue`): a session started
from Practice (no group) works through today's plan; a session on a group through the group's
words, due reviews first, then new words, then the rest (`group_study_order`).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import Date, Subquery, and_, case, cast, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Integer
from sqlmodel import Session, col, exists, func, select

from learn_app.models import (
    CardState,
    Course,
    Review,
    Status,
    StudySession,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.base import utcnow
from learn_app.services.study.session_history import own_session

DEFAULT_PLAN_ITEMS = 100
SESSION_WORDS = 20
MAX_FORECAST_DAYS = 365


@dataclass(frozen=True)
class PlanItem:
    word_id: int
    term: str
    reading: str
    meaning: str
    kind: Literal["review", "new"]
    due: datetime | None  # None for a new word
    group_id: int | None  # the studied group a new word comes from


@dataclass(frozen=True)
class TodaysPlan:
    due_count: int  # every review due now
    new_count: int  # new words still to introduce today
    new_introduced_today: int
    daily_goal: int
    group_ids: list[int]  # where new words come from, in order
    items: list[PlanItem]  # reviews first, then new words; at most `limit` of them

    @property
    def total(self) -> int:
        return self.due_count + self.new_count


@dataclass(frozen=True)
class ForecastDay:
    day: date  # in the learner's time zone
    due_count: int  # cards falling due that day (today also counts the overdue ones)


def learner_zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def start_of_local_day(user: User, now: datetime | None = None) -> datetime:
    """Midnight, in the learner's time zone, of the day `now` falls on."""
    tz = learner_zone(user)
    today = (now or utcnow()).astimezone(tz).date()
    return datetime.combine(today, time.min, tz)


def todays_plan(
    session: Session,
    user: User,
    *,
    now: datetime | None = None,
    limit: int = DEFAULT_PLAN_ITEMS,
) -> TodaysPlan:
    """What to study now: the counts of due reviews and new words, and the first `limit`
    items in order. Call it again after each answer: answered cards leave it until due."""
    now = (now or utcnow()).astimezone(UTC)
    limit = max(0, limit)
    due_now = and_(col(CardState.user_id) == user.id, col(CardState.due) <= now)
    due_count = int(session.exec(select(func.count()).select_from(CardState).where(due_now)).one())
    introduced_today = int(
        session.exec(
            select(func.count())
            .select_from(CardState)
            .where(
                CardState.user_id == user.id,
                col(CardState.introduced_at) >= start_of_local_day(user, now),
            )
        ).one()
    )
    groups = study_group_ids(session, user)
    new_allowed = max(0, user.daily_goal - introduced_today)

    reviews = session.exec(
        select(Word.id, Word.term, Word.reading, Word.meaning, CardState.due)  # type: ignore[call-overload]
        .join(Word, col(Word.id) == col(CardState.word_id))
        .where(due_now)
        .order_by(col(CardState.due), col(CardState.word_id))
        .limit(limit)
    ).all()
    items = [PlanItem(w, t, r, m, "review", due, None) for w, t, r, m, due in reviews]
    new_words = _new_words(session, user, groups, new_allowed) if new_allowed and groups else []
    items += [
        PlanItem(w, t, r, m, "new", None, g) for w, t, r, m, g in new_words[: limit - len(items)]
    ]
    return TodaysPlan(
        due_count=due_count,
        new_count=len(new_words),
        new_introduced_today=introduced_today,
        daily_goal=user.daily_goal,
        group_ids=groups,
        items=items,
    )


def study_group_ids(session: Session, user: User) -> list[int]:
    """The groups new words come from: those the learner has sessions in, the most recently
    studied first; before any session, the groups of their target language's courses."""
    last_studied = func.max(StudySession.started_at)
    studied = session.exec(
        select(StudySession.group_id)
        .where(StudySession.user_id == user.id, col(StudySession.group_id).is_not(None))
        .group_by(col(StudySession.group_id))
        .order_by(last_studied.desc(), col(StudySession.group_id))
    ).all()
    if studied:
        return [g for g in studied if g is not None]
    return list(
        session.exec(
            select(WordGroup.id)
            .join(Course, col(Course.id) == col(WordGroup.course_id))
            .where(Course.language == user.target_language)
            .order_by(col(Course.id), col(WordGroup.id))
        ).all()
    )


def _new_words(
    session: Session, user: User, group_ids: list[int], how_many: int
) -> list[tuple[int, str, str, str, int]]:
    """Up to `how_many` published words of the groups the learner has no card for yet, in
    group order then the group's own order; a word in two groups counts once, in the first."""
    group_rank = func.array_position(
        literal(group_ids, ARRAY(Integer)), col(WordGroupMember.group_id)
    )
    no_card_yet = ~exists().where(
        col(CardState.user_id) == user.id, col(CardState.word_id) == col(WordGroupMember.word_id)
    )
    candidates = (
        select(  # type: ignore[call-overload]
            col(Word.id).label("word_id"),
            Word.term,
            Word.reading,
            Word.meaning,
            col(WordGroupMember.group_id).label("group_id"),
            group_rank.label("group_rank"),
            col(WordGroupMember.position).label("position"),
        )
        .distinct(col(Word.id))
        .join(Word, col(Word.id) == col(WordGroupMember.word_id))
        .where(
            col(WordGroupMember.group_id).in_(group_ids),
            Word.status == Status.published.value,
            no_card_yet,
        )
        .order_by(col(Word.id), group_rank, col(WordGroupMember.position))
        .subquery()
    )
    rows = session.exec(
        select(  # type: ignore[call-overload]
            candidates.c.word_id,
            candidates.c.term,
            candidates.c.reading,
            candidates.c.meaning,
            candidates.c.group_id,
        )
        .order_by(candidates.c.group_rank, candidates.c.position, candidates.c.word_id)
        .limit(how_many)
    ).all()
    return [(w, t, r, m, g) for w, t, r, m, g in rows]


def forecast(
    session: Session, user: User, days: int = 30, *, now: datetime | None = None
) -> list[ForecastDay]:
    """Cards due on each of the next `days` days (today first) in the learner's time zone.

    Today's count includes every card already overdue, so the first day reads as "to review
    today". Counted with one GROUP BY over the (user_id, due) index.
    """
    days = min(max(1, days), MAX_FORECAST_DAYS)
    tz = learner_zone(user)
    today = (now or utcnow()).astimezone(tz).date()
    window_end = datetime.combine(today + timedelta(days=days), time.min, tz)
    local_day = cast(func.timezone(tz.key, col(CardState.due)), Date)
    day = func.greatest(local_day, literal(today, Date))
    counts = dict(
        session.exec(
            select(day, func.count())
            .where(CardState.user_id == user.id, col(CardState.due) < window_end)
            .group_by(day)
        ).all()
    )
    return [
        ForecastDay(today + timedelta(days=n), int(counts.get(today + timedelta(days=n), 0)))
        for n in range(days)
    ]


# ------------------------------------------------------------------------- study sessions


@dataclass(frozen=True)
class SessionQueue:
    """Where a study session stands: the words answered in it and those still to come."""

    answered_word_ids: list[int]  # in the order they were first answered
    words: list[Word]  # still to answer, in order

    @property
    def answered(self) -> int:
        return len(self.answered_word_ids)

    @property
    def total(self) -> int:
        return self.answered + len(self.words)


def _group_order(user: User, group_id: int, now: datetime | None) -> Subquery:
    """The group's published words with what orders them for a session: reviews due now (the
    most overdue first), then words never answered (in the group's order), then the rest (the
    soonest due first, so the next to be forgotten come before the well-known)."""
    now = (now or utcnow()).astimezone(UTC)
    due = col(CardState.due)
    stage = case(
        (col(CardState.word_id).is_(None), 1),
        (due <= now, 0),
        else_=2,
    )
    return (
        select(
            col(Word.id).label("word_id"),
            stage.label("stage"),
            due.label("due"),
            col(WordGroupMember.position).label("position"),
        )
        .join(WordGroupMember, col(WordGroupMember.word_id) == col(Word.id))
        .outerjoin(
            CardState,
            and_(col(CardState.word_id) == col(Word.id), col(CardState.user_id) == user.id),
        )
        .where(WordGroupMember.group_id == group_id, Word.status == Status.published.value)
        .subquery("group_order")
    )


def group_study_order(
    session: Session, user: User, group_id: int, *, now: datetime | None = None
) -> list[int]:
    """The group's published words in the order a session takes them (`_group_order`)."""
    order = _group_order(user, group_id, now)
    rows = session.exec(
        select(order.c.word_id).order_by(
            order.c.stage, order.c.due, order.c.position, order.c.word_id
        )
    ).all()
    return [word_id for word_id in rows if word_id is not None]


def session_queue(
    session: Session,
    user: User,
    study_session_id: int,
    *,
    keep: Callable[[Word], bool] | None = None,
    size: int = SESSION_WORDS,
    now: datetime | None = None,
) -> SessionQueue:
    """The words of the learner's study session: those already answered in it, and up to
    `size` in all with those still to come — today's plan for a session started from
    Practice, the group's words (`group_study_order`) for a session on a group.

    A session on chosen words (`study_session.word_ids`) works through those still published.
    It is derived from the session's answers, so asking again after a reload (or from another
    tab) goes on with the next word nobody answered. `keep` leaves out words the activity
    cannot ask (a cloze needs an example sentence that contains the word). A session on a
    group is worked out in one statement: it runs after every answer.
    """
    study = own_session(session, user, study_session_id)
    if study.group_id is not None and not study.word_ids:
        return _group_session_queue(session, user, study, keep, size, now)
    answered = _answered_word_ids(session, study_session_id)
    room = max(0, size - len(answered))
    if study.ended_at is not None or room == 0:
        return SessionQueue(answered, [])
    if study.word_ids:
        order = _published(session, [int(w) for w in study.word_ids])
    else:
        order = [item.word_id for item in todays_plan(session, user, now=now).items]
    done = set(answered)
    candidates = [word_id for word_id in order if word_id not in done]
    by_id = {
        word.id: word
        for word in session.exec(select(Word).where(col(Word.id).in_(candidates))).all()
    }
    return SessionQueue(answered, _to_come((by_id.get(w) for w in candidates), keep, room))


def _to_come(
    words: Iterable[Word | None], keep: Callable[[Word], bool] | None, room: int
) -> list[Word]:
    """The first `room` of `words` the activity can ask."""
    to_come: list[Word] = []
    for word in words:
        if len(to_come) >= room:
            break
        if word is not None and (keep is None or keep(word)):
            to_come.append(word)
    return to_come


def _group_session_queue(
    session: Session,
    user: User,
    study: StudySession,
    keep: Callable[[Word], bool] | None,
    size: int,
    now: datetime | None,
) -> SessionQueue:
    """`session_queue` of a session on a group: the words answered in it (the first answer of
    each, in order; a word since taken out of the group still counts) beside the group's
    words in study order, the unanswered ones as whole rows."""
    answered = (
        select(col(Review.word_id).label("word_id"), func.min(col(Review.id)).label("first_answer"))
        .where(Review.session_id == study.id)
        .group_by(col(Review.word_id))
        .subquery("answered")
    )
    order = _group_order(user, study.group_id or 0, now)
    rows = session.exec(
        select(answered.c.word_id, Word)
        .select_from(order)
        .join(answered, answered.c.word_id == order.c.word_id, full=True)
        .outerjoin(Word, and_(col(Word.id) == order.c.word_id, answered.c.word_id.is_(None)))
        .order_by(
            answered.c.first_answer,
            order.c.stage,
            order.c.due,
            order.c.position,
            order.c.word_id,
        )
    ).all()
    answered_ids = [word_id for word_id, _ in rows if word_id is not None]
    room = max(0, size - len(answered_ids))
    if study.ended_at is not None or room == 0:
        return SessionQueue(answered_ids, [])
    return SessionQueue(answered_ids, _to_come((word for _, word in rows), keep, room))


def _published(session: Session, word_ids: list[int]) -> list[int]:
    """The chosen words still published, in the order chosen."""
    kept = set(
        session.exec(
            select(Word.id).where(col(Word.id).in_(word_ids), Word.status == Status.published.value)
        ).all()
    )
    return [w for w in word_ids if w in kept]


def _answered_word_ids(session: Session, study_session_id: int) -> list[int]:
    rows = session.exec(
        select(Review.word_id)
        .where(Review.session_id == study_session_id)
        .group_by(col(Review.word_id))
        .order_by(func.min(col(Review.id)))
    ).all()
    return list(rows)
