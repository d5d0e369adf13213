"""Workload against desired retention, on the learner's own FSRS parameters.

The `fsrs` package's own simulator (`Optimizer.compute_optimal_retention`) needs torch, 512
answers with their times, and seconds of CPU, and answers only "the best of six retentions"; a
page needs the whole curve in milliseconds. So this is an expected-value simulation with the
package's own memory model (`Scheduler`'s stability and difficulty updates, pinned `fsrs`):

- A new word is introduced with a Good first answer (its first day's learning steps cost
  `new_card_seconds`), then comes back after FSRS's interval for the retention tried.
- At each review the learner recalls it with the probability FSRS predicts for that interval;
  the run splits into a recalled branch (Good) and a forgotten one (Again, plus one relearning
  step the same day), each carrying its probability. Branches whose probability falls under
  `PRUNE_BELOW` stop splitting and follow their recalled path, so every card's weight is kept.
- `daily_new` words start every day for `HORIZON_DAYS`; the figure is the year's average
  answers and minutes a day, the answers costing the learner's own mean answer time.
- "Words remembered" is the retention times the words introduced (as the package's simulator
  counts knowledge), and the cost of one remembered word is minutes over it: the retention
  where that cost is lowest is Anki's "minimum recommended retention".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from fsrs import Rating

from learn_app.services.study.scheduling import build_scheduler

HORIZON_DAYS = 365
RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97)
PRUNE_BELOW = 0.002
DEFAULT_ANSWER_SECONDS = 8.0
NEW_CARD_ANSWERS = 3  # a new word's first day: the first answer and FSRS's two learning steps


@dataclass(frozen=True)
class WorkloadPoint:
    retention: float
    reviews_per_day: float
    minutes_per_day: float
    words_remembered: float  # after a year
    minutes_per_word: float  # minutes a day per word remembered


@dataclass(frozen=True)
class Workload:
    daily_new: int
    answer_seconds: float
    points: list[WorkloadPoint]
    current: float  # the learner's desired retention
    cheapest: float  # the retention with the lowest cost per remembered word


def simulate_workload(
    parameters: Sequence[float] | None,
    desired_retention: float,
    daily_new: int,
    answer_seconds: float | None,
) -> Workload:
    seconds = answer_seconds if answer_seconds and answer_seconds > 0 else DEFAULT_ANSWER_SECONDS
    retentions = sorted({*RETENTIONS, round(desired_retention, 2)})
    key = tuple(parameters) if parameters is not None else None
    points = []
    for retention in retentions:
        reviews, fails = _reviews_per_card(key, retention)
        new_answers = NEW_CARD_ANSWERS * daily_new
        answers = daily_new * (reviews + fails) + new_answers
        words = retention * daily_new * HORIZON_DAYS
        minutes = answers * seconds / 60
        points.append(
            WorkloadPoint(
                retention=retention,
                reviews_per_day=answers,
                minutes_per_day=minutes,
                words_remembered=words,
                minutes_per_word=minutes / words if words else 0.0,
            )
        )
    with_words = [p for p in points if p.words_remembered]
    cheapest = (
        min(with_words, key=lambda p: p.minutes_per_word).retention
        if with_words
        else round(desired_retention, 2)
    )
    return Workload(daily_new, seconds, points, round(desired_retention, 2), cheapest)


@lru_cache(maxsize=512)
def _reviews_per_card(
    parameters: tuple[float, ...] | None, retention: float
) -> tuple[float, float]:
    """Expected reviews (and extra relearning answers) per new card each day, averaged over a
    year of starting `1` card a day: Σ over card ages t of P(review at t) · (H − t) / H."""
    scheduler = build_scheduler(retention, parameters)
    horizon = HORIZON_DAYS
    reviews = fails = 0.0
    difficulty = scheduler._initial_difficulty(rating=Rating.Good, clamp=True)
    stability = scheduler._initial_stability(rating=Rating.Good)
    stack = [(0, stability, difficulty, 1.0)]
    while stack:
        day, stability, difficulty, mass = stack.pop()
        interval = scheduler._next_interval(stability=stability)
        day += interval
        if day >= horizon:
            continue
        weight = mass * (horizon - day) / horizon
        recall = (1 + scheduler._FACTOR * interval / stability) ** scheduler._DECAY
        reviews += weight
        good = (
            day,
            scheduler._next_stability(
                difficulty=difficulty,
                stability=stability,
                retrievability=recall,
                rating=Rating.Good,
            ),
            scheduler._next_difficulty(difficulty=difficulty, rating=Rating.Good),
        )
        if mass * (1 - recall) < PRUNE_BELOW:
            stack.append((*good, mass))
            continue
        fails += weight * (1 - recall)
        forgotten = scheduler._next_stability(
            difficulty=difficulty, stability=stability, retrievability=recall, rating=Rating.Again
        )
        relearned = scheduler._short_term_stability(stability=forgotten, rating=Rating.Good)
        stack.append((*good, mass * recall))
        stack.append(
            (
                day,
                relearned,
                scheduler._next_difficulty(difficulty=difficulty, rating=Rating.Again),
                mass * (1 - recall),
            )
        )
    return reviews, fails
