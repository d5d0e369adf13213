"""Assignments: a teacher sets a class a word group to study — in one activity, or any — by a
due date; the learners see theirs and start them; the teacher sees who has done what.

A learner has *done* an assignment once they have answered every published word of its group
since it was set (in sessions of its activity on that group, when it names one); *late* when
the last of those words came after the due date; *in progress* with some of them answered; *not
started* with none. Nothing of this is stored: it is counted from the reviews, in PostgreSQL,
for the whole class at once, so it always agrees with what the learners actually studied.

Creating, changing and deleting an assignment are audited. Who may see a class is decided in
`class_scope` (any other class is NotFound).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import text
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
from learn_app.services.study.class_scope import enrolled_learners, teacher_class, zone

MAX_NOTE_LENGTH = 500
MAX_DUE_AHEAD = timedelta(days=366)
DEFAULT_ACTIVITY = "flashcards"  # what "Start" opens when the assignment allows any activity


class CompletionState(StrEnum):
    done = "done"
    late = "late"
    in_progress = "in_progress"
    not_started = "not_started"


STATE_LABELS = {
    CompletionState.done: "Done",
    CompletionState.late: "Done late",
    CompletionState.in_progress: "In progress",
    CompletionState.not_started: "Not started",
}


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    classroom_id: int
    group_id: int
    group_name: str
    activity_id: int | None
    activity_name: str | None  # None: any activity
    due_at: datetime
    note: str
    words: int  # published words of the group: what "done" asks for
    created_at: datetime


@dataclass(frozen=True)
class Completion:
    assignment_id: int
    learner_id: int
    answered: int  # words of the group answered since the assignment was set
    words: int
    completed_at: datetime | None  # when the last of them was first answered
    state: CompletionState
    overdue: bool  # past due and not done

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class GridLearner:
    id: int
    display_name: str


@dataclass(frozen=True)
class CompletionGrid:
    """Learners × assignments; `cells[(learner_id, assignment_id)]` is one completion."""

    assignments: list[AssignmentRow]
    learners: list[GridLearner]
    cells: dict[tuple[int, int], Completion]

    def cell(self, learner_id: int, assignment_id: int) -> Completion:
        return self.cells[(learner_id, assignment_id)]

    def counts(self, assignment_id: int) -> dict[CompletionState, int]:
        counts = dict.fromkeys(CompletionState, 0)
        for learner in self.learners:
            counts[self.cells[(learner.id, assignment_id)].state] += 1
        return counts


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
    return _rows(session, [assignment])[0]


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
    return _rows(session, [assignment])[0]


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
    return _rows(session, [_class_assignment(session, teacher, class_id, assignment_id)])[0]


def list_assignments(session: Session, teacher: User, class_id: int) -> list[AssignmentRow]:
    """The class's assignments, soonest due first."""
    classroom = teacher_class(session, teacher, class_id)
    return _rows(session, _class_assignments(session, classroom.id))


def completion_grid(
    session: Session, teacher: User, class_id: int, *, now: datetime | None = None
) -> CompletionGrid:
    """Every learner of the class against every assignment of it."""
    classroom = teacher_class(session, teacher, class_id)
    rows = _rows(session, _class_assignments(session, classroom.id))
    learners = enrolled_learners(session, classroom.id)
    cells = _completions(session, rows, [u.id for u in learners], _now(now))
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
    rows = _rows(session, [assignment for assignment, _ in found])
    cells = _completions(session, rows, [learner.id], _now(now))
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


# ------------------------------------------------------------------------------ counting


