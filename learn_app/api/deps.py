"""What every route may ask for: a database session, the caller, the caller's address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from learn_app.db import session_scope
from learn_app.services import auth

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_db() -> Iterator[Session]:
    """One transaction per request: committed when the route succeeds, rolled back if it raises.

    Used with `scope="function"` so the commit happens before the response is sent: a client
    that got a 2xx can rely on the change (and its audit event) being stored, and a failing
    commit still becomes an error response.
    """
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db, scope="function")]
TokenDep = Annotated[str | None, Depends(oauth2_scheme)]


def client_ip(request: Request) -> str:
    """The peer's address as the server sees it (a proxy in front must pass it on to uvicorn)."""
    return request.client.host if request.client else ""


ClientIp = Annotated[str, Depends(client_ip)]


def current_caller(session: SessionDep, token: TokenDep) -> auth.Caller:
    """The signed-in caller; the auth gateway alone decides, raising NotAuthenticated (401)."""
    return auth.authenticate(session, token)


CallerDep = Annotated[auth.Caller, Depends(current_caller)]
