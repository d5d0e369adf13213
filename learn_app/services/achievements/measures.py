"""How far a learner has come on each measure an achievement is declared over.

Most measures are running counts on the learner's `learner_motivation` row, kept by every
review; `mature_words` and `retention_met` are queries, each asked at most once per check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from learn_app.models import CardStage, CardState, Review, User
from learn_app.models.achievements import LearnerMotivation
from learn_app.services.achievements import clock
from learn_app.services.achievements.rules import (
    MATURE_STABILITY_DAYS,
    RETENTION_MIN_REVIEWS,
    RETENTION_WINDOW_DAYS,
    Measure,
)

REVIEW_STAGE = CardStage.review.value


@dataclass(frozen=True)
class Retention:
    reviews: int  # answers to cards in the review stage, in the window
    correct: int
    target: float  # the learner's desired retention, 0–1

    @property
    def rate(self) -> float:
        return self.correct / self.reviews if self.reviews else 0.0

    @property
    def met(self) -> bool:
        return self.reviews >= RETENTION_MIN_REVIEWS and self.rate >= self.target


def mature_words(session: Session, user_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(CardState)
            .where(
                CardState.user_id == user_id,
                col(CardState.stability) >= MATURE_STABILITY_DAYS,
            )
        ).one()
    )


def retention(session: Session, user: User, *, now: datetime | None = None) -> Retention:
    """True retention over the window, as Anki counts it: of the answers to cards past their
    learning steps (the card was in the review stage when answered), the share answered right."""
    at = clock.moment(now)
    total, correct = session.exec(
        select(
            func.count(col(Review.id)),
            func.count(col(Review.id)).filter(col(Review.correct)),
        ).where(
            Review.user_id == user.id,
            col(Review.reviewed_at) >= at - timedelta(days=RETENTION_WINDOW_DAYS),
            col(Review.reviewed_at) <= at,
            Review.card_stage == REVIEW_STAGE,
        )
    ).one()
    return Retention(int(total), int(correct), float(user.desired_retention))


class Measures:
    """The learner's measures for one check, each query asked at most once."""

    def __init__(
        self,
        session: Session | None,
        user: User,
        state: LearnerMotivation,
        *,
        now: datetime | None = None,
        mature: int | None = None,
        retention: Retention | None = None,
    ) -> None:
        """`mature` and `retention` may be given when already known; else they are queried."""
        self._session = session
        self._user = user
        self._state = state
        self._now = now
        self._mature = mature
        self._retention = retention

    @property
    def mature(self) -> int:
        if self._mature is None:
            assert self._session is not None
            self._mature = mature_words(self._session, self._user.id or 0)
        return self._mature

    @property
    def retention(self) -> Retention:
        if self._retention is None:
            assert self._session is not None
            self._retention = retention(self._session, self._user, now=self._now)
        return self._retention

    def value(self, measure: Measure) -> int:
        state = self._state
        if measure is Measure.mature_words:
            return self.mature
        if measure is Measure.retention_met:
            return int(self.retention.met)
        if measure is Measure.activities_tried:
            return len(state.activities_tried or [])
        counts = {
            Measure.reviews: state.total_reviews,
            Measure.finished_sessions: state.finished_sessions,
            Measure.best_streak: state.streak_best,
            Measure.flawless_sessions: state.flawless_sessions,
            Measure.weekends: state.weekends_both_days,
            Measure.backlog_clear_run: state.backlog_best_run,
            Measure.sentences_without_hints: state.sentences_without_hints,
            Measure.best_writing_score: state.best_writing_score,
            Measure.weekly_goals_met: state.weekly_goals_met,
        }
        return int(counts[measure])