def _rows(session: Session, assignments: list[Assignment]) -> list[AssignmentRow]:
    """The assignments with their group's name and published words, and the activity's name."""
    if not assignments:
        return []
    group_ids = {a.group_id for a in assignments}
    words = func.count(col(Word.id))
    groups = {
        gid: (name, int(n))
        for gid, name, n in session.exec(
            select(WordGroup.id, WordGroup.name, words)
            .join(WordGroupMember, col(WordGroupMember.group_id) == col(WordGroup.id), isouter=True)
            .join(
                Word,
                (col(Word.id) == col(WordGroupMember.word_id))
                & (col(Word.status) == Status.published.value),
                isouter=True,
            )
            .where(col(WordGroup.id).in_(group_ids))
            .group_by(col(WordGroup.id))
        ).all()
    }
    activity_ids = {a.activity_id for a in assignments if a.activity_id is not None}
    names = (
        dict(
            session.exec(
                select(StudyActivity.id, StudyActivity.name).where(
                    col(StudyActivity.id).in_(activity_ids)
                )
            ).all()
        )
        if activity_ids
        else {}
    )
    return [
        AssignmentRow(
            id=a.id,
            classroom_id=a.classroom_id,
            group_id=a.group_id,
            group_name=groups[a.group_id][0],
            activity_id=a.activity_id,
            activity_name=names.get(a.activity_id) if a.activity_id else None,
            due_at=a.due_at,
            note=a.note,
            words=groups[a.group_id][1],
            created_at=a.created_at,
        )
        for a in assignments
    ]


# Each learner's first answer to each published word of each assignment's group since it was
# set (in a session of its activity on its group, when it names one): one index probe per
# learner and word on (user_id, word_id, reviewed_at), whatever the learners' histories hold.
_FIRST_ANSWERS = text(
    """
    WITH targets AS (
        SELECT a.id AS assignment_id, a.created_at, a.activity_id, a.group_id, m.word_id
        FROM assignment a
        JOIN word_group_member m ON m.group_id = a.group_id
        JOIN word w ON w.id = m.word_id AND w.status = 'published'
        WHERE a.id = ANY(CAST(:assignment_ids AS integer[]))
    ),
    firsts AS (
        SELECT t.assignment_id, l.user_id, f.first_at
        FROM targets t
        CROSS JOIN unnest(CAST(:learner_ids AS integer[])) AS l(user_id)
        CROSS JOIN LATERAL (
            SELECT r.reviewed_at AS first_at
            FROM review r
            WHERE r.user_id = l.user_id AND r.word_id = t.word_id
              AND r.reviewed_at >= t.created_at
              AND (t.activity_id IS NULL OR EXISTS (
                  SELECT 1 FROM study_session s
                  WHERE s.id = r.session_id
                    AND s.activity_id = t.activity_id AND s.group_id = t.group_id))
            ORDER BY r.reviewed_at
            LIMIT 1
        ) f
    )
    SELECT assignment_id, user_id, count(*) AS answered, max(first_at) AS last_first
    FROM firsts
    GROUP BY assignment_id, user_id
    """
)


def _completions(
    session: Session, rows: list[AssignmentRow], learner_ids: list[int], now: datetime
) -> dict[tuple[int, int], Completion]:
    """For every learner and assignment: how many of the group's published words they have
    answered since it was set, and when the last of them was first answered."""
    if not rows or not learner_ids:
        return {}
    progress = {
        (int(user_id), int(assignment_id)): (int(answered), last)
        for assignment_id, user_id, answered, last in session.execute(
            _FIRST_ANSWERS,
            {"assignment_ids": [row.id for row in rows], "learner_ids": learner_ids},
        ).all()
    }
    cells = {}
    for row in rows:
        for learner_id in learner_ids:
            answered, last = progress.get((learner_id, row.id), (0, None))
            cells[(learner_id, row.id)] = _completion(row, learner_id, answered, last, now)
    return cells


def _completion(
    row: AssignmentRow, learner_id: int, answered: int, last: datetime | None, now: datetime
) -> Completion:
    answered = min(answered, row.words)
    finished = row.words > 0 and answered >= row.words
    if finished and last is not None:
        state = CompletionState.done if last <= row.due_at else CompletionState.late
    elif answered:
        state = CompletionState.in_progress
    else:
        state = CompletionState.not_started
    return Completion(
        assignment_id=row.id,
        learner_id=learner_id,
        answered=answered,
        words=row.words,
        completed_at=last if finished else None,
        state=state,
        overdue=not finished and now > row.due_at,
    )
