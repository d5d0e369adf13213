"""Which class a teacher may look at, its learners, and the days the class views count.

A teacher sees only the classes they teach (an admin every class). Any other class, or a
learner who is not enrolled in the class, is NotFound — exactly like one that does not exist,
so the answer gives nothing away. Every class view and the assignments go through here.

The class views count each learner's last `WINDOW_DAYS` days in the learner's own time zone:
`LearnerWindows` carries their zones, their today and the start of their window into SQL as
arrays the queries unnest and join to.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from learn_app.models import Classroom, Enrollment, Role, User
from learn_app.services.accounts.auth import require_role
from learn_app.services.errors import NotFound

WINDOW_DAYS = 30


def teacher_class(session: Session, teacher: User, class_id: int) -> Classroom:
    """The class, if `teacher` teaches it (admins: any class); NotFound otherwise."""
    require_role(teacher, Role.teacher, Role.admin)
    classroom = session.get(Classroom, class_id)
    if classroom is None or (
        classroom.teacher_id != teacher.id and teacher.role != Role.admin.value
    ):
        raise NotFound("That class does not exist.")
    return classroom


def class_learner(session: Session, teacher: User, class_id: int, learner_id: int) -> User:
    """A learner enrolled in one of the teacher's classes; NotFound for anyone else."""
    classroom = teacher_class(session, teacher, class_id)
    learner = session.exec(
        select(User)
        .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
        .where(Enrollment.classroom_id == classroom.id, User.id == learner_id)
    ).first()
    if learner is None:
        raise NotFound("That learner is not in this class.")
    return learner


def enrolled_learners(session: Session, classroom_id: int) -> list[User]:
    """The class's learners by name."""
    return list(
        session.exec(
            select(User)
            .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
            .where(Enrollment.classroom_id == classroom_id)
            .order_by(col(User.display_name), col(User.id))
        ).all()
    )


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class LearnerWindows:
    """Each learner's time zone, their today, and the first moment of their window."""

    def __init__(self, learners: list[User], now: datetime, days: int = WINDOW_DAYS) -> None:
        self.days = days
        self.zones = {u.id: zone(u.timezone) for u in learners}
        self.today = {uid: now.astimezone(z).date() for uid, z in self.zones.items()}
        self.since = {
            uid: datetime.combine(self.today[uid] - timedelta(days=days - 1), time(), z)
            for uid, z in self.zones.items()
        }

    @property
    def empty(self) -> bool:
        return not self.zones

    def parameters(self) -> dict[str, object]:
        """The windows as arrays for `unnest`, and the earliest start, for a query's bounds."""
        ids = list(self.zones)
        return {
            "ids": ids,
            "zones": [self.zones[uid].key for uid in ids],
            "since": [self.since[uid] for uid in ids],
            "earliest": min(self.since.values()),
        }
