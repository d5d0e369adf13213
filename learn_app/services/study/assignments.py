"""Assignments: a teacher sets a class a word group to study — in one activity, or any — by a
due date; the learners see theirs and start them; the teacher sees who has done what.

Who has done what (done, late, in progress, not started) is counted in `assignment_progress`.

Creating, changing and deleting an assignment are audited. Who may see a class is decided in
`class_scope` (any other class is NotFound).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from learn_app.models import (
    Assignment,
    Classroom,
    Enrollment,
    Status,
    StudyActivity,
    User,
    Word,
    WordGroup,
    WordGroupMember,
)
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.study import activities, sessions
from learn_app.services.study.assignment_progress import (
    AssignmentRow,
    Completion,
    CompletionGrid,
    GridLearner,
    assignment_rows,
    completions,
)
from learn_app.services.study.class_scope import enrolled_learners, teacher_class, zone

MAX_NOTE_LENGTH = 500
MAX_DUE_AHEAD = timedelta(days=366)
DEFAULT_ACTIVITY = "flashcards"  # what "Start" opens when the assignment allows any activity


@dataclass(frozen=True)
class LearnerAssignment:
    assignment: AssignmentRow
    class_name: str
    completion: Completion


_UNSET: Any = object()


# ------------------------------------------------------------------------------ teachers


def create_assignment(
    session: Session,
    teacher: User,
    class_id: int,
    *,
    group_id: int,
    due_at: datetime,
    activity_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> AssignmentRow:
    classroom = teacher_class(session, teacher, class_id)
    now = _now(now)
    group = _assignable_group(session, classroom, group_id)
    activity = _activity(session, activity_id)
    due = _due(due_at, teacher, after=now, now=now)
    assignment = Assignment(
        classroom_id=classroom.id,
        group_id=group.id,
        activity_id=activity.id if activity else None,
        due_at=due,
        note=_note(note),
        created_by_id=teacher.id,
        created_at=now,
        updated_at=now,
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        "assignment.created",
        actor_id=teacher.id,
        classroom_id=classroom.id,
        assignment_id=assignment.id,
        group_id=group.id,
        activity_id=assignment.activity_id,
        due_at=due.isoformat(),
    )
    return assignment_rows(session, [assignment])[0]


def update_assignment(
    session: Session,
    teacher: User,
    class_id: int,
    assignment_id: int,
    *,
    due_at: datetime | None = None,
    note: str | None = None,
    activity_id: int | None = _UNSET,
    now: datetime | None = None,
) -> AssignmentRow:
    """Change the due date, the note or the activity (None: any activity); the group stays,
    since the learners' work so far counts towards it."""
    assignment = _class_assignment(session, teacher, class_id, assignment_id)
    changed: dict[str, Any] = {}
    if due_at is not None:
        due = _due(due_at, teacher, after=assignment.created_at, now=_now(now))
        if due != assignment.due_at:
            assignment.due_at = due
            changed["due_at"] = due.isoformat()
    if note is not None and _note(note) != assignment.note:
        assignment.note = _note(note)
        changed["note"] = True
    if activity_id is not _UNSET and activity_id != assignment.activity_id:
        activity = _activity(session, activity_id)
        assignment.activity_id = activity.id if activity else None
        changed["activity_id"] = assignment.activity_id
    if changed:
        assignment.updated_at = _now(now)
        session.add(assignment)
        audit.record(
            session,
            "assignment.updated",
            actor_id=teacher.id,
            classroom_id=assignment.classroom_id,
            assignment_id=assignment.id,
            **changed,
        )
    return assignment_rows(session, [assignment])[0]


def delete_assignment(session: Session, teacher: User, class_id: int, assignment_id: int) -> None:
    assignment = _class_assignment(session, teacher, class_id, assignment_id)
    session.delete(assignment)
    audit.record(
        session,
        "assignment.deleted",
        actor_id=teacher.id,
        classroom_id=assignment.classroom_id,
        assignment_id=assignment_id,
        group_id=assignment.group_id,
    )


def get_assignment(
    session: Session, teacher: User, class_id: int, assignment_id: int
) -> AssignmentRow:
    return assignment_rows(session, [_class_assignment(session, teacher, class_id, assignment_id)])[
        0
    ]


def list_assignments(session: Session, teacher: User, class_id: int) -> list[AssignmentRow]:
    """The class's assignments, soonest due first."""
    classroom = teacher_class(session, teacher, class_id)
    return assignment_rows(session, _class_assignments(session, classroom.id))


