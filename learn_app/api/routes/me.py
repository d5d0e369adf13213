"""The signed-in person: their profile, password, sign-in sessions and study figures."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from learn_app.api.deps import CallerDep, ClientIp, SessionDep, SignedInCallerDep
from learn_app.api.schemas.accounts import (
    PasswordChange,
    PasswordChanged,
    ProfileChanges,
    QuickStats,
    RevokedSessions,
    SignInSession,
    UserPublic,
)
from learn_app.api.schemas.privacy import AccountDeletion
from learn_app.services import audit
from learn_app.services.accounts import auth, data_export, deletion, profile
from learn_app.services.study import stats

router = APIRouter(prefix="/me", tags=["me"])

SessionId = Annotated[str, Path(max_length=64)]


@router.get("")
def read_me(caller: CallerDep) -> UserPublic:
    return UserPublic.model_validate(caller.user)


@router.patch("")
def update_me(
    body: ProfileChanges, caller: CallerDep, session: SessionDep, ip: ClientIp
) -> UserPublic:
    """Change any of the profile fields; one invalid field changes nothing."""
    changes = profile.ProfileUpdate(**body.model_dump(exclude_unset=True))
    user = profile.update_profile(session, caller.user, changes, ip=ip)
    return UserPublic.model_validate(user)


@router.delete("")
def delete_me(
    body: AccountDeletion, caller: SignedInCallerDep, session: SessionDep, ip: ClientIp
) -> deletion.DeletedAccount:
    """Delete your account and everything stored about you, confirmed with your password
    (a wrong one deletes nothing: 422). Every device and API token is signed out at once. A
    teacher's classes are handed to an admin (`classes: "hand_over"`, the default) or deleted
    (`"delete"`); courses you own are handed to an admin. The audit trail keeps its rows
    without your name, email or address. The portal's last admin is refused (422)."""
    return deletion.delete_account(
        session, caller, password=body.password, classes=body.classes, ip=ip
    )


@router.post("/password")
def change_password(
    body: PasswordChange, caller: CallerDep, session: SessionDep, ip: ClientIp
) -> PasswordChanged:
    """Change the password; every other signed-in device is signed out."""
    revoked = auth.change_password(
        session,
        caller,
        current_password=body.current_password,
        new_password=body.new_password,
        ip=ip,
    )
    return PasswordChanged(revoked_sessions=revoked)


@router.get("/sessions")
def list_sessions(caller: CallerDep, session: SessionDep) -> list[SignInSession]:
    """Devices signed in to this account, newest first; `current` marks the caller's own."""
    return [
        SignInSession.model_validate(signed_in).model_copy(
            update={"current": signed_in.id == caller.session_id}
        )
        for signed_in in auth.list_sessions(session, caller.user)
    ]


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(
    session_id: SessionId, caller: CallerDep, session: SessionDep, ip: ClientIp
) -> None:
    auth.revoke_session(session, caller.user, session_id, ip=ip)


@router.post("/sessions/revoke-others")
def revoke_other_sessions(caller: CallerDep, session: SessionDep, ip: ClientIp) -> RevokedSessions:
    revoked = auth.revoke_other_sessions(session, caller.user, caller.session_id, ip=ip)
    return RevokedSessions(revoked=revoked)


@router.get("/stats")
def my_stats(caller: CallerDep, session: SessionDep) -> QuickStats:
    return QuickStats.model_validate(stats.quick_stats(session, caller.user))


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}},
            "description": "Everything stored about you (JSON), or your answers (CSV).",
        }
    },
)
def export_my_data(
    caller: CallerDep,
    session: SessionDep,
    ip: ClientIp,
    fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> Response:
    """Everything the portal stores about you — profile, sign-in sessions, study sessions,
    answers, card states, writing, tutor conversations, classes and assignments, achievements,
    speaking attempts — as one JSON file; `format=csv` gives your answers as CSV."""
    audit.record(session, "privacy.data_exported", user_id=caller.user.id, ip=ip, format=fmt)
    if fmt == "csv":
        body = data_export.reviews_csv(session, caller.user)
        media, name = "text/csv; charset=utf-8", "my-reviews.csv"
    else:
        body = json.dumps(data_export.export_data(session, caller.user), ensure_ascii=False)
        media, name = "application/json", "my-data.json"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
