"""What every route may ask for: a database session, the caller (a sign-in or an access
token), the caller's address; and, for the answer routes a learner calls back to back, the
caller's whole transaction in one trip to the worker threads (`in_one_transaction`)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from learn_app.api import token_scopes
from learn_app.db import (
    API_CONNECTIONS,
    first_query_again_if_dropped,
    get_engine,
    in_transaction,
)
from learn_app.services.accounts import access_tokens, auth, tokens

T = TypeVar("T")

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)

# Answers in their worker threads at once, per process. A few keep the process busy while
# others wait for PostgreSQL; more only take turns at the one interpreter, and every thread
# that wants it back slows all of them (with 25, an answer cost twice its CPU under load).
ANSWER_THREADS = 4

_Limits = weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]
_connection_slots: _Limits = weakref.WeakKeyDictionary()
_answer_slots: _Limits = weakref.WeakKeyDictionary()


def _limit(limits: _Limits, size: int) -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    limit = limits.get(loop)
    if limit is None:
        limit = limits[loop] = anyio.CapacityLimiter(size)
    return limit


def _slots() -> anyio.CapacityLimiter:
    return _limit(_connection_slots, API_CONNECTIONS)


async def get_db() -> AsyncIterator[Session]:
    """One transaction per request: committed when the route succeeds, rolled back if it raises.

    Used with `scope="function"` so the commit happens before the response is sent: a client
    that got a 2xx can rely on the change (and its audit event) being stored, and a failing
    commit still becomes an error response.

    A request holds its connection from its first query (in `current_caller`) to the commit,
    across several hops through the worker threads. Requests wait for a slot here, on the event
    loop, before taking a connection: without it, more concurrent requests than threads plus
    connections ended with every thread blocked waiting for a connection that only a request
    waiting for a thread could give back, and all of them failed after the pool's timeout.
    """
    async with _slots():
        session = Session(get_engine(), expire_on_commit=False)
        try:
            yield session
            await run_in_threadpool(session.commit)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.rollback)
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)


SessionDep = Annotated[Session, Depends(get_db, scope="function")]
TokenDep = Annotated[str | None, Depends(oauth2_scheme)]


def client_ip(request: Request) -> str:
    """The peer's address as the server sees it (a proxy in front must pass it on to uvicorn)."""
    return request.client.host if request.client else ""


ClientIp = Annotated[str, Depends(client_ip)]


def current_caller(request: Request, session: SessionDep, token: TokenDep) -> auth.Caller:
    """The caller: a person signed in (the auth gateway decides), or a program holding one of
    their personal access tokens, held to the token's scope. NotAuthenticated (401) when
    neither; PermissionDenied (403) when the token's scope does not cover this request.
    Looking the caller up is the request's first query: one on a connection PostgreSQL dropped
    since its last use is asked again on a new one."""
    return first_query_again_if_dropped(
        session, lambda: resolve_caller(session, token, request.method, request.url.path)
    )


def resolve_caller(session: Session, token: str | None, method: str, path: str) -> auth.Caller:
    """`current_caller` for a request of `method` on `path`."""
    if access_tokens.looks_like_access_token(token):
        caller = access_tokens.authenticate(session, token or "")
        token_scopes.check(caller.token_scope or "", method, path)
        return caller
    return auth.authenticate(session, token)


async def checked_bearer(token: TokenDep) -> str:
    """The bearer token of a route that resolves its caller in `in_one_transaction`: one that
    is missing, malformed or expired is refused here (401) before the body is read, as
    `CallerDep` refuses it; whose it is, and whether that sign-in or access token still
    stands, is looked up in the request's transaction."""
    if not access_tokens.looks_like_access_token(token):
        tokens.decode(token or "")
    return token or ""


BearerDep = Annotated[str, Depends(checked_bearer)]


async def in_one_transaction(
    request: Request, token: str, work: Callable[[Session, auth.Caller], T]
) -> T:
    """Resolve the caller and do `work` in one transaction, committed before the response,
    as `SessionDep` + `CallerDep` do — in one trip to the worker threads instead of one per
    dependency, the route and the commit.

    For routes called back to back (an answer): under load each trip waits for a thread and
    for the interpreter, and five of them (the caller, the route, checking its reply, the
    commit, the close) cost more than the answer's own work. The request
    still waits for a connection slot first. A cancelled request does not cut the thread
    short: the transaction commits or rolls back whole, as with `get_db`. A connection
    PostgreSQL dropped since its last use (a restart) costs a second attempt, not an error
    (`db.in_transaction`).
    """
    method, path = request.method, request.url.path

    def transaction(session: Session) -> T:
        return work(session, resolve_caller(session, token, method, path))

    async with _limit(_answer_slots, ANSWER_THREADS), _slots():
        return await run_in_threadpool(in_transaction, transaction)


CallerDep = Annotated[auth.Caller, Depends(current_caller)]


def signed_in_caller(caller: CallerDep) -> auth.Caller:
    """The caller, who must have signed in with their password (not an access token)."""
    access_tokens.require_sign_in(caller)
    return caller


SignedInCallerDep = Annotated[auth.Caller, Depends(signed_in_caller)]