def completion_grid(
    session: Session, teacher: User, class_id: int, *, now: datetime | None = None
) -> CompletionGrid:
    """Every learner of the class against every assignment of it."""
    classroom = teacher_class(session, teacher, class_id)
    rows = assignment_rows(session, _class_assignments(session, classroom.id))
    learners = enrolled_learners(session, classroom.id)
    cells = completions(session, rows, [u.id for u in learners], _now(now))
    return CompletionGrid(
        assignments=rows,
        learners=[GridLearner(u.id, u.display_name) for u in learners],
        cells=cells,
    )


# ------------------------------------------------------------------------------ learners


def my_assignments(
    session: Session, learner: User, *, now: datetime | None = None
) -> list[LearnerAssignment]:
    """The assignments of every class the learner is in, soonest due first."""
    found = session.exec(
        select(Assignment, Classroom.name)
        .join(Classroom, col(Classroom.id) == col(Assignment.classroom_id))
        .join(Enrollment, col(Enrollment.classroom_id) == col(Classroom.id))
        .where(Enrollment.learner_id == learner.id)
        .order_by(col(Assignment.due_at), col(Assignment.id))
    ).all()
    rows = assignment_rows(session, [assignment for assignment, _ in found])
    cells = completions(session, rows, [learner.id], _now(now))
    return [
        LearnerAssignment(row, class_name, cells[(learner.id, row.id)])
        for row, (_, class_name) in zip(rows, found, strict=True)
    ]


def start_assignment(
    session: Session, learner: User, assignment_id: int, *, now: datetime | None = None
) -> str:
    """Start a study session for one of the learner's assignments; returns where to go."""
    assignment = session.exec(
        select(Assignment)
        .join(Enrollment, col(Enrollment.classroom_id) == col(Assignment.classroom_id))
        .where(Assignment.id == assignment_id, Enrollment.learner_id == learner.id)
    ).first()
    if assignment is None:
        raise NotFound("That assignment does not exist.")
    if assignment.activity_id is not None:
        activity = activities.get_activity(session, assignment.activity_id)
    else:
        activity = activities.get_activity_by_slug(session, DEFAULT_ACTIVITY)
    started = sessions.start_session(session, learner, activity.id, assignment.group_id, now=now)
    return activities.launch_url(activity, group_id=started.group_id, session_id=started.id or 0)


# ------------------------------------------------------------------------------ checks


def _now(now: datetime | None) -> datetime:
    return (now or utcnow()).astimezone(UTC)


def _class_assignment(
    session: Session, teacher: User, class_id: int, assignment_id: int
) -> Assignment:
    classroom = teacher_class(session, teacher, class_id)
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom_id != classroom.id:
        raise NotFound("That assignment does not exist.")
    return assignment


def _class_assignments(session: Session, classroom_id: int) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.classroom_id == classroom_id)
            .order_by(col(Assignment.due_at), col(Assignment.id))
        ).all()
    )


def _assignable_group(session: Session, classroom: Classroom, group_id: int) -> WordGroup:
    group = session.get(WordGroup, group_id)
    if group is None:
        raise InvalidInput("That word group does not exist.", field="group_id")
    if group.language != classroom.language:
        raise InvalidInput(
            "That group's words are not in the language the class studies.", field="group_id"
        )
    if not _published_word_count(session, group.id):
        raise InvalidInput("That group has no published words to study yet.", field="group_id")
    return group


def _published_word_count(session: Session, group_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(WordGroupMember)
            .join(Word, col(Word.id) == col(WordGroupMember.word_id))
            .where(WordGroupMember.group_id == group_id, Word.status == Status.published.value)
        ).one()
    )


def _activity(session: Session, activity_id: int | None) -> StudyActivity | None:
    if activity_id is None:
        return None
    try:
        return activities.get_activity(session, activity_id)
    except NotFound:
        raise InvalidInput("That study activity does not exist.", field="activity_id") from None


def _due(due_at: datetime, teacher: User, *, after: datetime, now: datetime) -> datetime:
    """The due moment in UTC; a time without a zone is the teacher's own wall clock."""
    if not isinstance(due_at, datetime):
        raise InvalidInput("Give the due date and time.", field="due_at")
    if due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=zone(teacher.timezone))
    due = due_at.astimezone(UTC)
    if due <= after:
        raise InvalidInput("The due date must be in the future.", field="due_at")
    if due > now + MAX_DUE_AHEAD:
        raise InvalidInput("The due date can be at most a year ahead.", field="due_at")
    return due


def _note(note: str | None) -> str:
    text = unicodedata.normalize("NFC", note or "").strip()
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"The note can be at most {MAX_NOTE_LENGTH} characters.", field="note")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text):
        raise InvalidInput("The note can't contain control characters.", field="note")
    return text
