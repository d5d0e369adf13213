"""Every achievement, one declaration each: what a learner reads, what is measured, how far.

An achievement is earned when its measure reaches its target, and only once. Measures are
computed in `measures.py`; the cheap ones (running counts kept by every review) are checked
after each answer, the ones that need a query when a session ends and when the learner looks
at their achievements. Rewarding memory over volume, most targets are about remembering
(mature words, retention) or regularity (streaks), not about answering fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from learn_app.services.study.activities import BUILTIN_SLUGS


class Measure(StrEnum):
    reviews = "reviews"  # completed reviews, all time
    finished_sessions = "finished_sessions"  # sessions ended with at least one answer
    best_streak = "best_streak"  # the longest streak, in days
    mature_words = "mature_words"  # words with FSRS stability of 21 days or more
    flawless_sessions = "flawless_sessions"  # sessions of 10+ answers without a mistake
    weekends = "weekends"  # weekends studied on both Saturday and Sunday
    activities_tried = "activities_tried"  # built-in activities with at least one answer
    backlog_clear_run = "backlog_clear_run"  # days running that ended with nothing due
    retention_met = "retention_met"  # 1 when 30-day true retention met the learner's target
    sentences_without_hints = "sentences_without_hints"
    best_writing_score = "best_writing_score"
    weekly_goals_met = "weekly_goals_met"


# Measured by a query rather than kept as a running count: checked at a session's end and
# when the learner opens their achievements, not after every answer.
QUERIED_MEASURES = frozenset({Measure.mature_words, Measure.retention_met})

MATURE_STABILITY_DAYS = 21.0
FLAWLESS_SESSION_MIN_ANSWERS = 10
RETENTION_WINDOW_DAYS = 30
RETENTION_MIN_REVIEWS = 200


@dataclass(frozen=True)
class Achievement:
    slug: str
    name: str
    rule: str  # what the learner reads: exactly what earns it
    measure: Measure
    target: int
    unit: str  # for the progress label: "3 of 7 days"
    icon: str  # a lucide icon name


def _streak(days: int, name: str) -> Achievement:
    return Achievement(
        f"streak-{days}",
        name,
        f"Study {days} days in a row (in your time zone; a streak freeze or a vacation keeps a "
        "streak going).",
        Measure.best_streak,
        days,
        "days",
        "flame",
    )


def _reviews(count: int, name: str) -> Achievement:
    return Achievement(
        f"reviews-{count}",
        name,
        f"Complete {count:,} reviews.",
        Measure.reviews,
        count,
        "reviews",
        "layers",
    )


def _mature(count: int, name: str) -> Achievement:
    return Achievement(
        f"mature-{count}",
        name,
        f"Have {count:,} words you remember for 21 days or more (FSRS stability ≥ 21 days).",
        Measure.mature_words,
        count,
        "words",
        "brain",
    )


ACHIEVEMENTS: tuple[Achievement, ...] = (
    Achievement(
        "first-review",
        "First steps",
        "Answer your first card.",
        Measure.reviews,
        1,
        "reviews",
        "footprints",
    ),
    Achievement(
        "first-session",
        "First session",
        "Finish your first study session.",
        Measure.finished_sessions,
        1,
        "sessions",
        "flag",
    ),
    _streak(3, "Warming up"),
    _streak(7, "Week of fire"),
    _streak(30, "Wildfire"),
    _streak(100, "Inferno"),
    _streak(365, "Year of study"),
    _reviews(100, "Centurion"),
    _reviews(1000, "Thousand cards"),
    _reviews(5000, "Five thousand"),
    _mature(50, "Taking root"),
    _mature(250, "Deep roots"),
    _mature(1000, "Evergreen"),
    Achievement(
        "flawless-10",
        "Sharpshooter",
        f"Finish 10 sessions of at least {FLAWLESS_SESSION_MIN_ANSWERS} answers without a "
        "single mistake.",
        Measure.flawless_sessions,
        10,
        "sessions",
        "crosshair",
    ),
    Achievement(
        "weekend-warrior",
        "Weekend warrior",
        "Study on both the Saturday and the Sunday of a weekend.",
        Measure.weekends,
        1,
        "weekends",
        "sun",
    ),
    Achievement(
        "every-activity",
        "Explorer",
        "Answer at least one card in every built-in study activity (writing counts with a "
        "submitted sentence).",
        Measure.activities_tried,
        len(BUILTIN_SLUGS),
        "activities",
        "compass",
    ),
    Achievement(
        "backlog-cleared-7",
        "Clean slate",
        "Clear every review that is due, 7 days running.",
        Measure.backlog_clear_run,
        7,
        "days",
        "inbox",
    ),
    Achievement(
        "true-retention",
        "Memory keeper",
        f"Over the last {RETENTION_WINDOW_DAYS} days, with at least {RETENTION_MIN_REVIEWS} "
        "reviews of cards past their learning steps, get at least your desired retention of "
        "them right (true retention).",
        Measure.retention_met,
        1,
        "",
        "shield-check",
    ),
    Achievement(
        "sentence-no-hints",
        "Unaided",
        "Build a sentence in the sentence constructor without a hint, on the first try.",
        Measure.sentences_without_hints,
        1,
        "sentences",
        "puzzle",
    ),
    Achievement(
        "writing-90",
        "Wordsmith",
        "Write a sentence that is graded 90 or more.",
        Measure.best_writing_score,
        90,
        "points",
        "pen-line",
    ),
    Achievement(
        "weekly-goal",
        "Goal getter",
        "Reach your weekly goal.",
        Measure.weekly_goals_met,
        1,
        "weeks",
        "target",
    ),
)

BY_SLUG: dict[str, Achievement] = {a.slug: a for a in ACHIEVEMENTS}
