"""A teacher's classes. Teachers see only their own; admins see all; learners get 403.

Teachers do not enrol learners: they hand out the class's join code and invite by email, and a
learner joins by their own act (`/api/me/classes`, `/api/me/invitations`)."""

from __future__ import annotations

from fastapi import APIRouter, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.accounts import ClassroomCreate, ClassroomPublic, LearnerProgress
from learn_app.api.schemas.classes import (
    ClassInvitationPublic,
    InvitationCreate,
    InvitationSentPublic,
    JoinCodeChange,
    JoinCodePublic,
)
from learn_app.api.schemas.common import Problem
from learn_app.services.accounts import classes, invitations, memberships
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


_INVITE_DOC = (
    "Invite a learner to the class by email. Nobody is enrolled by this: the learner with that "
    "address (now, or once they sign up with it) sees the invitation on their Dashboard and in "
    "`GET /api/me/invitations`, and joins only if they accept it.\n\n"
    "The answer (202) is the same whether or not an account has the address. Inviting again "
    "renews the invitation; a learner already in the class is a 409."
)


@router.post(
    "/{class_id}/invitations",
    status_code=status.HTTP_202_ACCEPTED,
    responses={409: {"model": Problem}, 422: {"model": Problem}},
    description=_INVITE_DOC,
)
def invite_learner(
    class_id: RowId, body: InvitationCreate, caller: CallerDep, session: SessionDep
) -> InvitationSentPublic:
    sent = invitations.invite(session, caller.user, class_id, body.email)
    return InvitationSentPublic.model_validate(sent)


@router.post(
    "/{class_id}/learners",
    status_code=status.HTTP_202_ACCEPTED,
    deprecated=True,
    responses={409: {"model": Problem}, 422: {"model": Problem}},
    description=_INVITE_DOC
    + "\n\nKept for older clients: this used to enrol the learner at once; it now invites "
    "them, exactly as `POST /api/classes/{class_id}/invitations`.",
)
def enroll_learner(
    class_id: RowId, body: InvitationCreate, caller: CallerDep, session: SessionDep
) -> InvitationSentPublic:
    sent = invitations.invite(session, caller.user, class_id, body.email)
    return InvitationSentPublic.model_validate(sent)


@router.get("/{class_id}/invitations")
def list_invitations(
    class_id: RowId, caller: CallerDep, session: SessionDep
) -> list[ClassInvitationPublic]:
    """Invitations not yet accepted (waiting, declined or expired), newest first."""
    return [
        ClassInvitationPublic.model_validate(row)
        for row in invitations.class_invitations(session, caller.user, class_id)
    ]


@router.delete("/{class_id}/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_invitation(
    class_id: RowId, invitation_id: RowId, caller: CallerDep, session: SessionDep
) -> None:
    invitations.withdraw(session, caller.user, class_id, invitation_id)


@router.get("/{class_id}/join-code")
def get_join_code(class_id: RowId, caller: CallerDep, session: SessionDep) -> JoinCodePublic:
    """The code learners join the class with, and whether it works now."""
    return JoinCodePublic.model_validate(
        memberships.class_join_code(session, caller.user, class_id)
    )


@router.post("/{class_id}/join-code")
def new_join_code(class_id: RowId, caller: CallerDep, session: SessionDep) -> JoinCodePublic:
    """A new code, on for 14 days; the old one stops working at once."""
    return JoinCodePublic.model_validate(memberships.new_join_code(session, caller.user, class_id))


@router.put("/{class_id}/join-code")
def change_join_code(
    class_id: RowId, body: JoinCodeChange, caller: CallerDep, session: SessionDep
) -> JoinCodePublic:
    """Turn joining by code off, or on again (the same code until it expires, else a new one)."""
    return JoinCodePublic.model_validate(
        memberships.set_join_code_enabled(session, caller.user, class_id, enabled=body.enabled)
    )


@router.delete("/{class_id}/learners/{learner_id}", status_code=status.HTTP_204_NO_CONTENT)
def unenroll_learner(
    class_id: RowId, learner_id: RowId, caller: CallerDep, session: SessionDep
) -> None:
    classes.unenroll(session, caller.user, class_id, learner_id)
