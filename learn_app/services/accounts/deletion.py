"""Delete my account: everything stored about a person goes, at their own request.

The person confirms with their password. Their study data (answers, review schedules, study
sessions, writing, speaking attempts with their recordings, tutor conversations, XP and
achievements), their access tokens and sign-ins go with the account, so every device and
program is signed out at once. What others rely on stays without them: a teacher's classes
pass to an admin (or are deleted, if the teacher chooses), the courses they own pass to an
admin, and the audit trail and model-call ledger keep their rows with the person's id, name,
email and address removed — each of their audit rows names instead one random tombstone
("deleted-3f9a…"), which says that the same deleted account did these things and not who.
The portal's last admin cannot delete their account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from learn_app.config import get_settings
from learn_app.models import (
    AccessToken,
    AuditEvent,
    AuthSession,
    CardState,
    ClassInvitation,
    Classroom,
    Course,
    LlmCall,
    PronunciationAttempt,
    Review,
    Role,
    StudySession,
    TutorConversation,
    User,
    UserAchievement,
    WritingSubmission,
    XpEntry,
)
from learn_app.services import audit
from learn_app.services.accounts import passwords
from learn_app.services.accounts.auth import Caller, active_admin_ids
from learn_app.services.accounts.ratelimit import limiter
from learn_app.services.errors import InvalidInput, PermissionDenied

WRONG_PASSWORD = "Your password is not correct; nothing was deleted."  # noqa: S105 - a message
LAST_ADMIN = (
    "You are the portal's only admin, so your account can't be deleted: make someone else an "
    "admin first (Admin → Accounts), then delete yours."
)
NO_ADMIN_FOR_CLASSES = (
    "There is no admin to hand your classes to. Choose to delete your classes instead."
)
# Detail keys of audit rows that can name a person; removed when the person is deleted.
_PERSONAL_KEYS = frozenset({"email", "display_name", "name", "user_agent", "ip", "old_name"})


class ClassesChoice(StrEnum):
    """What happens to a teacher's classes when the teacher's account is deleted."""

    hand_over = "hand_over"  # to an admin, with their learners, assignments and league
    delete = "delete"  # with their enrolments and assignments (learners' own data stays)


@dataclass(frozen=True)
class DeletedAccount:
    """What went, counted; and what passed to whom (`admin_id`: None when nothing did)."""

    reviews: int
    card_states: int
    study_sessions: int
    writing_submissions: int
    speaking_attempts: int
    tutor_conversations: int
    achievements: int
    xp_entries: int
    access_tokens: int
    sign_ins: int
    classes_handed_over: int
    classes_deleted: int
    courses_handed_over: int
    audit_events_anonymised: int
    llm_calls_anonymised: int
    admin_id: int | None


def delete_account(
    session: Session,
    caller: Caller,
    *,
    password: str,
    classes: ClassesChoice | str = ClassesChoice.hand_over,
    ip: str = "",
) -> DeletedAccount:
    """Delete the caller's account, after checking their password. Refused (nothing changes)
    for a wrong password, for the last admin, and for a program holding an access token."""
    if not caller.signed_in:
        raise PermissionDenied("Deleting an account needs a sign-in with its password.")
    try:
        choice = ClassesChoice(classes)
    except ValueError as exc:
        raise InvalidInput("Choose hand_over or delete for your classes.", field="classes") from exc
    user = caller.user
    _check_password(session, user, password, ip=ip)
    admins = active_admin_ids(session)
    if user.role == Role.admin.value and admins == [user.id]:
        raise InvalidInput(LAST_ADMIN)
    successor = next((admin for admin in admins if admin != user.id), None)
    classes_moved, classes_deleted = _settle_classes(session, user, choice, successor)
    courses = _count(session, Course, col(Course.owner_id) == user.id)
    if courses and successor is not None:
        session.exec(
            update(Course).where(col(Course.owner_id) == user.id).values(owner_id=successor)
        )
    tombstone = "deleted-" + secrets.token_hex(6)
    anonymised = _anonymise_audit_trail(session, user, tombstone)
    llm_calls = _delete_rows(
        session, update(LlmCall).where(col(LlmCall.user_id) == user.id).values(user_id=None)
    )
    removed = _delete_personal_rows(session, user)
    _delete_rows(session, delete(User).where(col(User.id) == user.id))
    if user in session:
        session.expunge(user)
    result = DeletedAccount(
        **removed,
        classes_handed_over=classes_moved,
        classes_deleted=classes_deleted,
        courses_handed_over=courses if successor is not None else 0,
        audit_events_anonymised=anonymised,
        llm_calls_anonymised=llm_calls,
        admin_id=successor if classes_moved or courses else None,
    )
    audit.record(
        session,
        "account.deleted",
        account=tombstone,
        role=user.role,
        classes=choice.value,
        classes_handed_over=classes_moved,
        classes_deleted=classes_deleted,
        courses_handed_over=result.courses_handed_over,
        handed_to=result.admin_id,
    )
    return result


def _check_password(session: Session, user: User, password: str, *, ip: str) -> None:
    """Guesses are limited like a password change's: a stolen sign-in is no way to try
    passwords. A failure is committed before raising, so its audit row survives."""
    settings = get_settings()
    guesses: dict[str, Any] = {
        "action": "account-delete",
        "client": f"user:{user.id}",
        "limit": settings.max_failed_logins,
        "window_seconds": settings.lockout_minutes * 60,
    }
    limiter.check(**guesses)
    if not isinstance(password, str) or not password:
        raise InvalidInput("Type your password to confirm.", field="password")
    if not passwords.verify_password(password, user.password_hash):
        limiter.hit(**guesses)
        audit.record(session, "account.delete_refused", user_id=user.id, ip=ip)
        session.commit()
        raise InvalidInput(WRONG_PASSWORD, field="password")


def _settle_classes(
    session: Session, user: User, choice: ClassesChoice, successor: int | None
) -> tuple[int, int]:
    """(classes handed over, classes deleted)."""
    owned = _count(session, Classroom, col(Classroom.teacher_id) == user.id)
    if not owned:
        return 0, 0
    if choice is ClassesChoice.delete:
        _delete_rows(session, delete(Classroom).where(col(Classroom.teacher_id) == user.id))
        return 0, owned
    if successor is None:
        raise InvalidInput(NO_ADMIN_FOR_CLASSES, field="classes")
    session.exec(
        update(Classroom).where(col(Classroom.teacher_id) == user.id).values(teacher_id=successor)
    )
    return owned, 0


def _anonymise_audit_trail(session: Session, user: User, tombstone: str) -> int:
    """The person's audit rows keep what happened and when, not who or from where."""
    rows = session.exec(
        select(AuditEvent).where(
            or_(col(AuditEvent.user_id) == user.id, col(AuditEvent.actor_id) == user.id)
        )
    ).all()
    for row in rows:
        detail = {
            key: value
            for key, value in (row.detail or {}).items()
            if key not in _PERSONAL_KEYS and not _names(user, value)
        }
        if row.user_id == user.id:
            detail["account"] = tombstone
            row.user_id = None
            row.ip = ""
        if row.actor_id == user.id:
            detail["actor"] = tombstone
            row.actor_id = None
            row.ip = ""
        row.detail = detail
        session.add(row)
    session.flush()
    return len(rows)


