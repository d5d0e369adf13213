"""Who has done what of a class's assignments, counted from the reviews in PostgreSQL for the
whole class at once (nothing of it is stored, so it always agrees with what the learners
actually studied).

A learner has *done* an assignment once they have answered every published word of its group
since it was set (in sessions of its activity on that group, when it names one); *late* when
the last of those words came after the due date; *in progress* with some of them answered; *not
started* with none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from learn_app.models import Assignment, Status, StudyActivity, Word, WordGroup, WordGroupMember


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


def assignment_rows(session: Session, assignments: list[Assignment]) -> list[AssignmentRow]:
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


def completions(
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
