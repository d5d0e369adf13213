"""The learner's running counts: what each recorded review and each finished session adds.

Every review is counted once: its XP ledger entry is inserted first, and only a review that
had none adds to the counts. The learner's `learner_motivation` row is locked while counting,
so two tabs answering at once count one after the other.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import exists
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from learn_app.models import CardState, Review, StudyActivity, StudySession, WritingSubmission
from learn_app.models.achievements import (
    LearnerMotivation,
    StreakFreezeUse,
    VacationPeriod,
    XpEntry,
)
from learn_app.services.achievements import clock, xp
from learn_app.services.achievements.rules import FLAWLESS_SESSION_MIN_ANSWERS
from learn_app.services.study.activities import BUILTIN_SLUGS
from learn_app.services.study.streaks import Streak, Vacation, study_day

SENTENCE_BUILDER = "sentence-builder"
WRITING = "writing"
UNAIDED_RATINGS = frozenset({"good", "easy"})  # the constructor's grade without hints or misses
# The columns of `learner_motivation` counted from the history (the rest are settings).
RUNNING_COUNTS = (
    "streak_current", "streak_best", "streak_last_day", "freezes_held", "total_reviews",
    "total_xp", "finished_sessions", "flawless_sessions", "sentences_without_hints",
    "best_writing_score", "writing_synced_id", "weekends_both_days", "backlog_clear_run",
    "backlog_best_run", "backlog_last_day", "weekly_goals_met", "goal_met_week",
    "activities_tried",
)  # fmt: skip


class Learner(Protocol):
    """What counting needs to know of a learner (a `User` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def desired_retention(self) -> float: ...


@dataclass(frozen=True)
class ReviewFacts:
    id: int
    session_id: int | None
    correct: bool
    rating: str
    latency_ms: int | None
    reviewed_at: datetime
    activity: str
    repeated: bool  # the word was answered earlier in the same session


def locked_state(session: Session, user_id: int) -> LearnerMotivation:
    """The learner's row, created on first use, locked until the transaction ends."""
    locked = (
        select(LearnerMotivation)
        .where(LearnerMotivation.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = session.exec(locked).first()
    if found is not None:
        return found
    session.exec(
        insert(LearnerMotivation)
        .values(user_id=user_id, activities_tried=[])
        .on_conflict_do_nothing()
    )
    return session.exec(locked).one()


def read_state(session: Session, user_id: int) -> LearnerMotivation:
    """The learner's row as it is, or the defaults (unsaved) before their first review."""
    found = session.get(LearnerMotivation, user_id)
    return found if found is not None else LearnerMotivation(user_id=user_id, activities_tried=[])


def vacations(session: Session, user_id: int) -> list[Vacation]:
    return [
        Vacation(starts_on, ends_on)
        for starts_on, ends_on in session.exec(
            select(col(VacationPeriod.starts_on), col(VacationPeriod.ends_on))
            .where(VacationPeriod.user_id == user_id)
            .order_by(col(VacationPeriod.starts_on))
        )
    ]


def streak_of(state: LearnerMotivation) -> Streak:
    return Streak(
        current=state.streak_current,
        best=state.streak_best,
        last_day=state.streak_last_day,
        freezes=state.freezes_held,
    )


def review_facts(session: Session, review_ids: list[int]) -> list[ReviewFacts]:
    """The reviews with their activity and whether each repeats a word of its session."""
    earlier = aliased(Review)
    repeated = exists().where(
        col(earlier.session_id) == col(Review.session_id),
        col(earlier.word_id) == col(Review.word_id),
        col(earlier.id) < col(Review.id),
    )
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Review.id,
            Review.session_id,
            Review.correct,
            Review.rating,
            Review.latency_ms,
            Review.reviewed_at,
            func.coalesce(StudyActivity.slug, ""),
            repeated,
        )
        .join(StudySession, col(StudySession.id) == col(Review.session_id), isouter=True)
        .join(StudyActivity, col(StudyActivity.id) == col(StudySession.activity_id), isouter=True)
        .where(col(Review.id).in_(review_ids))
        .order_by(col(Review.reviewed_at), col(Review.id))
    ).all()
    return [ReviewFacts(*row) for row in rows]


def count_review(
    session: Session,
    state: LearnerMotivation,
    facts: ReviewFacts,
    tz: zoneinfo.ZoneInfo,
    away: list[Vacation],
) -> bool:
    """Add one review to the learner's counts; False if it was counted before."""
    day = clock.local_day(facts.reviewed_at, tz)
    points = xp.review_points(facts.activity, correct=facts.correct, repeated=facts.repeated)
    if not xp.add_entry(
        session,
        user_id=state.user_id,
        review_id=facts.id,
        activity=facts.activity[:60],
        points=points,
        seconds=xp.review_seconds(facts.latency_ms),
        earned_at=facts.reviewed_at,
        local_day=day,
    ):
        return False
    state.total_reviews += 1
    state.total_xp += points
    study_on(session, state, day, away)
    if facts.activity in BUILTIN_SLUGS and facts.activity not in (state.activities_tried or []):
        state.activities_tried = [*(state.activities_tried or []), facts.activity]
    if (
        facts.activity == SENTENCE_BUILDER
        and facts.rating in UNAIDED_RATINGS
        and not facts.repeated
    ):
        state.sentences_without_hints += 1
    return True


def study_on(session: Session, state: LearnerMotivation, day: date, away: list[Vacation]) -> None:
    """A day with study: the streak moves on, freezes cover missed days, weekends count."""
    before = state.streak_last_day
    step = study_day(streak_of(state), day, away)
    if before is not None and day.weekday() == 6 and before == day - timedelta(days=1):
        state.weekends_both_days += 1
    state.streak_current = step.streak.current
    state.streak_best = step.streak.best
    state.streak_last_day = step.streak.last_day
    state.freezes_held = step.streak.freezes
    if step.frozen_days:
        session.exec(
            insert(StreakFreezeUse)
            .values([{"user_id": state.user_id, "day": d} for d in step.frozen_days])
            .on_conflict_do_nothing()
        )


def count_session_end(session: Session, state: LearnerMotivation, study_session_id: int) -> None:
    """A session that ended with answers is finished; one of 10+ answers, none wrong, flawless."""
    answers, wrong = session.exec(
        select(
            func.count(col(Review.id)),
            func.count(col(Review.id)).filter(~col(Review.correct)),
        ).where(Review.session_id == study_session_id)
    ).one()
    if not answers:
        return
    state.finished_sessions += 1
    if answers >= FLAWLESS_SESSION_MIN_ANSWERS and not wrong:
        state.flawless_sessions += 1


def check_weekly_goal(session: Session, state: LearnerMotivation, today: date) -> None:
    """Count the week once, the first time its XP or minutes reach the learner's goal."""
    monday = clock.week_start(today)
    if state.goal_met_week == monday or state.weekly_goal_target <= 0:
        return
    done = xp.week_points(
        session, state.user_id, monday, minutes=state.weekly_goal_kind == "minutes"
    )
    if done >= state.weekly_goal_target:
        state.weekly_goals_met += 1
        state.goal_met_week = monday


def check_backlog(session: Session, state: LearnerMotivation, today: date, now: datetime) -> None:
    """A day on which the learner has nothing left due, once they have cards, is a clear day."""
    if state.backlog_last_day is not None and state.backlog_last_day >= today:
        return
    has_cards_due = session.exec(
        select(exists().where(col(CardState.user_id) == state.user_id, col(CardState.due) <= now))
    ).one()
    if has_cards_due or not state.total_reviews:
        return
    yesterday = today - timedelta(days=1)
    run = state.backlog_clear_run + 1 if state.backlog_last_day == yesterday else 1
    state.backlog_clear_run = run
    state.backlog_best_run = max(state.backlog_best_run, run)
    state.backlog_last_day = today


def sync_writing(session: Session, state: LearnerMotivation, tz: zoneinfo.ZoneInfo) -> None:
    """Give XP for the learner's writing submitted since the last sync; keep the best score."""
    rows = session.exec(
        select(WritingSubmission.id, WritingSubmission.score, WritingSubmission.created_at)
        .where(
            WritingSubmission.user_id == state.user_id,
            col(WritingSubmission.id) > state.writing_synced_id,
        )
        .order_by(col(WritingSubmission.id))
    ).all()
    for submission_id, score, created_at in rows:
        day = clock.local_day(created_at, tz)
        if xp.add_entry(
            session,
            user_id=state.user_id,
            writing_submission_id=submission_id,
            activity=WRITING,
            points=xp.WRITING_POINTS,
            seconds=xp.SECONDS_PER_WRITING,
            earned_at=created_at,
            local_day=day,
        ):
            state.total_xp += xp.WRITING_POINTS
            study_on(session, state, day, vacations(session, state.user_id))
        state.best_writing_score = max(state.best_writing_score, int(score or 0))
        if WRITING not in (state.activities_tried or []):
            state.activities_tried = [*(state.activities_tried or []), WRITING]
        state.writing_synced_id = max(state.writing_synced_id, int(submission_id or 0))


def uncounted_reviews(session: Session, user_id: int, *, since: datetime | None) -> list[int]:
    """The learner's reviews (since the time given) that have no XP ledger entry yet."""
    query = select(Review.id).where(
        Review.user_id == user_id,
        ~exists().where(col(XpEntry.review_id) == col(Review.id)),
    )
    if since is not None:
        query = query.where(col(Review.reviewed_at) >= since)
    return [int(review_id) for review_id in session.exec(query.order_by(col(Review.id)))]
