"""Class leagues: the week's XP ranking inside a class, for classes whose teacher turned it on,
with tiers that the top of each week's ranking moves up and the bottom down (`league_tiers`).

Each learner's week starts on Monday in their own time zone, so a learner in Tokyo and one in
Lisbon both rank on their own Monday-to-Sunday. The teacher (or an admin) and the learners in
the class see the league; to anyone else the class has none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, or_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, func, select

from learn_app.models import Classroom, Enrollment, Role, User
from learn_app.models.achievements import ClassLeague, XpEntry
from learn_app.services import audit
from learn_app.services.achievements import clock, league_tiers
from learn_app.services.errors import NotFound, PermissionDenied

NO_LEAGUE = "This class has no league. Its teacher can turn one on."


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    learner_id: int
    display_name: str
    xp: int
    week_starts: date  # the Monday in this learner's own time zone
    is_you: bool
    tier: int = 0  # an index into league_tiers.TIERS
    moved: int = 0  # last settled week: +1 moved up, -1 moved down

    @property
    def tier_name(self) -> str:
        return league_tiers.TIERS[self.tier]


@dataclass(frozen=True)
class League:
    classroom_id: int
    classroom_name: str
    enabled: bool
    rows: list[LeagueRow]
    moving_up: int = 0  # how many of this class move up (and down) at the end of a week
    moving_down: int = 0
    settled_week: date | None = None  # the Monday of the last week whose moves were made

    @property
    def rule(self) -> str:
        """The promotion rule as a learner reads it."""
        if not self.moving_up:
            return "Tiers move once the league has two learners."
        up = f"the top {self.moving_up} move{'s' if self.moving_up == 1 else ''} up a tier"
        if not self.moving_down:
            down = "nobody moves down in a class of under five"
        else:
            down = f"the bottom {self.moving_down} move{'s' if self.moving_down == 1 else ''} down"
        return (
            f"When the week has ended in everyone's time zone, {up} and {down} (Bronze to Diamond)."
        )


def _teaches(classroom: Classroom, user: User) -> bool:
    return user.role == Role.admin.value or (
        user.role == Role.teacher.value and classroom.teacher_id == user.id
    )


def _enrolled(session: Session, classroom_id: int, user_id: int) -> bool:
    return (
        session.exec(
            select(Enrollment.id).where(
                Enrollment.classroom_id == classroom_id, Enrollment.learner_id == user_id
            )
        ).first()
        is not None
    )


def league_enabled(session: Session, classroom_id: int) -> bool:
    found = session.get(ClassLeague, classroom_id)
    return bool(found and found.enabled)


def set_league(
    session: Session,
    teacher: User,
    classroom_id: int,
    enabled: bool,
    *,
    now: datetime | None = None,
) -> bool:
    """Turn the class's league on or off; only its teacher (or an admin) may."""
    classroom = session.get(Classroom, classroom_id)
    if classroom is None:
        raise NotFound("That class does not exist.")
    if not _teaches(classroom, teacher):
        raise PermissionDenied("Only the class's teacher can change its league.")
    statement = insert(ClassLeague).values(
        classroom_id=classroom_id,
        enabled=bool(enabled),
        changed_by_id=teacher.id,
        changed_at=clock.moment(now),
    )
    session.exec(
        statement.on_conflict_do_update(
            index_elements=["classroom_id"],
            set_={
                "enabled": statement.excluded.enabled,
                "changed_by_id": statement.excluded.changed_by_id,
                "changed_at": statement.excluded.changed_at,
            },
        )
    )
    audit.record(
        session,
        "class.league_changed",
        actor_id=teacher.id,
        classroom_id=classroom_id,
        enabled=bool(enabled),
    )
    return bool(enabled)


def class_league(
    session: Session, viewer: User, classroom_id: int, *, now: datetime | None = None
) -> League:
    """The week's XP ranking of the class. Its teacher sees whether it is on; a learner of the
    class sees it when it is on; anyone else, and a learner of a class without a league, gets
    NotFound."""
    classroom = session.get(Classroom, classroom_id)
    if classroom is None:
        raise NotFound("That class does not exist.")
    teaching = _teaches(classroom, viewer)
    if not teaching and not _enrolled(session, classroom_id, viewer.id or 0):
        raise NotFound("That class does not exist.")
    enabled = league_enabled(session, classroom_id)
    if not enabled:
        if not teaching:
            raise NotFound(NO_LEAGUE)
        return League(classroom_id, classroom.name, False, [])
    league_tiers.settle(session, classroom_id, now=now)
    rows = _ranking(session, classroom_id, viewer, now)
    settled = session.exec(
        select(col(ClassLeague.settled_week)).where(ClassLeague.classroom_id == classroom_id)
    ).first()
    tiers = league_tiers.last_moves(session, classroom_id, settled)
    rows = [
        replace(row, tier=t, moved=m)
        for row in rows
        for t, m in [tiers.get(row.learner_id, (0, 0))]
    ]
    up, down = league_tiers.places(len(rows))
    return League(classroom_id, classroom.name, True, rows, up, down, settled)


def _tier_fields(found: tuple[int, int] | None) -> dict[str, int]:
    tier, moved = found or (0, 0)
    return {"tier": tier, "moved": moved}


def _ranking(
    session: Session, classroom_id: int, viewer: User, now: datetime | None
) -> list[LeagueRow]:
    at = clock.moment(now)
    learners = session.exec(
        select(User.id, User.display_name, User.timezone)
        .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
        .where(Enrollment.classroom_id == classroom_id)
    ).all()
    if not learners:
        return []
    mondays = {
        learner_id: clock.week_start(clock.local_day(at, clock.zone(tz)))
        for learner_id, _, tz in learners
    }
    week_xp = dict(
        session.exec(
            select(XpEntry.user_id, func.sum(XpEntry.points))
            .where(
                or_(
                    *(
                        and_(col(XpEntry.user_id) == learner_id, col(XpEntry.local_day) >= monday)
                        for learner_id, monday in mondays.items()
                    )
                )
            )
            .group_by(col(XpEntry.user_id))
        ).all()
    )
    ordered = sorted(
        learners, key=lambda row: (-int(week_xp.get(row[0], 0)), row[1].lower(), row[0])
    )
    rows: list[LeagueRow] = []
    for position, (learner_id, name, _) in enumerate(ordered, start=1):
        points = int(week_xp.get(learner_id, 0))
        rank = rows[-1].rank if rows and rows[-1].xp == points else position
        rows.append(
            LeagueRow(rank, learner_id, name, points, mondays[learner_id], learner_id == viewer.id)
        )
    return rows


def my_leagues(session: Session, user: User, *, now: datetime | None = None) -> list[League]:
    """The leagues of the classes the learner is in, where the teacher turned one on."""
    classes = session.exec(
        select(Classroom.id)
        .join(Enrollment, col(Enrollment.classroom_id) == col(Classroom.id))
        .join(ClassLeague, col(ClassLeague.classroom_id) == col(Classroom.id))
        .where(Enrollment.learner_id == user.id, col(ClassLeague.enabled))
        .order_by(col(Classroom.name), col(Classroom.id))
    ).all()
    return [class_league(session, user, classroom_id, now=now) for classroom_id in classes]
