"""Accounts and tokens: sign up, sign in (OAuth2 password flow), sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from learn_app.api.deps import ClientIp, SessionDep, TokenDep
from learn_app.api.schemas.accounts import Token, UserPublic, UserRegister
from learn_app.api.schemas.common import Problem
from learn_app.services.accounts import auth

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": Problem}, 422: {"model": Problem}, 429: {"model": Problem}},
)
def register(body: UserRegister, session: SessionDep, ip: ClientIp) -> UserPublic:
    """Create a learner account. Sign in afterwards with `/api/auth/token`."""
    user = auth.register(
        session, email=body.email, password=body.password, display_name=body.display_name, ip=ip
    )
    return UserPublic.model_validate(user)


@router.post(
    "/token",
    responses={
        401: {"model": Problem},
        422: {"model": Problem},
        429: {"model": Problem},
    },
)
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    response: Response,
    session: SessionDep,
    ip: ClientIp,
) -> Token:
    """Exchange email (as `username`) and password for a bearer token."""
    signed_in = auth.sign_in(
        session,
        email=form.username,
        password=form.password,
        ip=ip,
        user_agent=request.headers.get("user-agent", ""),
    )
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1: tokens are not cached
    return Token(access_token=signed_in.token, expires_at=signed_in.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(token: TokenDep, session: SessionDep, ip: ClientIp) -> None:
    """End the session behind the token. Signing out twice, or when signed out, is not an error."""
    auth.sign_out(session, token, ip=ip)
