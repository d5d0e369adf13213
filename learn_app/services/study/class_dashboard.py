"""A teacher's view of one class: who is studying, who is slipping, how the class is doing
day by day, and (in `class_missed_words`) what it keeps getting wrong.

Everything is counted in PostgreSQL over the class's last 30 days, each learner's days in their
own time zone, and comes back as a few hundred aggregated rows however long the learners'
histories are. Who may see a class is decided in `class_scope`.

The answers of the window are counted in one pass (`class_counts`); true retention is Anki's,
as on the learner's own Progress page: of the answers to cards in the review stage, the share
answered right. A learner's streak is the one every page shows (`streaks.streak_standings`:
kept by the achievements as answers are recorded, freezes and vacations counted).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

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
from learn_app.services.study.streaks import streak_standings

# Cards whose FSRS stability reached three weeks are "mature", as Anki counts them.
MATURE_STABILITY_DAYS = 21.0


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
    streaks = streak_standings(session, learners, now=now)  # the streak every page shows
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
            streak_days=streaks[uid].days,
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
