"""Awarding achievements: each one at most once per learner, whoever asks first.

`user_achievement` is unique per learner and achievement, and awards are inserted with
ON CONFLICT DO NOTHING ... RETURNING: of two transactions awarding the same badge at once,
one gets the row back and the other nothing, so a badge is announced once. A badge is shown
as a toast once, too: `claim_unseen` marks it seen in the same statement that returns it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from learn_app.models.achievements import LearnerMotivation, UserAchievement
from learn_app.services.achievements import clock
from learn_app.services.achievements.measures import Measures
from learn_app.services.achievements.progress import Learner
from learn_app.services.achievements.rules import (
    ACHIEVEMENTS,
    BY_SLUG,
    QUERIED_MEASURES,
    Achievement,
)


def earned_slugs(session: Session, user_id: int) -> set[str]:
    return set(
        session.exec(select(UserAchievement.achievement).where(UserAchievement.user_id == user_id))
    )


def award(
    session: Session,
    user_id: int,
    slugs: Iterable[str],
    *,
    now: datetime | None = None,
    seen: bool = False,
) -> list[str]:
    """Award the achievements not yet earned; returns those this call awarded."""
    at = clock.moment(now)
    rows = [
        {"user_id": user_id, "achievement": slug, "earned_at": at, "seen_at": at if seen else None}
        for slug in dict.fromkeys(slugs)
        if slug in BY_SLUG
    ]
    if not rows:
        return []
    awarded = session.exec(
        insert(UserAchievement)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_user_achievement")
        .returning(col(UserAchievement.achievement))
    ).all()
    return [slug for slug in (row if isinstance(row, str) else row[0] for row in awarded)]


def reached(
    session: Session,
    user: Learner,
    state: LearnerMotivation,
    *,
    queried: bool,
    now: datetime | None = None,
) -> list[Achievement]:
    """Achievements whose measure has reached the target and are not yet earned. Without
    `queried`, the measures that need a query are left for a later check."""
    measures = Measures(session, user, state, now=now)  # type: ignore[arg-type]
    return newly_reached(measures, earned_slugs(session, state.user_id), queried=queried)


def newly_reached(
    measures: Measures, earned: set[str], *, queried: bool = True
) -> list[Achievement]:
    return [
        achievement
        for achievement in ACHIEVEMENTS
        if achievement.slug not in earned
        and (queried or achievement.measure not in QUERIED_MEASURES)
        and measures.value(achievement.measure) >= achievement.target
    ]


def claim_unseen(
    session: Session, user_id: int, *, now: datetime | None = None
) -> list[Achievement]:
    """The learner's badges not yet announced, marked announced: each is returned once."""
    claimed = session.exec(
        update(UserAchievement)
        .where(col(UserAchievement.user_id) == user_id, col(UserAchievement.seen_at).is_(None))
        .values(seen_at=clock.moment(now))
        .returning(col(UserAchievement.achievement), col(UserAchievement.earned_at))
    ).all()
    ordered = sorted(claimed, key=lambda row: (row[1], row[0]))
    return [BY_SLUG[slug] for slug, _ in ordered if slug in BY_SLUG]
