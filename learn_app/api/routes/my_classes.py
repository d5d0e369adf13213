"""A learner's classes: join with a code, accept or decline invitations, leave.

Nobody else can put a learner in a class: these are the only ways in.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.classes import JoinWithCode, MyClassPublic, MyInvitationPublic
from learn_app.api.schemas.common import Problem
from learn_app.services.accounts import invitations, memberships

router = APIRouter(
    prefix="/me",
    tags=["my classes"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


@router.get("/classes")
def list_my_classes(caller: CallerDep, session: SessionDep) -> list[MyClassPublic]:
    """The classes the caller is in, by name."""
    return [
        MyClassPublic.model_validate(row) for row in memberships.my_classes(session, caller.user)
    ]


@router.post(
    "/classes",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": Problem}, 429: {"model": Problem}},
)
def join_class(body: JoinWithCode, caller: CallerDep, session: SessionDep) -> MyClassPublic:
    """Join a class with the code its teacher gave out (`K7MP-Q2XD`; case, spaces and dashes
    do not matter). A wrong, expired or turned-off code is a 422 that says which; attempts are
    limited per learner (429 with `Retry-After` past the limit). Joining a class one is already
    in answers with that class."""
    joined = memberships.join_with_code(session, caller.user, body.code)
    return MyClassPublic.model_validate(joined)


@router.delete("/classes/{class_id}", status_code=status.HTTP_204_NO_CONTENT)
def leave_class(class_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    """Leave the class: its teacher no longer sees the caller's progress or writing."""
    memberships.leave_class(session, caller.user, class_id)


@router.get("/invitations")
def list_my_invitations(caller: CallerDep, session: SessionDep) -> list[MyInvitationPublic]:
    """Open invitations to the caller's email address, newest first."""
    return [
        MyInvitationPublic.model_validate(row)
        for row in invitations.my_invitations(session, caller.user)
    ]


@router.post("/invitations/{invitation_id}/accept")
def accept_invitation(
    invitation_id: RowId, caller: CallerDep, session: SessionDep
) -> MyClassPublic:
    """Join the class the invitation is for."""
    return MyClassPublic.model_validate(invitations.accept(session, caller.user, invitation_id))


@router.post("/invitations/{invitation_id}/decline", status_code=status.HTTP_204_NO_CONTENT)
def decline_invitation(invitation_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    invitations.decline(session, caller.user, invitation_id)
