"""After a review: XP, streak, counts and achievements, in the answer's own transaction.

`install()` registers `on_study_event` with the study sessions service, which calls it for
every review recorded and every session ended. A review is counted at once, in the answer's
transaction (`answer_count.count_answer`: one statement reading only counters; the first answer
of a new day goes through `record_activity`), so a rolled-back answer counts nothing and a
committed one is counted with it. A session's end is counted once that session commits, in a
transaction of its own (`record_activity` with the queried measures); if that failed, the next
check counts it. Every count is keyed to a ledger row that is inserted once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, event, text
from sqlmodel import Session

from learn_app.logging import get_logger
from learn_app.models import Review, StudySession, User
from learn_app.models.achievements import LearnerMotivation
from learn_app.services.achievements import answer_count, awards, backfill, clock, progress
from learn_app.services.achievements.progress import Learner
from learn_app.services.achievements.rules import Achievement
from learn_app.services.after_commit import after_commit
from learn_app.services.study import sessions as study_sessions

log = get_logger("learn_app.achievements")

PENDING = "achievements.pending"
LISTENING = "achievements.listening"
CATCH_UP_ONE_BY_ONE = 200


@dataclass
class _Pending:
    ended: dict[int, list[int]] = field(default_factory=dict)  # learner → ended session ids


def install() -> None:
    """Hear of every review and session end, and of every history reset (safe to call any
    number of times)."""
    study_sessions.on_study_event(on_study_event)
    study_sessions.on_history_reset(on_history_reset)


def on_history_reset(session: Session, user_id: int) -> None:
    """The learner's reviews are gone: so is what they counted (see `recount_after_reset`).
    Anything noted for counting in this transaction is dropped with them."""
    pending: _Pending | None = session.info.get(PENDING)
    if pending is not None:
        pending.ended.pop(user_id, None)
    backfill.recount_after_reset(session, user_id)


def on_study_event(session: Session, row: Review | StudySession) -> None:
    """Count a review now, in its transaction; note an ended session on the database session,
    to be counted after it commits."""
    if isinstance(row, Review):
        if row.id is not None:
            count_review_now(session, row)
        return
    if not session.info.get(LISTENING):
        # Listeners stay for the database session's life (removing one while SQLAlchemy runs
        # them is not allowed); with nothing pending they do nothing.
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)
        session.info[LISTENING] = True
    if row.id is None:
        return
    pending = session.info.setdefault(PENDING, _Pending())
    pending.ended.setdefault(row.user_id, []).append(row.id)


def count_review_now(session: Session, review: Review) -> None:
    """Count the review in the caller's transaction: one statement when its day is already
    counted, else (a new day: the streak moves) the full count for it."""
    counted, _awarded = answer_count.count_answer(session, review)
    if not counted:
        record_activity(session, review.user_id, review_ids=[review.id or 0])


def on_writing_scored(session: Session, user_id: int) -> None:
    """A piece of writing was scored and stored: once that transaction commits, its XP, the
    day's streak and the best score are counted (and a badge it earns announced), rather than
    waiting for the learner's next answer or visit."""
    bind = session.get_bind()

    def count() -> None:
        with Session(bind, expire_on_commit=False) as counting:
            record_activity(counting, user_id, writing=True)
            counting.commit()

    after_commit(session, ("achievements.writing", user_id), count)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    bind = session.get_bind()
    for user_id, ended in pending.ended.items():
        try:
            count_committed(bind, user_id, ended_session_ids=ended)
        except Exception:  # the answer is stored; counting catches up on the next check
            log.exception("achievements.count_failed", user_id=user_id)


def count_committed(
    bind: Engine | Connection,
    user_id: int,
    *,
    review_ids: Sequence[int] = (),
    ended_session_ids: Sequence[int] = (),
) -> list[Achievement]:
    """Count committed reviews and session ends in a transaction of their own: what runs after
    a session's end commits. Counts can be rebuilt from the ledger, and a ledger row lost in a
    crash leaves its review uncounted for the next check, so the commit does not wait for the
    disk."""
    with Session(bind, expire_on_commit=False) as counting:
        counting.connection().execute(text("SET LOCAL synchronous_commit TO OFF"))
        awarded = record_activity(
            counting, user_id, review_ids=review_ids, ended_session_ids=ended_session_ids
        )
        counting.commit()
    return awarded


def record_activity(
    session: Session,
    user_id: int,
    *,
    review_ids: Sequence[int] = (),
    ended_session_ids: Sequence[int] = (),
    writing: bool = False,
    now: datetime | None = None,
) -> list[Achievement]:
    """Count the reviews and session ends (and, with `writing`, the writing not yet given its
    XP), then award what they earned; returns the awards.

    After reviews alone only the running counts are checked (cheap); a session's end also
    checks the measures that need a query (mature words, retention).
    """
    user = session.get(User, user_id)
    if user is None:
        return []
    state = progress.locked_state(session, user_id)
    return _count_and_award(
        session,
        user,
        state,
        review_ids=list(review_ids),
        ended_session_ids=list(ended_session_ids),
        queried=bool(ended_session_ids),
        writing=writing,
        now=now,
    )


def refresh(
    session: Session, user: User, *, now: datetime | None = None
) -> tuple[LearnerMotivation, list[Achievement]]:
    """Bring the learner's counts up to date (writing, a new day's backlog) and award what
    every measure, queried ones included, has reached. Used when they look at their progress.

    Reviews recorded while nothing was listening (a process that never imported this package)
    are counted here: those of the last day one by one, a longer history by the backfill."""
    state = progress.locked_state(session, user.id or 0)
    since = state.updated_at - timedelta(days=1) if state.total_reviews else None
    missed = progress.uncounted_reviews(session, state.user_id, since=since)
    if len(missed) > CATCH_UP_ONE_BY_ONE:
        backfill.backfill_learner(session, state.user_id, now=now)
        state = progress.locked_state(session, state.user_id)
        missed = []
    awarded = _count_and_award(
        session, user, state, review_ids=missed, queried=True, writing=True, now=now
    )
    return state, awarded


def _count_and_award(
    session: Session,
    user: Learner,
    state: LearnerMotivation,
    *,
    review_ids: Sequence[int] = (),
    ended_session_ids: Sequence[int] = (),
    queried: bool,
    writing: bool = False,
    now: datetime | None,
) -> list[Achievement]:
    tz = clock.zone(user.timezone)
    if writing:
        progress.sync_writing(session, state, tz)
    latest = None
    if review_ids:
        found = progress.review_facts(session, list(review_ids))
        # Vacations matter only to a day the streak has not counted yet.
        last = state.streak_last_day
        new_day = any(last is None or clock.local_day(f.reviewed_at, tz) > last for f in found)
        away = progress.vacations(session, state.user_id) if new_day else []
        for facts in found:
            progress.count_review(session, state, facts, tz, away)
            latest = facts.reviewed_at if latest is None else max(latest, facts.reviewed_at)
    # The day is the answers' own (they are timed by the caller); else the clock's.
    at = clock.moment(now if now is not None else latest)
    for study_session_id in ended_session_ids:
        progress.count_session_end(session, state, study_session_id)
    today = clock.local_day(at, tz)
    with session.no_autoflush:  # the counts are written once, below
        progress.check_weekly_goal(session, state, today)
        progress.check_backlog(session, state, today, at)
    state.updated_at = at
    session.add(state)
    session.flush()
    reached = awards.reached(session, user, state, queried=queried, now=at)
    awarded = set(awards.award(session, state.user_id, [a.slug for a in reached], now=at))
    return [a for a in reached if a.slug in awarded]
