"""Invitations to a class by email, which the learner with that address accepts or declines.

The teacher's answer is the same whether or not an account has the address (same words, same
work: no account is looked up to invite), and the teacher's list of invitations holds every
address they typed; so inviting tells a teacher nothing about who has an account. A learner
sees invitations to their own address, and only accepting one enrols them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from learn_app.models import ClassInvitation, Classroom, Enrollment, Role, User
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.accounts.auth import normalize_email, require_role
from learn_app.services.accounts.classes import admit, own_classroom
from learn_app.services.accounts.memberships import MyClass, my_class
from learn_app.services.errors import Conflict, InvalidInput, NotFound

INVITATION_DAYS = 30
INVITED = (
    "If this address belongs to a learner, they'll see the invitation on their Dashboard; "
    "they join the class when they accept it."
)
NO_LONGER_OPEN = "That invitation is no longer open."


@dataclass(frozen=True)
class InvitationSent:
    email: str
    detail: str = INVITED


@dataclass(frozen=True)
class SentInvitation:
    """An invitation as the teacher who sent it sees it."""

    id: int
    email: str
    invited_at: datetime
    expires_at: datetime
    status: str  # waiting | declined | expired


@dataclass(frozen=True)
class MyInvitation:
    """An open invitation as the invited learner sees it."""

    id: int
    classroom_id: int
    class_name: str
    language: str
    teacher_name: str
    invited_at: datetime
    expires_at: datetime


def invite(session: Session, teacher: User, classroom_id: int, email: str) -> InvitationSent:
    """Invite whoever has `email` (now or once they sign up with it) to the class. Inviting the
    same address again renews the invitation, also after it was declined."""
    classroom = own_classroom(session, teacher, classroom_id)
    if not isinstance(email, str) or not email.strip():
        raise InvalidInput("Enter the learner's email address.", field="email")
    address = normalize_email(email)
    enrolled = session.exec(
        select(User.display_name)
        .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
        .where(Enrollment.classroom_id == classroom.id, User.email == address)
    ).first()
    if enrolled is not None:  # the teacher already sees this learner in the class
        raise Conflict(f"{enrolled} is already in this class.", field="email")
    now = utcnow()
    invitation = session.exec(
        select(ClassInvitation).where(
            ClassInvitation.classroom_id == classroom.id, ClassInvitation.email == address
        )
    ).first() or ClassInvitation(classroom_id=classroom.id, email=address)
    invitation.invited_by_id = teacher.id
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    invitation.declined_at = None
    session.add(invitation)
    session.flush()
    audit.record(
        session,
        "class.invited",
        actor_id=teacher.id,
        classroom_id=classroom.id,
        invitation_id=invitation.id,
    )
    return InvitationSent(email=address)


def class_invitations(session: Session, teacher: User, classroom_id: int) -> list[SentInvitation]:
    """The class's invitations not yet accepted, newest first."""
    classroom = own_classroom(session, teacher, classroom_id)
    now = utcnow()
    rows = session.exec(
        select(ClassInvitation)
        .where(ClassInvitation.classroom_id == classroom.id)
        .order_by(col(ClassInvitation.created_at).desc(), col(ClassInvitation.id).desc())
    )
    return [
        SentInvitation(
            id=row.id,
            email=row.email,
            invited_at=row.created_at,
            expires_at=row.expires_at,
            status=(
                "declined"
                if row.declined_at is not None
                else "expired"
                if row.expires_at <= now
                else "waiting"
            ),
        )
        for row in rows
    ]


def withdraw(session: Session, teacher: User, classroom_id: int, invitation_id: int) -> None:
    classroom = own_classroom(session, teacher, classroom_id)
    invitation = session.get(ClassInvitation, invitation_id)
    if invitation is None or invitation.classroom_id != classroom.id:
        raise NotFound("That invitation is not open for this class.")
    session.delete(invitation)
    audit.record(
        session,
        "class.invitation_withdrawn",
        actor_id=teacher.id,
        classroom_id=classroom.id,
        invitation_id=invitation_id,
    )


def _open_invitations(learner: User) -> Select[ClassInvitation, Classroom, str]:
    teacher = aliased(User, name="teacher")
    already_in = select(Enrollment.classroom_id).where(Enrollment.learner_id == learner.id)
    return (
        select(ClassInvitation, Classroom, teacher.display_name)
        .join(Classroom, col(Classroom.id) == col(ClassInvitation.classroom_id))
        .join(teacher, col(teacher.id) == col(Classroom.teacher_id))
        .where(
            ClassInvitation.email == learner.email,
            col(ClassInvitation.declined_at).is_(None),
            col(ClassInvitation.expires_at) > utcnow(),
            col(ClassInvitation.classroom_id).not_in(already_in),
        )
    )


def my_invitations(session: Session, learner: User) -> list[MyInvitation]:
    """Open invitations to the learner's address, newest first (none for other roles)."""
    if learner.role != Role.learner.value:
        return []
    rows = session.exec(
        _open_invitations(learner).order_by(
            col(ClassInvitation.created_at).desc(), col(ClassInvitation.id).desc()
        )
    )
    return [
        MyInvitation(
            id=invitation.id,
            classroom_id=classroom.id,
            class_name=classroom.name,
            language=classroom.language,
            teacher_name=str(teacher_name),
            invited_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )
        for invitation, classroom, teacher_name in rows
    ]


def _my_invitation(
    session: Session, learner: User, invitation_id: int
) -> tuple[ClassInvitation, Classroom]:
    require_role(learner, Role.learner)
    row = session.exec(
        _open_invitations(learner).where(ClassInvitation.id == invitation_id)
    ).first()
    if row is None:
        raise NotFound(NO_LONGER_OPEN)
    return row[0], row[1]


def accept(session: Session, learner: User, invitation_id: int) -> MyClass:
    """Join the class the invitation is for."""
    _, classroom = _my_invitation(session, learner, invitation_id)
    admit(session, classroom, learner, via="invitation")
    session.flush()
    return my_class(session, learner, classroom.id)


def decline(session: Session, learner: User, invitation_id: int) -> None:
    """Say no: the invitation leaves the learner's list and shows as declined to the teacher."""
    invitation, classroom = _my_invitation(session, learner, invitation_id)
    invitation.declined_at = utcnow()
    session.add(invitation)
    audit.record(
        session,
        "class.invitation_declined",
        user_id=learner.id,
        actor_id=learner.id,
        classroom_id=classroom.id,
        invitation_id=invitation.id,
    )
