"""A learner's answers read from the day tables instead of the answers themselves.

Migration 0015 keeps, per learner and day of their own calendar, the answers counted by card
stage, rating and young/mature (`review_day_count`), by FSRS's predicted recall
(`review_day_recall`) and by study session (`review_day_session`, whose activity is looked up
here, as the answers' own count does): a trigger on `review` updates
them in the same transaction as any answer stored, changed or deleted, and counts a learner's
days again when their time zone changes (`review_day_zone` names the zone they are counted in).

`summary_figures` returns exactly what `answers.answer_figures` counts from the answers, from a
few rows a day; a learner whose days were counted in another zone than the one the page uses
(a time zone PostgreSQL reads differently) is counted from the answers instead.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import Session

from learn_app.services.study.analytics import answers

_DAY_ROWS = text(
    """
    SELECT GROUPING(day, kind, rating) AS by_day, GROUPING(day, mature) AS by_day_mature,
           1 AS by_bin, 1 AS by_activity,
           day, kind, rating, mature, NULL::int AS bin, NULL::text AS activity,
           NULL::text AS slug,
           sum(answers) AS answers, sum(correct) AS correct,
           sum(ms_sum) / 1000.0 AS seconds,
           coalesce(sum(answers) FILTER (WHERE kind = 'review'), 0) AS reviews,
           coalesce(sum(correct) FILTER (WHERE kind = 'review'), 0) AS passed,
           NULL::float8 AS predicted,
           sum(ms_sum) FILTER (WHERE kind IN ('review', 'relearning'))
               / nullif(sum(ms_n) FILTER (WHERE kind IN ('review', 'relearning')), 0)
               / 1000.0 AS review_seconds
    FROM review_day_count
    WHERE user_id = :user_id AND day >= :first_day AND day <= :last_day
    GROUP BY GROUPING SETS ((day, kind, rating), (day, mature), ())
    UNION ALL
    SELECT 1, 1, 0, 1, NULL::date, NULL::text, NULL::text, NULL::bool, bin, NULL::text,
           NULL::text, sum(answers), sum(correct), NULL::numeric, NULL::bigint, NULL::bigint,
           sum(predicted) / sum(answers), NULL::numeric
    FROM review_day_recall
    WHERE user_id = :user_id AND day >= :first_day AND day <= :last_day
    GROUP BY bin
    UNION ALL
    SELECT 1, 1, 1, 0, NULL::date, NULL::text, NULL::text, NULL::bool, NULL::int,
           coalesce(a.name, 'Other')::text, coalesce(a.slug, '')::text,
           sum(d.answers), sum(d.correct), NULL::numeric, NULL::bigint, NULL::bigint,
           NULL::float8, NULL::numeric
    FROM review_day_session d
    LEFT JOIN (SELECT s.id, a.name, a.slug FROM study_session s
               JOIN study_activity a ON a.id = s.activity_id
               WHERE s.user_id = :user_id) a ON a.id = d.session_id
    WHERE d.user_id = :user_id AND d.day >= :first_day AND d.day <= :last_day
    GROUP BY coalesce(a.name, 'Other'), coalesce(a.slug, '')
    """
)

_ZONE = text("SELECT timezone FROM review_day_zone WHERE user_id = :user_id")


def summarised(session: Session, user_id: int, tz: str) -> bool:
    """Whether the learner's day tables count days in `tz` (a learner with no answer has
    none, which is as right in one zone as in another)."""
    zone = session.execute(_ZONE, {"user_id": user_id}).scalar()
    return zone is None or zone == tz


def summary_figures(
    session: Session,
    user_id: int,
    tz: str,
    days: tuple[date, date],
    since: datetime,
    until: datetime,
) -> answers.AnswerFigures:
    """The figures of `answers.answer_figures` for the learner's days `days` (first and last,
    in `tz`), which [since, until) spans; typing's meaning/reading split still reads the
    typing answers of the window, the only figure that needs their order."""
    if not summarised(session, user_id, tz):
        return answers.answer_figures(session, user_id, tz, since, until)
    params = answers.answer_parameters(user_id, tz, since, until)
    rows = (
        session.execute(_DAY_ROWS, {"user_id": user_id, "first_day": days[0], "last_day": days[1]})
        .mappings()
        .all()
    )  # fetched at once: a row at a time costs a sixth of the page's time
    return answers.figures_from_rows(session, rows, params)


_SECONDS_PER_REVIEW = text(
    """
    SELECT sum(ms_sum) / nullif(sum(ms_n), 0) / 1000.0
    FROM review_day_count
    WHERE user_id = :user_id AND day >= :first_day AND day <= :last_day
          AND kind IN ('review', 'relearning')
    """
)


def seconds_per_review(
    session: Session,
    user_id: int,
    tz: str,
    days: tuple[date, date],
    since: datetime,
    until: datetime,
) -> float | None:
    """`answers.seconds_per_review` over the learner's days `days`, from the day tables."""
    if not summarised(session, user_id, tz):
        return answers.seconds_per_review(session, user_id, since, until)
    value = session.execute(
        _SECONDS_PER_REVIEW, {"user_id": user_id, "first_day": days[0], "last_day": days[1]}
    ).scalar()
    return None if value is None else float(value)
