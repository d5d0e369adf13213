"""When each word comes back: the FSRS scheduler (PyPI `fsrs`), per learner.

Ratings. Every review is stored with one of FSRS's four grades:

| stored rating | fsrs.Rating | meaning |
|---|---|---|
| `again` | `Rating.Again` | not recalled (the only grade a wrong answer can have) |
| `hard`  | `Rating.Hard`  | recalled, with effort or a small slip |
| `good`  | `Rating.Good`  | recalled |
| `easy`  | `Rating.Easy`  | recalled at once, without effort |

How each activity's answer becomes a rating when it gives none of its own
(`rating_for_answer`):

| activity | wrong | right | right, but only nearly (`close_match`) |
|---|---|---|---|
| flashcards | the learner rates (keys 1–4); `again` counts as wrong | | |
| multiple-choice, listening, cloze | `again` | `good` | — |
| typing | `again` | `good` | `hard` (a small typo, a missing accent) |

`again` and "wrong" are the same thing: an answer marked wrong with another rating, or marked
right with `again`, is refused, so the review log FSRS learns from stays truthful.

Scheduler per learner: FSRS with the learner's `desired_retention` (Settings) and, once they
have `MIN_REVIEWS_TO_FIT` reviews, parameters fitted to their own review log by the package's
optimizer. Fitting runs in a background process (`learn_app.services.study.fitting`), asked
for after the commit of the review that crosses the threshold and again every `REFIT_EVERY_REVIEWS`
reviews; the result is kept in `learner_scheduler.parameters`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from fsrs import Card, Scheduler
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, func, select

from learn_app.logging import get_logger
from learn_app.models import CardStage, CardState, LearnerScheduler, Review, ReviewRating, User
from learn_app.services.after_commit import after_commit
from learn_app.services.errors import InvalidInput
from learn_app.services.study import answer_rows, fitting
from learn_app.services.study.fsrs_terms import (
    FSRS_RATINGS,
    FSRS_STATES,
    MAX_RETENTION,
    MIN_RETENTION,
    MIN_REVIEWS_TO_FIT,
    REFIT_EVERY_REVIEWS,
    STAGES,
    utc,
)

log = get_logger("learn_app.scheduling")

# ------------------------------------------------------------------------------ ratings


def rating_for_answer(correct: bool, *, close_match: bool = False) -> ReviewRating:
    """The rating of an answer whose activity gives none: wrong → again, right → good, and
    right-but-only-nearly (a typing answer with a small typo) → hard."""
    if not correct:
        return ReviewRating.again
    return ReviewRating.hard if close_match else ReviewRating.good


def resolve_rating(correct: bool, rating: str | ReviewRating | None) -> ReviewRating:
    """The rating to store: the one given, checked against `correct`, or the default for it."""
    if rating is None or rating == "":
        return rating_for_answer(correct)
    try:
        chosen = ReviewRating(str(rating).strip().lower())
    except ValueError:
        raise InvalidInput("Rate the answer again, hard, good or easy.", field="rating") from None
    if (chosen is ReviewRating.again) == bool(correct):
        raise InvalidInput(
            "A wrong answer is rated again, and a right one hard, good or easy.", field="rating"
        )
    return chosen


# ------------------------------------------------------------------------------ schedulers


@lru_cache(maxsize=256)
def _cached_scheduler(retention: float, parameters: tuple[float, ...] | None) -> Scheduler:
    if parameters is None:
        return Scheduler(desired_retention=retention)
    return Scheduler(parameters=parameters, desired_retention=retention)


def build_scheduler(
    desired_retention: float, parameters: Sequence[float] | None = None
) -> Scheduler:
    """An FSRS scheduler for this retention and parameters (the FSRS defaults when None).

    Parameters FSRS refuses (out of bounds, wrong length) fall back to the defaults: a learner
    must never be unable to study because a stored fit went wrong.
    """
    retention = min(max(float(desired_retention), MIN_RETENTION), MAX_RETENTION)
    if parameters is not None:
        try:
            return _cached_scheduler(retention, tuple(float(p) for p in parameters))
        except (TypeError, ValueError):
            log.warning("scheduler.bad_parameters", parameters=list(parameters))
    return _cached_scheduler(retention, None)


def fitted_parameters(session: Session, user_id: int) -> list[float] | None:
    """The learner's own FSRS parameters, or None while the defaults apply."""
    return session.exec(
        select(col(LearnerScheduler.parameters)).where(LearnerScheduler.user_id == user_id)
    ).first()


