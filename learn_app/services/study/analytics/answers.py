"""What a learner's answers say: reviews per day, true retention, calibration, accuracy.

All of it comes from one scan of the learner's reviews in the window, grouped several ways at
once (GROUPING SETS), so a year of answers arrives as a few thousand counted rows however many
answers there were. Each answer carries what the scheduler knew when it was given (its card's
stage, days since the word's previous answer, FSRS's predicted recall), written by
`record_review`; answers stored before those columns existed are counted as reviews and left
out of calibration.

Definitions, as Anki and the FSRS Helper use them:
- *true retention*: of the answers to cards in the review stage, the share not rated Again;
  *young* when the previous answer was under `MATURE_DAYS` days before, *mature* from then on.
- *calibration*: answers to review-stage cards binned by FSRS's predicted recall (bins of
  `CALIBRATION_BIN_WIDTH`); each bin's mean prediction against its observed pass rate, and
  RMSE(bins) = sqrt(Σ nᵢ (predictedᵢ − observedᵢ)² / Σ nᵢ).
- *item type*: what the question asked — meaning (flashcards, multiple choice, typing), reading
  (typing's every second Japanese word with kanji, as `exercises.typed_part` asks it),
  listening, cloze, writing, sentences; answers from external activities count as "other".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import RowMapping, text
from sqlmodel import Session

# The day tables (migration 0015, `days`) count with these three too.
MATURE_DAYS = 21
CALIBRATION_BIN_WIDTH = 0.05
CALIBRATION_BINS = round(1 / CALIBRATION_BIN_WIDTH)
# Anki's cap on one answer's time: longer is a learner who walked away, not one still thinking.
MAX_ANSWER_SECONDS = 60
ANSWER_KINDS = ("new", "learning", "review", "relearning")
ANSWER_RATINGS = ("again", "hard", "good", "easy")
ITEM_TYPES = ("meaning", "reading", "listening", "cloze", "writing", "sentences", "other")


@dataclass(frozen=True)
class DayCount:
    """Answers on one day (the learner's own calendar), of one kind with one rating."""

    day: date
    kind: str  # new | learning | review | relearning
    rating: str  # again | hard | good | easy
    reviews: int
    seconds: float  # time spent answering, each answer capped at MAX_ANSWER_SECONDS


@dataclass(frozen=True)
class RetentionPeriod:
    """Answers to review-stage cards in one week or month, young or mature."""

    period: str  # week | month
    start: date  # the Monday of the week, or the 1st of the month
    mature: bool
    reviews: int
    passed: int

    @property
    def retention(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


@dataclass(frozen=True)
class CalibrationBin:
    low: float  # the bin holds predictions in [low, low + CALIBRATION_BIN_WIDTH)
    reviews: int
    predicted: float  # mean predicted recall of the answers in the bin
    passed: int

    @property
    def observed(self) -> float:
        return self.passed / self.reviews if self.reviews else 0.0


@dataclass(frozen=True)
class AccuracyCell:
    activity: str  # the activity's name ("Typing"), or "Other" for answers outside one
    item_type: str
    reviews: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.reviews if self.reviews else 0.0


@dataclass(frozen=True)
class AnswerFigures:
    days: list[DayCount]
    retention: list[RetentionPeriod]
    calibration: list[CalibrationBin]
    accuracy: list[AccuracyCell]
    seconds_per_review: float | None  # mean time of one answer to a card already learned


_ANSWERS = text(
    """
    WITH answers AS (
        SELECT timezone(:tz, r.reviewed_at)::date AS day,
               coalesce(r.card_stage, 'review') AS kind,
               r.rating,
               r.correct,
               r.elapsed_days,
               r.retrievability,
               CASE WHEN r.latency_ms IS NOT NULL THEN least(r.latency_ms, :max_ms) END AS ms,
               coalesce(a.name, 'Other') AS activity,
               coalesce(a.slug, '') AS slug
        FROM review r
        LEFT JOIN (SELECT s.id, a.name, a.slug FROM study_session s
                   JOIN study_activity a ON a.id = s.activity_id
                   WHERE s.user_id = :user_id) a ON a.id = r.session_id
        WHERE r.user_id = :user_id AND r.reviewed_at >= :since AND r.reviewed_at < :until
    )
    SELECT GROUPING(day, kind, rating) AS by_day,
           GROUPING(day, mature) AS by_day_mature,
           GROUPING(bin) AS by_bin,
           GROUPING(activity, slug) AS by_activity,
           day, kind, rating, mature, bin, activity, slug,
           count(*) AS answers,
           count(*) FILTER (WHERE correct) AS correct,
           coalesce(sum(ms), 0) / 1000.0 AS seconds,
           count(*) FILTER (WHERE kind = 'review') AS reviews,
           count(*) FILTER (WHERE kind = 'review' AND correct) AS passed,
           avg(retrievability) AS predicted,
           avg(ms) FILTER (WHERE kind IN ('review', 'relearning')) / 1000.0 AS review_seconds
    FROM (
        SELECT *,
               (kind = 'review' AND coalesce(elapsed_days, 0) >= :mature_days) AS mature,
               CASE WHEN kind = 'review' AND retrievability IS NOT NULL
                    THEN least(floor(retrievability * :bins)::int, :bins - 1) END AS bin
        FROM answers
    ) a
    GROUP BY GROUPING SETS ((day, kind, rating), (day, mature), (bin), (activity, slug), ())
    """
)

# Typing asks a Japanese word written with kanji for its reading when it is the 2nd, 4th, …
# word of the session (`exercises.typed_part`): its position is the order of its first answer.
_TYPING = text(
    """
    SELECT (w.language = 'ja' AND w.reading <> '' AND w.reading <> w.term
            AND (dense_rank() OVER (PARTITION BY t.session_id ORDER BY t.first_id) - 1) % 2 = 1)
               AS reading,
           t.correct
    FROM (
        SELECT r.session_id, r.word_id, r.correct,
               min(r.id) OVER (PARTITION BY r.session_id, r.word_id) AS first_id
        FROM review r
        JOIN study_session s ON s.id = r.session_id
        JOIN study_activity a ON a.id = s.activity_id
        WHERE s.user_id = :user_id AND a.slug = 'typing'
              AND r.reviewed_at >= :since AND r.reviewed_at < :until
    ) t
    JOIN word w ON w.id = t.word_id
    """
)
_ITEM_TYPES = {
    "flashcards": "meaning",
    "multiple-choice": "meaning",
    "listening": "listening",
    "cloze": "cloze",
    "writing": "writing",
    "sentence-builder": "sentences",
}


def answer_figures(
    session: Session, user_id: int, tz: str, since: datetime, until: datetime
) -> AnswerFigures:
    """Every answer-based figure for answers given in [since, until), counted from the answers
    themselves: one scan grouped four ways, days rolled up into weeks and months here, and
    typing's questions told apart by a second, small query over typing sessions only. (The
    Progress page reads the same figures from the day tables, `days.summary_figures`.)"""
    # Room to hash every grouping set at once instead of sorting the answers for each.
    session.execute(text("SET LOCAL work_mem = '32MB'"))
    params = answer_parameters(user_id, tz, since, until)
    return figures_from_rows(session, session.execute(_ANSWERS, params).mappings(), params)


def answer_parameters(user_id: int, tz: str, since: datetime, until: datetime) -> dict[str, object]:
    return {
        "user_id": user_id,
        "tz": tz,
        "since": since,
        "until": until,
        "max_ms": MAX_ANSWER_SECONDS * 1000,
        "mature_days": MATURE_DAYS,
        "bins": CALIBRATION_BINS,
    }


def figures_from_rows(
    session: Session, rows: Iterable[RowMapping], params: dict[str, object]
) -> AnswerFigures:
    """The figures from rows grouped as `_ANSWERS` groups them (flags `by_day`,
    `by_day_mature`, `by_bin`, `by_activity`; 0 marks the grouping a row belongs to)."""
    days: list[DayCount] = []
    by_period: dict[tuple[str, date, bool], list[int]] = {}
    calibration: list[CalibrationBin] = []
    accuracy: list[AccuracyCell] = []
    seconds_per_review: float | None = None
    for row in rows:
        if row["by_day"] == 0:
            days.append(
                DayCount(
                    row["day"], row["kind"], row["rating"], row["answers"], float(row["seconds"])
                )
            )
        elif row["by_day_mature"] == 0:
            if row["reviews"]:
                _add_periods(by_period, row["day"], bool(row["mature"]), row)
        elif row["by_bin"] == 0:
            if row["bin"] is not None:
                calibration.append(
                    CalibrationBin(
                        round(row["bin"] * CALIBRATION_BIN_WIDTH, 4),
                        row["answers"],
                        float(row["predicted"]),
                        row["correct"],
                    )
                )
        elif row["by_activity"] == 0:
            if row["slug"] == "typing":
                accuracy += _typing_cells(session, params, row["activity"])
            else:
                item_type = _ITEM_TYPES.get(row["slug"], "other")
                accuracy.append(
                    AccuracyCell(row["activity"], item_type, row["answers"], row["correct"])
                )
        elif row["review_seconds"] is not None:
            seconds_per_review = float(row["review_seconds"])
    retention = [
        RetentionPeriod(period, start, mature, reviews, passed)
        for (period, start, mature), (reviews, passed) in by_period.items()
    ]
    days.sort(key=lambda d: (d.day, ANSWER_KINDS.index(d.kind), ANSWER_RATINGS.index(d.rating)))
    retention.sort(key=lambda r: (r.period, r.start, r.mature))
    calibration.sort(key=lambda b: b.low)
    accuracy.sort(key=lambda c: (c.activity, ITEM_TYPES.index(c.item_type)))
    return AnswerFigures(days, retention, calibration, accuracy, seconds_per_review)


def _add_periods(
    by_period: dict[tuple[str, date, bool], list[int]], day: date, mature: bool, row: RowMapping
) -> None:
    for period, start in (
        ("week", day - timedelta(days=day.weekday())),
        ("month", day.replace(day=1)),
    ):
        counts = by_period.setdefault((period, start, mature), [0, 0])
        counts[0] += row["reviews"]
        counts[1] += row["passed"]


def _typing_cells(session: Session, params: dict[str, object], activity: str) -> list[AccuracyCell]:
    counts: dict[str, list[int]] = {}
    for reading, correct in session.execute(_TYPING, params).all():
        cell = counts.setdefault("reading" if reading else "meaning", [0, 0])
        cell[0] += 1
        cell[1] += int(bool(correct))
    return [AccuracyCell(activity, kind, n, right) for kind, (n, right) in counts.items()]


_SECONDS_PER_REVIEW = text(
    """
    SELECT avg(CASE WHEN latency_ms IS NOT NULL THEN least(latency_ms, :max_ms) END) / 1000.0
    FROM review
    WHERE user_id = :user_id AND reviewed_at >= :since AND reviewed_at < :until
          AND coalesce(card_stage, 'review') IN ('review', 'relearning')
    """
)


def seconds_per_review(
    session: Session, user_id: int, since: datetime, until: datetime
) -> float | None:
    """The learner's mean time to answer a card already learned (as `answer_figures` counts
    it), or None before their first such answer."""
    value = session.execute(
        _SECONDS_PER_REVIEW,
        {"user_id": user_id, "since": since, "until": until, "max_ms": MAX_ANSWER_SECONDS * 1000},
    ).scalar()
    return None if value is None else float(value)


def calibration_rmse(bins: list[CalibrationBin]) -> float | None:
    """RMSE(bins): how far FSRS's predictions sit from what the learner actually recalled,
    weighting each bin by its answers; None without a single calibrated answer."""
    total = sum(b.reviews for b in bins)
    if not total:
        return None
    return math.sqrt(sum(b.reviews * (b.predicted - b.observed) ** 2 for b in bins) / total)
