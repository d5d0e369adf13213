"""Reading learners' writing: the learner their own submissions, their teachers (of any class
they are in; admins, of every class) theirs, with comments. To anyone else a submission does
not exist. Only a learner's teachers comment; the learner reads the comments beside their
writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from learn_app.models import Classroom, Enrollment, Role, User, WritingComment, WritingSubmission
from learn_app.services import audit
from learn_app.services.errors import InvalidInput, NotFound, PermissionDenied

__all__ = [
    "CommentView",
    "SubmissionView",
    "add_comment",
    "get_submission",
    "list_learner_submissions",
    "list_own_submissions",
]

MAX_COMMENT_CHARS = 2000
MAX_LISTED = 50
NOT_FOUND = "That piece of writing does not exist."


@dataclass(frozen=True)
class CommentView:
    id: int
    submission_id: int
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class SubmissionView:
    submission: WritingSubmission
    learner_name: str
    comments: list[CommentView]

    @property
    def offline(self) -> bool:
        return self.submission.provider == "offline"


def _teaches(session: Session, teacher: User, learner_id: int) -> bool:
    """Whether the learner is in one of the teacher's classes (any class, for an admin)."""
    if teacher.role not in (Role.teacher.value, Role.admin.value):
        return False
    query = select(Enrollment.id).where(Enrollment.learner_id == learner_id)
    if teacher.role != Role.admin.value:
        query = query.join(Classroom, col(Classroom.id) == col(Enrollment.classroom_id)).where(
            Classroom.teacher_id == teacher.id
        )
    return session.exec(query.limit(1)).first() is not None


def _comments(session: Session, submission_ids: list[int]) -> dict[int, list[CommentView]]:
    rows = session.exec(
        select(WritingComment, User.display_name)
        .join(User, col(User.id) == col(WritingComment.author_id), isouter=True)
        .where(col(WritingComment.submission_id).in_(submission_ids))
        .order_by(col(WritingComment.created_at), col(WritingComment.id))
    ).all()
    found: dict[int, list[CommentView]] = {}
    for comment, author in rows:
        found.setdefault(comment.submission_id, []).append(
            CommentView(
                comment.id or 0,
                comment.submission_id,
                author or "A teacher",
                comment.text,
                comment.created_at,
            )
        )
    return found


def _views(session: Session, rows: Sequence[tuple[WritingSubmission, str]]) -> list[SubmissionView]:
    comments = _comments(session, [s.id for s, _ in rows if s.id is not None])
    return [SubmissionView(s, name, comments.get(s.id or 0, [])) for s, name in rows]


def _newest_first(query: Any, limit: int) -> Any:
    return query.order_by(
        col(WritingSubmission.created_at).desc(), col(WritingSubmission.id).desc()
    ).limit(max(1, min(limit, MAX_LISTED)))


def list_own_submissions(
    session: Session, user: User, *, limit: int = MAX_LISTED
) -> list[SubmissionView]:
    """The learner's submissions, newest first, with their teachers' comments."""
    query = select(WritingSubmission, User.display_name).join(
        User, col(User.id) == col(WritingSubmission.user_id)
    )
    rows = session.exec(_newest_first(query.where(WritingSubmission.user_id == user.id), limit))
    return _views(session, rows.all())


def list_learner_submissions(
    session: Session,
    teacher: User,
    *,
    classroom_id: int | None = None,
    learner_id: int | None = None,
    limit: int = MAX_LISTED,
) -> list[SubmissionView]:
    """Submissions of the learners in the teacher's classes (or in one of them), newest first."""
    if teacher.role not in (Role.teacher.value, Role.admin.value):
        raise PermissionDenied("Only teachers can read their learners' writing.")
    learners = select(Enrollment.learner_id)
    if classroom_id is not None:
        classroom = session.get(Classroom, classroom_id)
        if classroom is None:
            raise NotFound("That class does not exist.")
        if classroom.teacher_id != teacher.id and teacher.role != Role.admin.value:
            raise PermissionDenied("That class belongs to another teacher.")
        learners = learners.where(Enrollment.classroom_id == classroom_id)
    elif teacher.role != Role.admin.value:
        learners = learners.join(
            Classroom, col(Classroom.id) == col(Enrollment.classroom_id)
        ).where(Classroom.teacher_id == teacher.id)
    query = (
        select(WritingSubmission, User.display_name)
        .join(User, col(User.id) == col(WritingSubmission.user_id))
        .where(col(WritingSubmission.user_id).in_(learners))
    )
    if learner_id is not None:
        query = query.where(WritingSubmission.user_id == learner_id)
    return _views(session, session.exec(_newest_first(query, limit)).all())


def _readable(session: Session, user: User, submission_id: int) -> WritingSubmission:
    submission = session.get(WritingSubmission, submission_id)
    if submission is None or (
        submission.user_id != user.id and not _teaches(session, user, submission.user_id)
    ):
        raise NotFound(NOT_FOUND)
    return submission


def get_submission(session: Session, user: User, submission_id: int) -> SubmissionView:
    """The learner's own submission, or one of a learner the caller teaches."""
    submission = _readable(session, user, submission_id)
    learner = session.get(User, submission.user_id)
    return _views(session, [(submission, learner.display_name if learner else "")])[0]


def add_comment(session: Session, teacher: User, submission_id: int, text: str) -> CommentView:
    """A teacher's comment on a submission of a learner in one of their classes."""
    submission = _readable(session, teacher, submission_id)
    if not _teaches(session, teacher, submission.user_id):
        raise PermissionDenied("Only the learner's teachers can comment on their writing.")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write a comment first.", field="text")
    if len(text) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"Keep comments to {MAX_COMMENT_CHARS} characters.", field="text")
    comment = WritingComment(submission_id=submission_id, author_id=teacher.id, text=text)
    session.add(comment)
    session.flush()
    audit.record(
        session,
        "writing.commented",
        user_id=submission.user_id,
        actor_id=teacher.id,
        submission_id=submission_id,
    )
    return CommentView(
        comment.id or 0, submission_id, teacher.display_name, comment.text, comment.created_at
    )
