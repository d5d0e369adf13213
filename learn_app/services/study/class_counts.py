"""One pass over a class's answers in its window, counted two ways at once: per learner and day
(activity, true retention) and per word and learner (the most-missed words).

The answers are read once, through the (user_id, reviewed_at) index, and grouped per learner
and day; the wrong ones also per word and learner, and all of them per missed word, to rank the
missed words in the same statement. What comes back is a row per learner-day and a row per
learner who missed each of the top words — under a thousand rows for a class of 30, however
many answers the window holds.

True retention is Anki's, counted as on the learner's own Progress page: of the answers to
cards in the review stage (`review.card_stage`; answers stored before stages were kept count as
reviews), the share answered right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import Session

from learn_app.services.study.class_missed_words import MissedWord
from learn_app.services.study.class_scope import LearnerWindows


@dataclass(frozen=True)
class LearnerDay:
    """One learner's answers on one of their own days."""

    user_id: int
    day: date
    answers: int
    correct: int
    reviews: int  # answers to cards in the review stage
    passed: int  # of those, answered right


_COUNTS = text(
    """
    WITH learner AS (
        SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:zones AS text[]),
                             CAST(:since AS timestamptz[])) AS l(user_id, zone, since)
    ),
    recent AS MATERIALIZED (
        SELECT r.user_id, r.word_id, r.correct,
               coalesce(r.card_stage, 'review') = 'review' AS reviewed,
               timezone(l.zone, r.reviewed_at)::date AS day
        FROM review r
        JOIN learner l ON l.user_id = r.user_id AND r.reviewed_at >= l.since
        -- Plain bounds too: they tell the planner how few answers the window holds.
        WHERE r.user_id = ANY(CAST(:ids AS integer[]))
          AND r.reviewed_at >= :earliest AND r.reviewed_at <= :now
    ),
    days AS (
        SELECT user_id, day,
               count(*) AS answers,
               count(*) FILTER (WHERE correct) AS correct,
               count(*) FILTER (WHERE reviewed) AS reviews,
               count(*) FILTER (WHERE reviewed AND correct) AS passed
        FROM recent
        GROUP BY user_id, day
    ),
    -- Only wrong answers are counted per word and learner (a few thousand, where every
    -- answer would make a group per word and learner); all answers only per missed word.
    wrong AS (
        SELECT word_id, user_id, count(*) AS misses
        FROM recent WHERE NOT correct
        GROUP BY word_id, user_id
    ),
    missed AS (
        SELECT word_id, sum(misses) AS misses, count(*) AS learners
        FROM wrong GROUP BY word_id
    ),
    answered AS (
        SELECT word_id, count(*) AS answers
        FROM recent WHERE word_id IN (SELECT word_id FROM missed)
        GROUP BY word_id
    ),
    top AS (
        SELECT m.word_id, m.misses, a.answers, m.learners, w.term, w.reading, w.meaning,
               row_number() OVER (ORDER BY m.misses DESC, m.learners DESC,
                                  m.misses::float / a.answers DESC, m.word_id) AS rank
        FROM missed m
        JOIN answered a ON a.word_id = m.word_id
        JOIN word w ON w.id = m.word_id AND w.language = :language
        ORDER BY rank
        LIMIT :limit
    )
    SELECT 0 AS rank, d.user_id, d.day, d.answers, d.correct, d.reviews, d.passed,
           NULL::int AS word_id, NULL AS term, NULL AS reading, NULL AS meaning,
           NULL::numeric AS misses, NULL::bigint AS word_answers, NULL::bigint AS learners,
           NULL::bigint AS learner_misses
    FROM days d
    UNION ALL
    SELECT t.rank, wr.user_id, NULL, NULL, NULL, NULL, NULL,
           t.word_id, t.term, t.reading, t.meaning,
           t.misses, t.answers, t.learners, wr.misses
    FROM top t JOIN wrong wr ON wr.word_id = t.word_id
    ORDER BY rank, user_id, day
    """
)


def window_counts(
    session: Session, windows: LearnerWindows, language: str, now: datetime, *, limit: int
) -> tuple[list[LearnerDay], list[MissedWord]]:
    """The learners' days, and the `limit` most-missed words of `language` with each
    learner's misses."""
    if windows.empty:
        return [], []
    rows = session.execute(
        _COUNTS, {**windows.parameters(), "now": now, "language": language, "limit": limit}
    ).mappings()
    days: list[LearnerDay] = []
    words: dict[int, MissedWord] = {}
    for row in rows:
        if row["rank"] == 0:
            days.append(
                LearnerDay(
                    row["user_id"],
                    row["day"],
                    row["answers"],
                    row["correct"],
                    row["reviews"],
                    row["passed"],
                )
            )
            continue
        word = words.get(row["word_id"])
        if word is None:
            word = words[row["word_id"]] = MissedWord(
                word_id=row["word_id"],
                term=row["term"],
                reading=row["reading"],
                meaning=row["meaning"],
                misses=int(row["misses"]),
                answers=int(row["word_answers"]),
                learners_missed=int(row["learners"]),
            )
        if row["learner_misses"]:
            word.misses_by_learner[row["user_id"]] = int(row["learner_misses"])
    return days, list(words.values())
