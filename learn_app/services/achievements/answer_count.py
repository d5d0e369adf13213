"""Counting one answer inside its own transaction, in one statement.

Most answers fall on a day the learner's streak has already counted: the streak, the freezes
and the weekends cannot change, so the answer only adds to running counts. For those,
`count_answer` runs a single statement that

- inserts the answer's XP ledger entry (ON CONFLICT DO NOTHING: an answer counts once),
- adds it to the learner's `learner_motivation` counts (the row lock that UPDATE takes makes two
  tabs count one after the other), reaches the weekly goal and a cleared backlog when they are
  met (the week's XP is summed only until this week's goal is met; due cards are looked for once
  a day until none is left),
- and awards every badge whose counter has reached its target (ON CONFLICT DO NOTHING on the
  unique learner + badge: awarded once, whoever gets there first; the toast reads it later).

It reads counters, never the learner's history. The first answer of a new day (the streak
moves, a freeze may be spent, a vacation may matter) is counted by `events.record_activity` in
the same transaction instead. Either way a rolled-back answer leaves nothing counted.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlmodel import Session

from learn_app.models import Review
from learn_app.services.achievements import xp
from learn_app.services.achievements.progress import SENTENCE_BUILDER, UNAIDED_RATINGS
from learn_app.services.achievements.rules import ACHIEVEMENTS, QUERIED_MEASURES, Measure
from learn_app.services.study.activities import BUILTIN_SLUGS

# What each running measure reads on the counted row (`c`, the UPDATE's RETURNING).
_COUNTERS: dict[Measure, str] = {
    Measure.reviews: "c.total_reviews",
    Measure.finished_sessions: "c.finished_sessions",
    Measure.best_streak: "c.streak_best",
    Measure.flawless_sessions: "c.flawless_sessions",
    Measure.weekends: "c.weekends_both_days",
    Measure.activities_tried: "json_array_length(c.activities_tried)",
    Measure.backlog_clear_run: "c.backlog_best_run",
    Measure.sentences_without_hints: "c.sentences_without_hints",
    Measure.best_writing_score: "c.best_writing_score",
    Measure.weekly_goals_met: "c.weekly_goals_met",
}
_RUNNING = [a for a in ACHIEVEMENTS if a.measure not in QUERIED_MEASURES]
_MEASURED = (
    "CASE t.measure "
    + " ".join(f"WHEN '{measure.value}' THEN {column}" for measure, column in _COUNTERS.items())
    + " END"
)

_WEEK_SUM = (
    "(SELECT coalesce(sum(x.{column}), 0) FROM xp_entry x"
    " WHERE x.user_id = p.user_id AND x.local_day >= p.monday)"
)

COUNT_ANSWER = f"""
WITH f AS (
    SELECT r.id, r.user_id, r.correct, r.rating, r.latency_ms, r.reviewed_at,
           coalesce(a.slug, '') AS activity,
           timezone(z.timezone, r.reviewed_at)::date AS day,
           EXISTS (SELECT 1 FROM review e
                   WHERE e.user_id = r.user_id AND e.word_id = r.word_id
                     AND e.session_id = r.session_id AND e.id < r.id) AS repeated
    FROM review r
    JOIN review_day_zone z ON z.user_id = r.user_id
    JOIN learner_motivation m ON m.user_id = r.user_id
         AND m.streak_last_day >= timezone(z.timezone, r.reviewed_at)::date
    LEFT JOIN study_session s ON s.id = r.session_id
    LEFT JOIN study_activity a ON a.id = s.activity_id
    WHERE r.id = :review_id
), p AS (
    SELECT f.*,
           CASE WHEN f.repeated THEN 0 WHEN NOT f.correct THEN :wrong_points
                ELSE coalesce((CAST(:points AS jsonb) ->> f.activity)::int, :other_points)
           END AS points,
           CASE WHEN f.latency_ms IS NULL THEN :no_latency_seconds
                ELSE greatest(1, least(:max_seconds, (greatest(0, f.latency_ms) + 500) / 1000))
           END AS seconds,
           f.day - (extract(isodow FROM f.day)::int - 1) AS monday
    FROM f
), entry AS (
    INSERT INTO xp_entry (user_id, review_id, activity, points, seconds, earned_at, local_day)
    SELECT user_id, id, left(activity, 60), points, seconds, reviewed_at, day FROM p
    ON CONFLICT DO NOTHING
    RETURNING review_id
), counted AS (
    UPDATE learner_motivation m SET
        total_reviews = m.total_reviews + 1,
        total_xp = m.total_xp + p.points,
        sentences_without_hints = m.sentences_without_hints + CASE
            WHEN p.activity = :sentence_builder AND p.rating = ANY(CAST(:unaided AS text[]))
                 AND NOT p.repeated THEN 1 ELSE 0 END,
        activities_tried = CASE
            WHEN p.activity = ANY(CAST(:builtin AS text[]))
                 AND NOT (m.activities_tried::jsonb ? p.activity)
            THEN (m.activities_tried::jsonb || to_jsonb(p.activity))::json
            ELSE m.activities_tried END,
        (weekly_goals_met, goal_met_week) = (
            SELECT m.weekly_goals_met + g.met::int,
                   CASE WHEN g.met THEN p.monday ELSE m.goal_met_week END
            FROM (SELECT m.goal_met_week IS DISTINCT FROM p.monday
                         AND m.weekly_goal_target > 0
                         AND CASE WHEN m.weekly_goal_kind = 'minutes'
                                  THEN (p.seconds + {_WEEK_SUM.format(column="seconds")}) / 60
                                  ELSE p.points + {_WEEK_SUM.format(column="points")}
                             END >= m.weekly_goal_target AS met) g),
        (backlog_clear_run, backlog_best_run, backlog_last_day) = (
            SELECT CASE WHEN b.clear THEN b.run ELSE m.backlog_clear_run END,
                   CASE WHEN b.clear THEN greatest(m.backlog_best_run, b.run)
                        ELSE m.backlog_best_run END,
                   CASE WHEN b.clear THEN p.day ELSE m.backlog_last_day END
            FROM (SELECT (m.backlog_last_day IS NULL OR m.backlog_last_day < p.day)
                         AND NOT EXISTS (SELECT 1 FROM card_state d
                                         WHERE d.user_id = p.user_id
                                           AND d.due <= p.reviewed_at) AS clear,
                         CASE WHEN m.backlog_last_day = p.day - 1
                              THEN m.backlog_clear_run + 1 ELSE 1 END AS run) b),
        updated_at = p.reviewed_at
    FROM p JOIN entry ON entry.review_id = p.id
    WHERE m.user_id = p.user_id
    RETURNING m.*
), won AS (
    INSERT INTO user_achievement (user_id, achievement, earned_at)
    SELECT c.user_id, t.slug, c.updated_at
    FROM counted c,
         unnest(CAST(:slugs AS text[]), CAST(:measures AS text[]), CAST(:targets AS int[]))
             AS t(slug, measure, target)
    WHERE {_MEASURED} >= t.target
    ON CONFLICT ON CONSTRAINT uq_user_achievement DO NOTHING
    RETURNING achievement
)
SELECT EXISTS (SELECT 1 FROM p) AS counted, ARRAY(SELECT achievement FROM won) AS awarded
"""  # noqa: S608  (built from this module's constants; values are bound parameters)

_STATEMENT = text(COUNT_ANSWER)
_CONSTANTS = {
    "wrong_points": xp.WRONG_ANSWER_POINTS,
    "points": json.dumps(xp.ACTIVITY_POINTS),
    "other_points": xp.OTHER_ACTIVITY_POINTS,
    "no_latency_seconds": xp.SECONDS_WITHOUT_LATENCY,
    "max_seconds": xp.MAX_SECONDS_PER_REVIEW,
    "sentence_builder": SENTENCE_BUILDER,
    "unaided": sorted(UNAIDED_RATINGS),
    "builtin": list(BUILTIN_SLUGS),
    "slugs": [a.slug for a in _RUNNING],
    "measures": [a.measure.value for a in _RUNNING],
    "targets": [a.target for a in _RUNNING],
}


def count_answer(session: Session, review: Review) -> tuple[bool, list[str]]:
    """Count a just-recorded answer of a day already counted, in the caller's transaction.

    Returns whether it was such an answer (else nothing was done and the caller counts it the
    long way) and the slugs of the badges it earned."""
    row = session.connection().execute(_STATEMENT, {**_CONSTANTS, "review_id": review.id}).one()
    return bool(row.counted), list(row.awarded or [])
