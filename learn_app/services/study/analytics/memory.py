"""What the scheduler holds about a learner's cards: what falls due, how strong each memory is,
how many words they would recall now, and which words they keep losing (words known over the
past year: `known`).

Retrievability is FSRS's forgetting curve R(t) = (1 + F·t/S)^(−decay), F = 0.9^(−1/decay) − 1,
with t in whole days since the last answer (as the `fsrs` package counts) and the decay of the
learner's own parameters; it is computed in SQL over `card_state`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import text
from sqlmodel import Session

# Stability bins in days, from "gone by tomorrow" to "good for years".
STABILITY_EDGES = (0, 1, 3, 7, 14, 30, 60, 90, 180, 365, 730)
RETRIEVABILITY_BINS = 20
DIFFICULTY_BINS = 9  # FSRS difficulty runs 1 to 10
LEECH_COUNT = 10


def forgetting_curve(parameters: Sequence[float] | None) -> tuple[float, float]:
    """(factor, decay) of the learner's forgetting curve, R = (1 + factor·t/S) ** −decay."""
    decay = float((parameters or DEFAULT_PARAMETERS)[20])
    return 0.9 ** (-1 / decay) - 1, decay


@dataclass(frozen=True)
class DueDay:
    day: date  # the learner's calendar
    cards: int


@dataclass(frozen=True)
class DueForecast:
    backlog: int  # cards that were due before today began and are still waiting
    days: list[DueDay]  # today first; today counts only cards falling due today


@dataclass(frozen=True)
class Bin:
    low: float
    high: float | None  # None: open-ended
    cards: int


@dataclass(frozen=True)
class MemoryFigures:
    cards: int
    stability: list[Bin]  # days
    difficulty: list[Bin]  # 1-10
    retrievability: list[Bin]  # 0-1, now
    words_known: float  # ΣR now: the words they would recall if asked all of them now


@dataclass(frozen=True)
class KnownPoint:
    at: datetime
    words_known: float


@dataclass(frozen=True)
class HardWord:
    word_id: int
    term: str
    reading: str
    meaning: str
    lapses: int
    reps: int
    retrievability: float
    stability: float


_DUE = text(
    """
    SELECT CASE WHEN due < :today_start THEN NULL ELSE timezone(:tz, due)::date END AS day,
           count(*) AS cards
    FROM card_state
    WHERE user_id = :user_id AND due < :window_end
    GROUP BY 1
    """
)


def due_forecast(
    session: Session, user_id: int, tz: str, today: date, today_start: datetime, days: int
) -> DueForecast:
    """Cards falling due on each of the next `days` days, and the backlog already overdue."""
    window_end = today_start + timedelta(days=days + 1)  # generous across a DST change
    counts = dict(
        session.execute(
            _DUE,
            {"user_id": user_id, "tz": tz, "today_start": today_start, "window_end": window_end},
        ).all()
    )
    backlog = int(counts.pop(None, 0))
    return DueForecast(
        backlog,
        [
            DueDay(today + timedelta(days=n), int(counts.get(today + timedelta(days=n), 0)))
            for n in range(days)
        ],
    )


_MEMORY = text(
    """
    WITH cards AS (
        SELECT stability, difficulty,
               power(1 + :factor * floor(greatest(0, extract(epoch FROM :now - last_review))
                                          / 86400) / stability, -:decay) AS r
        FROM card_state
        WHERE user_id = :user_id AND stability IS NOT NULL AND stability > 0
              AND last_review IS NOT NULL
    )
    SELECT GROUPING(s_bin) AS by_s, GROUPING(d_bin) AS by_d, GROUPING(r_bin) AS by_r,
           s_bin, d_bin, r_bin, count(*) AS cards, coalesce(sum(r), 0) AS known
    FROM (
        SELECT r,
               width_bucket(stability, CAST(:s_edges AS float8[])) AS s_bin,
               least(greatest(floor(difficulty)::int, 1), :d_bins) AS d_bin,
               least(floor(r * :r_bins)::int, :r_bins - 1) AS r_bin
        FROM cards
    ) c
    GROUP BY GROUPING SETS ((s_bin), (d_bin), (r_bin), ())
    """
)


def memory_figures(
    session: Session, user_id: int, parameters: Sequence[float] | None, now: datetime
) -> MemoryFigures:
    factor, decay = forgetting_curve(parameters)
    rows = session.execute(
        _MEMORY,
        {
            "user_id": user_id,
            "now": now,
            "factor": factor,
            "decay": decay,
            "s_edges": list(STABILITY_EDGES),
            "d_bins": DIFFICULTY_BINS,
            "r_bins": RETRIEVABILITY_BINS,
        },
    ).mappings()
    by_s: dict[int, int] = {}
    by_d: dict[int, int] = {}
    by_r: dict[int, int] = {}
    cards, known = 0, 0.0
    for row in rows:
        if row["by_s"] == 0:
            by_s[row["s_bin"]] = row["cards"]
        elif row["by_d"] == 0:
            by_d[row["d_bin"]] = row["cards"]
        elif row["by_r"] == 0:
            by_r[row["r_bin"]] = row["cards"]
        else:
            cards, known = int(row["cards"]), float(row["known"])
    edges = STABILITY_EDGES
    stability = [
        Bin(edges[i], edges[i + 1] if i + 1 < len(edges) else None, by_s.get(i + 1, 0))
        for i in range(len(edges))
    ]
    difficulty = [
        Bin(float(d), float(d + 1), by_d.get(d, 0)) for d in range(1, DIFFICULTY_BINS + 1)
    ]
    width = 1 / RETRIEVABILITY_BINS
    retrievability = [
        Bin(round(i * width, 4), round((i + 1) * width, 4), by_r.get(i, 0))
        for i in range(RETRIEVABILITY_BINS)
    ]
    return MemoryFigures(cards, stability, difficulty, retrievability, known)


_HARDEST = text(
    """
    SELECT w.id, w.term, w.reading, w.meaning, c.lapses, c.reps, c.stability,
           power(1 + :factor * floor(greatest(0, extract(epoch FROM :now - c.last_review))
                                     / 86400) / c.stability, -:decay) AS r
    FROM card_state c
    JOIN word w ON w.id = c.word_id
    WHERE c.user_id = :user_id AND c.stability > 0 AND c.last_review IS NOT NULL
          AND c.lapses > 0
    ORDER BY c.lapses DESC, r ASC, w.id
    LIMIT :limit
    """
)


def hardest_words(
    session: Session,
    user_id: int,
    parameters: Sequence[float] | None,
    now: datetime,
    limit: int = LEECH_COUNT,
) -> list[HardWord]:
    """The words forgotten most often after they were learned, the least likely recalled now
    first among equals; a word never forgotten is not among them."""
    factor, decay = forgetting_curve(parameters)
    rows = session.execute(
        _HARDEST,
        {
            "user_id": user_id,
            "now": now,
            "factor": factor,
            "decay": decay,
            "limit": limit,
        },
    ).all()
    return [
        HardWord(w, term, reading, meaning, lapses, reps, float(r), float(s))
        for w, term, reading, meaning, lapses, reps, s, r in rows
    ]
