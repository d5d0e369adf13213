"""Personal access tokens: `GET`/`POST /api/me/tokens`, `DELETE /api/me/tokens/{id}`.

Making, listing and revoking tokens needs a sign-in with the password: a program holding a
token cannot make itself more of them.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from learn_app.api.deps import ClientIp, SessionDep, SignedInCallerDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.privacy import AccessTokenCreate, AccessTokenCreated, AccessTokenPublic
from learn_app.services.accounts import access_tokens

router = APIRouter(prefix="/me/tokens", tags=["me"])


@router.get("")
def list_tokens(caller: SignedInCallerDep, session: SessionDep) -> list[AccessTokenPublic]:
    """Your tokens that still work (unexpired, unrevoked), newest first; no secrets."""
    return [
        AccessTokenPublic.model_validate(token)
        for token in access_tokens.list_tokens(session, caller)
    ]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(
    body: AccessTokenCreate, caller: SignedInCallerDep, session: SessionDep, ip: ClientIp
) -> AccessTokenCreated:
    """Make a token for your own programs. `token` is in this answer only: keep it safe; it
    is stored only as a hash and can never be shown again."""
    made = access_tokens.create_token(
        session,
        caller,
        name=body.name,
        scope=body.scope,
        lifetime_days=body.expires_in_days,
        ip=ip,
    )
    public = AccessTokenPublic.model_validate(made.token)
    return AccessTokenCreated(**public.model_dump(), token=made.secret)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(
    token_id: RowId, caller: SignedInCallerDep, session: SessionDep, ip: ClientIp
) -> None:
    """Revoke a token: programs using it are refused from now on."""
    access_tokens.revoke_token(session, caller, token_id, ip=ip)
