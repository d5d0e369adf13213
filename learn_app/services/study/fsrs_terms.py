"""FSRS's terms in the portal's words: ratings, card stages, retention bounds, fitting points.

Shared by scheduling (which applies reviews) and fitting (which learns a learner's parameters),
so neither has to import the other's internals.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Rating, State

from learn_app.models import CardStage, ReviewRating

MIN_REVIEWS_TO_FIT = 1000
REFIT_EVERY_REVIEWS = 500
# FSRS is defined for retention strictly between 0 and 1; Settings keeps it within this too.
MIN_RETENTION, MAX_RETENTION = 0.7, 0.99

FSRS_RATINGS: dict[ReviewRating, Rating] = {
    ReviewRating.again: Rating.Again,
    ReviewRating.hard: Rating.Hard,
    ReviewRating.good: Rating.Good,
    ReviewRating.easy: Rating.Easy,
}
FSRS_STATES: dict[CardStage, State] = {
    CardStage.learning: State.Learning,
    CardStage.review: State.Review,
    CardStage.relearning: State.Relearning,
}
STAGES = {state: stage for stage, state in FSRS_STATES.items()}
STORED_RATINGS = frozenset(r.value for r in ReviewRating)


def utc(moment: datetime) -> datetime:
    """FSRS insists on UTC; a naive moment is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
