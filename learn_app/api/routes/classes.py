"""A teacher's classes. Teachers see only their own; admins see all; learners get 403."""

from __future__ import annotations

from fastapi import APIRouter, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.accounts import (
    ClassroomCreate,
    ClassroomPublic,
    EnrolledLearner,
    EnrollmentCreate,
    LearnerProgress,
)
from learn_app.api.schemas.common import Problem
from learn_app.services.accounts import classes
from learn_app.services.study.class_progress import class_progress as learners_progress

router = APIRouter(
    prefix="/classes",
    tags=["classes"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


@router.get("")
def list_classes(caller: CallerDep, session: SessionDep) -> list[ClassroomPublic]:
    return [
        ClassroomPublic.model_validate(summary)
        for summary in classes.list_classrooms(session, caller.user)
    ]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_class(body: ClassroomCreate, caller: CallerDep, session: SessionDep) -> ClassroomPublic:
    classroom = classes.create_classroom(
        session, caller.user, name=body.name, language=body.language
    )
    return ClassroomPublic.model_validate(classroom)


@router.delete("/{class_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_class(class_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    classes.delete_classroom(session, caller.user, class_id)


@router.get("/{class_id}/progress")
def class_progress(
    class_id: RowId, caller: CallerDep, session: SessionDep
) -> list[LearnerProgress]:
    """Each enrolled learner's reviews, success rate, sessions and streak."""
    return [
        LearnerProgress.model_validate(row)
        for row in learners_progress(session, caller.user, class_id)
    ]


@router.post(
    "/{class_id}/learners",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": Problem}},
)
def enroll_learner(
    class_id: RowId, body: EnrollmentCreate, caller: CallerDep, session: SessionDep
) -> EnrolledLearner:
    """Add a learner, by the email of their account, to the class."""
    learner = classes.enroll(session, caller.user, class_id, body.email)
    return EnrolledLearner.model_validate(learner)


@router.delete("/{class_id}/learners/{learner_id}", status_code=status.HTTP_204_NO_CONTENT)
def unenroll_learner(
    class_id: RowId, learner_id: RowId, caller: CallerDep, session: SessionDep
) -> None:
    classes.unenroll(session, caller.user, class_id, learner_id)