def scheduler_for(session: Session, user: User) -> Scheduler:
    """The scheduler this learner's next review will use."""
    return build_scheduler(user.desired_retention, fitted_parameters(session, user.id))


def scheduler_for_review(
    session: Session, user: User, word_id: int
) -> tuple[Scheduler, answer_rows.CountedReview | None]:
    """Count one more review for the learner and return the scheduler to review the word with,
    and the count (which locked and read the word's card too, for `answer_rows.locked_card`),
    None for the learner's first review ever (or since a reset).

    Locks the learner's `learner_scheduler` row until the caller's transaction ends, so one
    learner's reviews are applied one after another even from several tabs; every review path
    takes this lock before any card's, so they cannot deadlock. When the count reaches the next
    fitting point, a fit is asked for once the transaction commits.
    """
    counted = answer_rows.count_review(session, user.id, word_id)
    if counted is not None:
        parameters = counted.parameters
        reviews, requested_at = counted.reviews_recorded, counted.fit_requested_at_reviews
    else:  # the first review ever (or since a reset): count the reviews kept so far
        earlier = session.exec(
            select(func.count(col(Review.id))).where(Review.user_id == user.id)
        ).one()
        parameters, reviews, requested_at = session.exec(
            insert(LearnerScheduler)
            .values(user_id=user.id, reviews_recorded=int(earlier) + 1)
            .on_conflict_do_update(
                index_elements=["user_id"],
                set_={"reviews_recorded": col(LearnerScheduler.reviews_recorded) + 1},
            )
            .returning(
                col(LearnerScheduler.parameters),
                col(LearnerScheduler.reviews_recorded),
                col(LearnerScheduler.fit_requested_at_reviews),
            )
        ).one()
    if _fit_is_due(reviews, requested_at):
        session.exec(
            update(LearnerScheduler)
            .where(col(LearnerScheduler.user_id) == user.id)
            .values(fit_requested_at_reviews=reviews)
        )
        fit_after_commit(session, user.id)
    return build_scheduler(user.desired_retention, parameters), counted


def _fit_is_due(reviews: int, requested_at: int | None) -> bool:
    if reviews < MIN_REVIEWS_TO_FIT:
        return False
    return requested_at is None or reviews - requested_at >= REFIT_EVERY_REVIEWS


def fit_after_commit(session: Session, user_id: int) -> None:
    """Once this transaction commits, fit the learner's parameters in the background; a
    rolled-back transaction asks for nothing."""
    after_commit(session, ("fit", user_id), lambda: fitting.request_fit(user_id))


# ------------------------------------------------------------------------------ cards


def new_card(user_id: int, word_id: int, at: datetime) -> CardState:
    """The card of a word answered for the first time, before that answer is applied."""
    return CardState(user_id=user_id, word_id=word_id, due=at, introduced_at=at)


def apply_review(
    card: CardState,
    rating: ReviewRating,
    at: datetime,
    scheduler: Scheduler,
    *,
    latency_ms: int | None = None,
) -> None:
    """Advance the card by one review, in place: FSRS memory, next due time, reps, lapses."""
    at = utc(at)
    before = CardStage(card.state)
    reviewed, _ = scheduler.review_card(
        Card(
            card_id=card.word_id,
            state=FSRS_STATES[before],
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=utc(card.due),
            last_review=utc(card.last_review) if card.last_review else None,
        ),
        FSRS_RATINGS[rating],
        review_datetime=at,
        review_duration=latency_ms,
    )
    card.state = STAGES[reviewed.state].value
    card.step = reviewed.step
    card.stability = reviewed.stability
    card.difficulty = reviewed.difficulty
    card.due = reviewed.due
    card.last_review = reviewed.last_review
    card.reps += 1
    if before is CardStage.review and rating is ReviewRating.again:
        card.lapses += 1
