"""A teacher's view of one class: who is studying, who is slipping, how the class is doing
day by day, and (in `class_missed_words`) what it keeps getting wrong.

Everything is counted in PostgreSQL over the class's last 30 days, each learner's days in their
own time zone, and comes back as a few hundred aggregated rows however long the learners'
histories are. Who may see a class is decided in `class_scope`.

The answers of the window are counted in one pass (`class_counts`); true retention is Anki's,
as on the learner's own Progress page: of the answers to cards in the review stage, the share
answered right.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from learn_app.models import CardState, Review, User
from learn_app.services.study.class_counts import LearnerDay, window_counts
from learn_app.services.study.class_missed_words import MissedWord
from learn_app.services.study.class_scope import (
    WINDOW_DAYS,
    LearnerWindows,
    enrolled_learners,
    teacher_class,
    zone,
)

# Cards whose FSRS stability reached three weeks are "mature", as Anki counts them.
MATURE_STABILITY_DAYS = 21.0
# A streak still running after this many days is reported as this many; it bounds the walk.
MAX_STREAK_DAYS = 3660


@dataclass(frozen=True)
class AtRiskRules:
    """When a learner is flagged, and why. Retention is judged only on enough reviews."""

    inactive_days: int = 7
    backlog_cards: int = 100
    retention_margin: float = 5.0  # percentage points under the learner's own target
    retention_min_reviews: int = 20


RULES = AtRiskRules()


@dataclass(frozen=True)
class RosterRow:
    learner_id: int
    display_name: str
    email: str
    last_active_at: datetime | None
    days_inactive: int | None  # whole days since the last review, in their time zone
    days_studied_7: int
    days_studied_30: int
    reviews_7: int
    reviews_30: int
    retention: float | None  # percent of review-stage answers right in 30 days
    retention_reviews: int
    target_retention: float  # percent: the learner's desired retention
    backlog: int  # cards due now and not yet reviewed
    streak_days: int
    words_studied: int
    words_mature: int
    risk_reasons: tuple[str, ...] = ()

    @property
    def at_risk(self) -> bool:
        return bool(self.risk_reasons)


@dataclass(frozen=True)
class ClassDay:
    day: date
    active_learners: int
    reviews: int
    retention: float | None  # percent of the day's review-stage answers right
    retention_reviews: int


@dataclass(frozen=True)
class ClassDashboard:
    classroom_id: int
    name: str
    language: str
    window_days: int
    rules: AtRiskRules
    roster: list[RosterRow]
    days: list[ClassDay]
    missed_words: list[MissedWord]
    generated_at: datetime

    @property
    def at_risk_count(self) -> int:
        return sum(1 for row in self.roster if row.at_risk)


# ------------------------------------------------------------------------------ the dashboard


def class_dashboard(
    session: Session,
    teacher: User,
    class_id: int,
    *,
    now: datetime | None = None,
    missed_words: int = 15,
    rules: AtRiskRules = RULES,
) -> ClassDashboard:
    classroom = teacher_class(session, teacher, class_id)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    learners = enrolled_learners(session, classroom.id)
    windows = LearnerWindows(learners, now)
    daily, missed = window_counts(
        session, windows, classroom.language, now, limit=max(0, missed_words)
    )
    roster = _roster(session, learners, windows, daily, now, rules)
    return ClassDashboard(
        classroom_id=classroom.id,
        name=classroom.name,
        language=classroom.language,
        window_days=WINDOW_DAYS,
        rules=rules,
        roster=roster,
        days=_class_days(daily, zone(teacher.timezone), now),
        missed_words=missed,
        generated_at=now,
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _roster(
    session: Session,
    learners: list[User],
    windows: LearnerWindows,
    daily: list[LearnerDay],
    now: datetime,
    rules: AtRiskRules,
) -> list[RosterRow]:
    if not learners:
        return []
    ids = [u.id for u in learners]
    last_active = _last_review_times(session, ids)
    cards = _card_counts(session, ids, now)
    by_learner: dict[int, list[LearnerDay]] = {uid: [] for uid in ids}
    for day in daily:
        by_learner[day.user_id].append(day)
    streaks = _streaks(session, windows, by_learner)
    roster = []
    for learner in learners:
        uid = learner.id
        today = windows.today[uid]
        days = by_learner[uid]
        last_week = [d for d in days if d.day > today - timedelta(days=7)]
        reviews = sum(d.reviews for d in days)
        passed = sum(d.passed for d in days)
        last = last_active.get(uid)
        days_inactive = (today - last.astimezone(windows.zones[uid]).date()).days if last else None
        backlog, studied, mature = cards.get(uid, (0, 0, 0))
        row = RosterRow(
            learner_id=uid,
            display_name=learner.display_name,
            email=learner.email,
            last_active_at=last,
            days_inactive=days_inactive,
            days_studied_7=len(last_week),
            days_studied_30=len(days),
            reviews_7=sum(d.answers for d in last_week),
            reviews_30=sum(d.answers for d in days),
            retention=_percent(passed, reviews),
            retention_reviews=reviews,
            target_retention=round(100.0 * learner.desired_retention, 1),
            backlog=backlog,
            streak_days=streaks.get(uid, 0),
            words_studied=studied,
            words_mature=mature,
        )
        roster.append(_with_risk(row, rules))
    return roster


def _with_risk(row: RosterRow, rules: AtRiskRules) -> RosterRow:
    reasons = []
    if row.days_inactive is None:
        reasons.append("No reviews yet")
    elif row.days_inactive >= rules.inactive_days:
        reasons.append(f"Inactive {row.days_inactive} days")
    if row.backlog > rules.backlog_cards:
        reasons.append(f"Backlog of {row.backlog} cards (over {rules.backlog_cards})")
    if (
        row.retention is not None
        and row.retention_reviews >= rules.retention_min_reviews
        and row.retention < row.target_retention - rules.retention_margin
    ):
        reasons.append(f"Retention {row.retention:g}% under the {row.target_retention:g}% target")
    return replace(row, risk_reasons=tuple(reasons))


def _last_review_times(session: Session, ids: list[int]) -> dict[int, datetime]:
    """The newest review of each learner: one backward index probe each."""
    last = (
        select(func.max(Review.reviewed_at))
        .where(Review.user_id == col(User.id))
        .correlate(User)
        .scalar_subquery()
    )
    rows = session.exec(select(User.id, last).where(col(User.id).in_(ids))).all()
    return {int(uid): at for uid, at in rows if at is not None}


def _card_counts(
    session: Session, ids: list[int], now: datetime
) -> dict[int, tuple[int, int, int]]:
    """Per learner: cards due now (the backlog), cards studied, and mature cards."""
    rows = session.exec(
        select(
            CardState.user_id,
            func.count().filter(col(CardState.due) <= now),
            func.count(),
            func.count().filter(col(CardState.stability) >= MATURE_STABILITY_DAYS),
        )
        .where(col(CardState.user_id).in_(ids))
        .group_by(col(CardState.user_id))
    ).all()
    return {int(uid): (int(b), int(s), int(m)) for uid, b, s, m in rows}


# The days before the window, from the day table migration 0015 keeps (a row per day and study
# session with answers, in the learner's zone): the run of days right before `day`.
_STREAK_DAYS = sa.text(
    """
    WITH start AS (
        SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:days AS date[])) AS w(user_id, day)
    ),
    studied AS (
        SELECT DISTINCT s.user_id, s.day AS start_day, d.day
        FROM start s
        JOIN review_day_session d
          ON d.user_id = s.user_id AND d.day < s.day AND d.day >= s.day - :max_steps
    ),
    runs AS (
        SELECT user_id,
               start_day - day - row_number() OVER (PARTITION BY user_id ORDER BY day DESC)
                   AS gap
        FROM studied
    )
    SELECT user_id, count(*) FROM runs WHERE gap = 0 GROUP BY user_id
    """
)
_DAY_ZONES = sa.text(
    "SELECT user_id, timezone FROM review_day_zone WHERE user_id = ANY(CAST(:ids AS integer[]))"
)

# The same walk over the answers, for a learner whose days were counted in another zone.
_STREAK_WALK = sa.text(
    """
    WITH RECURSIVE walk(user_id, zone, day, steps) AS (
        SELECT w.user_id, w.zone, w.day, 0
        FROM unnest(CAST(:ids AS integer[]), CAST(:zones AS text[]), CAST(:days AS date[]))
            AS w(user_id, zone, day)
      UNION ALL
        SELECT walk.user_id, walk.zone, walk.day - 1, walk.steps + 1
        FROM walk
        WHERE walk.steps < :max_steps
          AND EXISTS (
            SELECT 1 FROM review r
            WHERE r.user_id = walk.user_id
              AND r.reviewed_at >= timezone(walk.zone, (walk.day - 1)::timestamp)
              AND r.reviewed_at < timezone(walk.zone, walk.day::timestamp)
          )
    )
    SELECT user_id, max(steps) FROM walk GROUP BY user_id
    """
)


def _streaks(
    session: Session, windows: LearnerWindows, by_learner: dict[int, list[LearnerDay]]
) -> dict[int, int]:
    """Consecutive local days with a review, ending today (or yesterday: a streak ends only
    when a whole day is missed). Counted from the window's days; a streak that reaches back
    to the window's first day is followed further in the learner's counted days."""
    streaks: dict[int, int] = {}
    reaching_back: dict[int, date] = {}
    for uid, days in by_learner.items():
        studied = {d.day for d in days}
        today = windows.today[uid]
        day = today if today in studied else today - timedelta(days=1)
        streak = 0
        while day in studied:
            streak += 1
            day -= timedelta(days=1)
        streaks[uid] = streak
        first_day = today - timedelta(days=WINDOW_DAYS - 1)
        if streak and day < first_day:
            reaching_back[uid] = first_day
    if reaching_back:
        for uid, steps in _days_before(session, windows, reaching_back).items():
            streaks[uid] = min(MAX_STREAK_DAYS, streaks[uid] + steps)
    return streaks


def _days_before(
    session: Session, windows: LearnerWindows, first_days: dict[int, date]
) -> dict[int, int]:
    """Per learner, the run of study days right before their first day in the window: from
    the day table where it counts days in the zone the window uses, else from the answers."""
    counted_in = dict(session.execute(_DAY_ZONES, {"ids": list(first_days)}).tuples().all())
    summed = [uid for uid in first_days if counted_in.get(uid) == windows.zones[uid].key]
    walked = [uid for uid in first_days if uid not in summed]
    steps: dict[int, int] = {}
    if summed:
        rows = session.execute(
            _STREAK_DAYS,
            {
                "ids": summed,
                "days": [first_days[uid] for uid in summed],
                "max_steps": MAX_STREAK_DAYS,
            },
        ).all()
        steps.update((int(uid), int(n)) for uid, n in rows)
    if walked:
        rows = session.execute(
            _STREAK_WALK,
            {
                "ids": walked,
                "zones": [windows.zones[uid].key for uid in walked],
                "days": [first_days[uid] for uid in walked],
                "max_steps": MAX_STREAK_DAYS,
            },
        ).all()
        steps.update((int(uid), int(n)) for uid, n in rows)
    return steps


def _class_days(daily: list[LearnerDay], zone: zoneinfo.ZoneInfo, now: datetime) -> list[ClassDay]:
    """The class, day by day over the window (days with no studying included, as zeros)."""
    today = now.astimezone(zone).date()
    axis = {today - timedelta(days=n) for n in range(WINDOW_DAYS)}
    axis |= {row.day for row in daily}
    totals: dict[date, list[int]] = {day: [0, 0, 0, 0] for day in axis}
    for row in daily:
        total = totals[row.day]
        total[0] += 1
        total[1] += row.answers
        total[2] += row.reviews
        total[3] += row.passed
    return [
        ClassDay(day, active, answers, _percent(passed, reviews), reviews)
        for day, (active, answers, reviews, passed) in sorted(totals.items())
    ]
