"""What learners' stored history holds, read for many learners at once: the backfill's input.

Each query groups over every learner asked for (`user_id = ANY(:ids)`), so recounting a whole
portal is a handful of statements whatever the number of learners or reviews, and what comes
back is small: a row per learner, per study day or per week.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session

from learn_app.models import CardStage
from learn_app.services.achievements import clock
from learn_app.services.achievements.progress import SENTENCE_BUILDER, UNAIDED_RATINGS
from learn_app.services.achievements.rules import (
    FLAWLESS_SESSION_MIN_ANSWERS,
    MATURE_STABILITY_DAYS,
    RETENTION_WINDOW_DAYS,
)
from learn_app.services.study.streaks import Vacation


@dataclass
class History:
    reviews: int = 0  # ledger entries of reviews
    xp: int = 0
    activities: set[str] = field(default_factory=set)
    sentences_without_hints: int = 0
    finished_sessions: int = 0
    flawless_sessions: int = 0
    best_writing_score: int = 0
    last_writing_id: int = 0
    mature_words: int = 0
    retention_reviews: int = 0  # review-stage answers in the retention window
    retention_correct: int = 0
    days: list[date] = field(default_factory=list)  # study days, ascending
    day_points: list[int] = field(default_factory=list)  # XP of each of `days`
    day_seconds: list[int] = field(default_factory=list)
    vacations: list[Vacation] = field(default_factory=list)

    def weekends_both_days(self) -> int:
        """Weekends with study on the Saturday and the Sunday."""
        studied = set(self.days)
        return sum(1 for d in studied if d.weekday() == 6 and d - timedelta(days=1) in studied)

    def weeks_meeting(self, kind: str, target: int) -> list[date]:
        """The Mondays of the weeks whose XP (or whole minutes) reached the goal, ascending."""
        if target <= 0:
            return []
        totals: dict[date, int] = defaultdict(int)
        measure = self.day_seconds if kind == "minutes" else self.day_points
        for day, amount in zip(self.days, measure, strict=True):
            totals[clock.week_start(day)] += amount
        scale = 60 if kind == "minutes" else 1
        return sorted(monday for monday, total in totals.items() if total // scale >= target)


LEDGER_SQL = text("""
SELECT user_id, count(review_id), coalesce(sum(points), 0), array_agg(DISTINCT activity)
FROM xp_entry WHERE user_id = ANY(:ids) GROUP BY user_id
""")

DAYS_SQL = text("""
SELECT user_id, local_day, sum(points), sum(seconds)
FROM xp_entry WHERE user_id = ANY(:ids) GROUP BY user_id, local_day ORDER BY user_id, local_day
""")

# A sentence built without hints: the constructor's unaided grade, on the word's first answer
# in its session (a retry is not a new sentence).
SENTENCES_SQL = text("""
WITH built AS MATERIALIZED (
    SELECT s.id FROM study_session s JOIN study_activity a ON a.id = s.activity_id
    WHERE a.slug = :slug AND s.user_id = ANY(:ids)
)
SELECT r.user_id, count(*)
FROM built JOIN review r ON r.session_id = built.id
WHERE r.rating = ANY(:ratings)
  AND NOT EXISTS (SELECT 1 FROM review e
                  WHERE e.session_id = r.session_id AND e.word_id = r.word_id AND e.id < r.id)
GROUP BY r.user_id
""")

SESSIONS_SQL = text("""
SELECT user_id, count(*), count(*) FILTER (WHERE answers >= :flawless_min AND wrong = 0)
FROM (SELECT s.user_id, count(r.id) AS answers, count(r.id) FILTER (WHERE NOT r.correct) AS wrong
      FROM study_session s JOIN review r ON r.session_id = s.id
      WHERE s.user_id = ANY(:ids) AND s.ended_at IS NOT NULL
      GROUP BY s.user_id, s.id) finished
GROUP BY user_id
""")

WRITING_SQL = text("""
SELECT user_id, coalesce(max(score), 0), max(id)
FROM writing_submission WHERE user_id = ANY(:ids) GROUP BY user_id
""")

MATURE_SQL = text("""
SELECT user_id, count(*) FROM card_state
WHERE user_id = ANY(:ids) AND stability >= :mature GROUP BY user_id
""")

# True retention as `measures.retention` counts it, for every learner at once.
RETENTION_SQL = text("""
SELECT user_id, count(*), count(*) FILTER (WHERE correct)
FROM review
WHERE user_id = ANY(:ids) AND reviewed_at >= :since AND reviewed_at <= :until
  AND card_stage = :stage
GROUP BY user_id
""")

VACATIONS_SQL = text("""
SELECT user_id, starts_on, ends_on FROM vacation_period
WHERE user_id = ANY(:ids) ORDER BY user_id, starts_on
""")


def read_histories(session: Session, user_ids: list[int], at: datetime) -> dict[int, History]:
    """Each learner's history, from a fixed number of grouped queries."""
    found: dict[int, History] = {uid: History() for uid in user_ids}
    if not user_ids:
        return found
    run = session.connection().execute
    ids = {"ids": user_ids}
    for uid, reviews, points, activities in run(LEDGER_SQL, ids):
        h = found[uid]
        h.reviews, h.xp, h.activities = int(reviews), int(points), set(activities or ())
    for uid, day, points, seconds in run(DAYS_SQL, ids):
        h = found[uid]
        h.days.append(day)
        h.day_points.append(int(points))
        h.day_seconds.append(int(seconds))
    sentences = {"slug": SENTENCE_BUILDER, "ratings": sorted(UNAIDED_RATINGS), **ids}
    for uid, count in run(SENTENCES_SQL, sentences):
        found[uid].sentences_without_hints = int(count)
    for uid, finished, flawless in run(
        SESSIONS_SQL, {"flawless_min": FLAWLESS_SESSION_MIN_ANSWERS, **ids}
    ):
        found[uid].finished_sessions, found[uid].flawless_sessions = int(finished), int(flawless)
    for uid, best, last in run(WRITING_SQL, ids):
        found[uid].best_writing_score, found[uid].last_writing_id = int(best), int(last)
    for uid, mature in run(MATURE_SQL, {"mature": MATURE_STABILITY_DAYS, **ids}):
        found[uid].mature_words = int(mature)
    since = at - timedelta(days=RETENTION_WINDOW_DAYS)
    window = {"since": since, "until": at, "stage": CardStage.review.value, **ids}
    for uid, answered, correct in run(RETENTION_SQL, window):
        found[uid].retention_reviews, found[uid].retention_correct = int(answered), int(correct)
    for uid, starts_on, ends_on in run(VACATIONS_SQL, ids):
        found[uid].vacations.append(Vacation(starts_on, ends_on))
    return found
