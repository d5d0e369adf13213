"""Assignments: teachers set, change and remove them for a class and read its completion grid;
learners list their own and start one. Other people's classes and assignments are 404."""

from __future__ import annotations

from fastapi import APIRouter, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.teaching import (
    AssignmentChanges,
    AssignmentCreate,
    AssignmentPublic,
    AssignmentStarted,
    CompletionGridPublic,
    CompletionPublic,
    MyAssignmentPublic,
)
from learn_app.services.study import assignments

router = APIRouter(
    tags=["assignments"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


@router.get("/classes/{class_id}/assignments")
def list_assignments(
    class_id: RowId, caller: CallerDep, session: SessionDep
) -> list[AssignmentPublic]:
    """The class's assignments, soonest due first."""
    return [
        AssignmentPublic.model_validate(row)
        for row in assignments.list_assignments(session, caller.user, class_id)
    ]


@router.post(
    "/classes/{class_id}/assignments",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": Problem}},
)
def create_assignment(
    class_id: RowId, body: AssignmentCreate, caller: CallerDep, session: SessionDep
) -> AssignmentPublic:
    """Set the class a group to study by `due_at`, in one activity (`activity_id`) or any."""
    row = assignments.create_assignment(
        session,
        caller.user,
        class_id,
        group_id=body.group_id,
        due_at=body.due_at,
        activity_id=body.activity_id,
        note=body.note,
    )
    return AssignmentPublic.model_validate(row)


@router.get("/classes/{class_id}/assignments/completion")
def completion_grid(
    class_id: RowId, caller: CallerDep, session: SessionDep
) -> CompletionGridPublic:
    """Every learner against every assignment: done, late, in progress or not started."""
    return CompletionGridPublic.of(assignments.completion_grid(session, caller.user, class_id))


@router.get("/classes/{class_id}/assignments/{assignment_id}")
def get_assignment(
    class_id: RowId, assignment_id: RowId, caller: CallerDep, session: SessionDep
) -> AssignmentPublic:
    row = assignments.get_assignment(session, caller.user, class_id, assignment_id)
    return AssignmentPublic.model_validate(row)


@router.patch(
    "/classes/{class_id}/assignments/{assignment_id}", responses={422: {"model": Problem}}
)
def update_assignment(
    class_id: RowId,
    assignment_id: RowId,
    body: AssignmentChanges,
    caller: CallerDep,
    session: SessionDep,
) -> AssignmentPublic:
    """Change the due date, the note or the activity; the group stays."""
    changes = body.model_dump(exclude_unset=True)
    row = assignments.update_assignment(session, caller.user, class_id, assignment_id, **changes)
    return AssignmentPublic.model_validate(row)


@router.delete(
    "/classes/{class_id}/assignments/{assignment_id}", status_code=status.HTTP_204_NO_CONTENT
)
def delete_assignment(
    class_id: RowId, assignment_id: RowId, caller: CallerDep, session: SessionDep
) -> None:
    assignments.delete_assignment(session, caller.user, class_id, assignment_id)


@router.get("/me/assignments")
def my_assignments(caller: CallerDep, session: SessionDep) -> list[MyAssignmentPublic]:
    """The caller's assignments from every class they are in, soonest due first."""
    return [
        MyAssignmentPublic(
            assignment=AssignmentPublic.model_validate(mine.assignment),
            class_name=mine.class_name,
            completion=CompletionPublic.model_validate(mine.completion),
        )
        for mine in assignments.my_assignments(session, caller.user)
    ]


@router.post("/me/assignments/{assignment_id}/start", status_code=status.HTTP_201_CREATED)
def start_assignment(
    assignment_id: RowId, caller: CallerDep, session: SessionDep
) -> AssignmentStarted:
    """Start a study session on the assignment's group, in its activity (flashcards when any
    activity counts); `url` opens it."""
    return AssignmentStarted(url=assignments.start_assignment(session, caller.user, assignment_id))
