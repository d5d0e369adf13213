"""Estimated words known (ΣR) over the past year, week by week, and now.

At a moment t every word answered by then counts the probability the learner recalls it: the
forgetting curve (`memory.forgetting_curve`) at the whole days since the word's latest answer
up to t, with the stability that answer left (`review.stability`). The points drawn are the
starts of the last `WEEKS` weeks (Monday 00:00 in the learner's time zone) and now.

A week's start is in the past, so its figure is worked out once and kept in `words_known_week`
(migration 0015) with the decay of the forgetting curve it was worked out with. The trigger on
`review` drops a learner's kept weeks from the earliest answer stored, changed or deleted on
(an import of old answers, a reset, a deleted word), and a week kept for another decay (the
learner's parameters were fitted again) or another zone's week starts is worked out again. Only
"now" is worked out on every read, from each word's latest answer (`review_word_latest`, kept
by the same trigger).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import text
from sqlmodel import Session

from learn_app.services.study.analytics.memory import KnownPoint, forgetting_curve

WEEKS = 52

# Each answer counts at the points from its own time up to (not including) the word's next
# answer: width_bucket finds both ends among the sorted points (the microsecond makes an answer
# given exactly at a point count at that point).
_KNOWN_AT = text(
    """
    WITH answers AS (
        SELECT reviewed_at, stability,
               lead(reviewed_at) OVER (PARTITION BY word_id ORDER BY reviewed_at, id) AS next_at
        FROM review
        WHERE user_id = :user_id AND reviewed_at <= :last_point
        ORDER BY word_id, reviewed_at, id  -- the (user_id, word_id, reviewed_at) index's order
    ),
    spans AS (
        SELECT reviewed_at, stability,
               width_bucket(reviewed_at - interval '1 microsecond',
                            CAST(:points AS timestamptz[])) + 1 AS i_from,
               coalesce(width_bucket(next_at - interval '1 microsecond',
                                     CAST(:points AS timestamptz[])), :count) AS i_to
        FROM answers
        WHERE stability IS NOT NULL AND stability > 0
              AND (next_at IS NULL OR next_at > :first_point)
    )
    SELECT i, sum(power(1 + :factor * floor(greatest(0, extract(epoch FROM
                   (CAST(:points AS timestamptz[]))[i] - reviewed_at)) / 86400)
                   / stability, -:decay)) AS known
    FROM spans, generate_series(i_from, i_to) AS i
    GROUP BY i
    """
)

# Now: each word's latest answer, kept in `review_word_latest` by the trigger on `review`; NULL
# when one of them comes after `now` (a moment in the past was asked for), to count the answers.
_KNOWN_NOW = text(
    """
    SELECT CASE WHEN max(reviewed_at) > :now THEN NULL
                ELSE coalesce(sum(power(1 + :factor * floor(greatest(0, extract(epoch FROM
                         :now - reviewed_at)) / 86400) / stability, -:decay))
                         FILTER (WHERE stability > 0), 0) END
    FROM review_word_latest
    WHERE user_id = :user_id
    """
)

_KEPT = text(
    """
    SELECT at, words_known FROM words_known_week
    WHERE user_id = :user_id AND decay = :decay AND at = ANY(CAST(:points AS timestamptz[]))
    """
)
_FORGET_OTHERS = text(
    """
    DELETE FROM words_known_week
    WHERE user_id = :user_id
          AND NOT (decay = :decay AND at = ANY(CAST(:points AS timestamptz[])))
    """
)
_KEEP = text(
    """
    INSERT INTO words_known_week (user_id, at, decay, words_known)
    SELECT :user_id, at, :decay, known
    FROM unnest(CAST(:points AS timestamptz[]), CAST(:known AS float8[])) AS k(at, known)
    ON CONFLICT (user_id, at) DO UPDATE
    SET decay = excluded.decay, words_known = excluded.words_known
    """
)


def words_known_at(
    session: Session,
    user_id: int,
    parameters: Sequence[float] | None,
    points: list[datetime],
) -> list[float]:
    """ΣR at each of `points` (in increasing order), counted from the answers."""
    if not points:
        return []
    factor, decay = forgetting_curve(parameters)
    known = dict(
        session.execute(
            _KNOWN_AT,
            {
                "user_id": user_id,
                "points": points,
                "count": len(points),
                "first_point": points[0],
                "last_point": points[-1],
                "factor": factor,
                "decay": decay,
            },
        ).all()
    )
    return [float(known.get(i, 0.0)) for i in range(1, len(points) + 1)]


def words_known_now(
    session: Session, user_id: int, parameters: Sequence[float] | None, now: datetime
) -> float:
    """ΣR at `now`, as `words_known_at` counts it, from each word's latest answer."""
    factor, decay = forgetting_curve(parameters)
    value = session.execute(
        _KNOWN_NOW, {"user_id": user_id, "now": now, "factor": factor, "decay": decay}
    ).scalar()
    if value is None:  # answers after `now`: count the answers up to it
        return words_known_at(session, user_id, parameters, [now])[0]
    return float(value)


def week_starts(zone: zoneinfo.ZoneInfo, now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """Monday 00:00 (in `zone`) of the week `now` falls in and of the `weeks - 1` before it."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return [
        datetime.combine(monday - timedelta(weeks=n), time.min, zone)
        for n in range(weeks - 1, -1, -1)
    ]


def words_known_history(
    session: Session,
    user_id: int,
    parameters: Sequence[float] | None,
    zone: zoneinfo.ZoneInfo,
    now: datetime,
) -> list[KnownPoint]:
    """ΣR at the start of each of the last `WEEKS` weeks (kept ones read, the others worked out
    and kept) and now."""
    starts = week_starts(zone, now)
    decay = forgetting_curve(parameters)[1]
    kept = {
        at: float(known)
        for at, known in session.execute(
            _KEPT, {"user_id": user_id, "decay": decay, "points": starts}
        ).all()
    }
    missing = [at for at in starts if at not in kept]
    if missing:
        worked_out = words_known_at(session, user_id, parameters, missing)
        kept.update(zip(missing, worked_out, strict=True))
        session.execute(_FORGET_OTHERS, {"user_id": user_id, "decay": decay, "points": starts})
        session.execute(
            _KEEP,
            {"user_id": user_id, "decay": decay, "points": missing, "known": worked_out},
        )
    history = [KnownPoint(at, kept[at]) for at in starts]
    current = now.astimezone(zone)
    return [*history, KnownPoint(current, words_known_now(session, user_id, parameters, now))]