def _names(user: User, value: object) -> bool:
    """Whether an audit detail's value names the person: holds their email, or is their
    display name."""
    if not isinstance(value, str):
        return False
    text = value.casefold()
    return user.email.casefold() in text or text == user.display_name.casefold()


def _delete_personal_rows(session: Session, user: User) -> dict[str, int]:
    """Delete the person's rows table by table (answers before the sessions they belong to),
    counting each; the rest (enrolments, preferences, schedulers) go with the account row."""
    mine = user.id
    session.exec(delete(ClassInvitation).where(col(ClassInvitation.email) == user.email))
    return {
        "speaking_attempts": _delete_rows(
            session, delete(PronunciationAttempt).where(col(PronunciationAttempt.user_id) == mine)
        ),
        "xp_entries": _delete_rows(session, delete(XpEntry).where(col(XpEntry.user_id) == mine)),
        "achievements": _delete_rows(
            session, delete(UserAchievement).where(col(UserAchievement.user_id) == mine)
        ),
        "reviews": _delete_rows(session, delete(Review).where(col(Review.user_id) == mine)),
        "card_states": _delete_rows(
            session, delete(CardState).where(col(CardState.user_id) == mine)
        ),
        "writing_submissions": _delete_rows(
            session, delete(WritingSubmission).where(col(WritingSubmission.user_id) == mine)
        ),
        "study_sessions": _delete_rows(
            session, delete(StudySession).where(col(StudySession.user_id) == mine)
        ),
        "tutor_conversations": _delete_rows(
            session, delete(TutorConversation).where(col(TutorConversation.user_id) == mine)
        ),
        "access_tokens": _delete_rows(
            session, delete(AccessToken).where(col(AccessToken.user_id) == mine)
        ),
        "sign_ins": _delete_rows(
            session, delete(AuthSession).where(col(AuthSession.user_id) == mine)
        ),
    }


def _delete_rows(session: Session, statement: Any) -> int:
    return int(session.exec(statement).rowcount or 0)


def _count(session: Session, table: Any, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(table).where(*where)).one())
