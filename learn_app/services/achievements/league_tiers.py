"""League tiers: at the end of each week the top of a class's league moves up a tier and the
bottom moves down, Bronze to Diamond.

A week is each learner's own Monday to Sunday in their time zone, so it ends at different
instants across a class (Tokyo's Sunday ends 14 hours before New York's). The week is settled
once it has ended for every learner in the class: until then someone's XP for it can still
grow. Settling happens when anyone looks at the league, weeks in order, each once (the class's
league row is locked while settling, so two viewers cannot settle a week twice).

How many move: a fifth of the class each way, at least one up once there are two learners;
nobody moves down in a class of under five (a small class would send someone down every week).
Only a learner who earned XP that week can move up. Ties move together at the top (all level
with the last place up go up) and stay together at the bottom (none level with the first place
that stays goes down).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, func, select

from learn_app.models import Enrollment, User
from learn_app.models.achievements import ClassLeague, LeagueTier, XpEntry
from learn_app.services.achievements import clock

TIERS = (
    "Bronze", "Silver", "Gold", "Sapphire", "Ruby", "Emerald", "Amethyst", "Pearl", "Obsidian",
    "Diamond",
)  # fmt: skip
MIN_CLASS_FOR_DEMOTION = 5
MAX_WEEKS_SETTLED_AT_ONCE = 12  # a league nobody looked at for months settles its last weeks


def places(size: int) -> tuple[int, int]:
    """How many learners of a league of `size` move up and how many move down each week."""
    if size < 2:
        return 0, 0
    moving = max(1, size // 5)
    return moving, moving if size >= MIN_CLASS_FOR_DEMOTION else 0


@dataclass(frozen=True)
class Standing:
    learner_id: int
    xp: int
    tier: int


def moves(standings: Sequence[Standing]) -> dict[int, int]:
    """Each learner's move for the week: +1 up, -1 down, 0 stays (within Bronze…Diamond)."""
    up, down = places(len(standings))
    result: dict[int, int] = {}
    for s in standings:
        above = sum(1 for other in standings if other.xp > s.xp)
        at_or_below = sum(1 for other in standings if other.xp <= s.xp)
        move = 0
        if s.xp > 0 and above < up:
            move = 1
        elif at_or_below <= down:
            move = -1
        result[s.learner_id] = max(0, min(len(TIERS) - 1, s.tier + move)) - s.tier
    return result


def week_closed_for_everyone(zones: Sequence[str], at: datetime) -> date:
    """The Monday of the last week that has ended in every one of the time zones."""
    mondays = [clock.week_start(clock.local_day(at, clock.zone(tz))) for tz in zones]
    return min(mondays) - timedelta(days=7)


def settle(session: Session, classroom_id: int, *, now: datetime | None = None) -> None:
    """Make the moves of every week that has ended for the whole class and is not settled."""
    league = session.exec(
        select(ClassLeague)
        .where(ClassLeague.classroom_id == classroom_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if league is None or not league.enabled:
        return
    members = session.exec(
        select(User.id, User.timezone)
        .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
        .where(Enrollment.classroom_id == classroom_id)
    ).all()
    if not members:
        return
    closed = week_closed_for_everyone([tz for _, tz in members], clock.moment(now))
    first = clock.week_start(clock.moment(league.changed_at).date())
    if league.settled_week is not None:
        first = max(first, league.settled_week + timedelta(days=7))
    first = max(first, closed - timedelta(days=7 * (MAX_WEEKS_SETTLED_AT_ONCE - 1)))
    week = first
    while week <= closed:
        _settle_week(session, classroom_id, [int(uid) for uid, _ in members], week)
        league.settled_week = week
        week += timedelta(days=7)
    session.add(league)
    session.flush()


def _settle_week(session: Session, classroom_id: int, learner_ids: list[int], monday: date) -> None:
    sunday = monday + timedelta(days=6)
    earned = dict(
        session.exec(
            select(XpEntry.user_id, func.sum(XpEntry.points))
            .where(
                col(XpEntry.user_id).in_(learner_ids),
                and_(col(XpEntry.local_day) >= monday, col(XpEntry.local_day) <= sunday),
            )
            .group_by(col(XpEntry.user_id))
        ).all()
    )
    tiers = tiers_of(session, classroom_id, learner_ids)
    standings = [Standing(uid, int(earned.get(uid, 0)), tiers.get(uid, 0)) for uid in learner_ids]
    moved = moves(standings)
    rows = [
        {
            "classroom_id": classroom_id,
            "learner_id": s.learner_id,
            "tier": s.tier + moved[s.learner_id],
            "moved": moved[s.learner_id],
            "moved_week": monday,
        }
        for s in standings
    ]
    statement = insert(LeagueTier).values(rows)
    session.exec(
        statement.on_conflict_do_update(
            index_elements=["classroom_id", "learner_id"],
            set_={
                "tier": statement.excluded.tier,
                "moved": statement.excluded.moved,
                "moved_week": statement.excluded.moved_week,
            },
        )
    )


def tiers_of(session: Session, classroom_id: int, learner_ids: list[int]) -> dict[int, int]:
    return dict(
        session.exec(
            select(LeagueTier.learner_id, LeagueTier.tier).where(
                LeagueTier.classroom_id == classroom_id,
                col(LeagueTier.learner_id).in_(learner_ids),
            )
        ).all()
    )


def last_moves(
    session: Session, classroom_id: int, settled_week: date | None
) -> dict[int, tuple[int, int]]:
    """Each learner's tier and their move in the last settled week (0 if they did not take
    part in it)."""
    rows = session.exec(
        select(
            LeagueTier.learner_id, LeagueTier.tier, LeagueTier.moved, col(LeagueTier.moved_week)
        ).where(LeagueTier.classroom_id == classroom_id)
    ).all()
    return {
        int(uid): (int(tier), int(moved) if week == settled_week else 0)
        for uid, tier, moved, week in rows
    }
