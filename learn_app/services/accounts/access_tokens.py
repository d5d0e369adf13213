"""Personal access tokens: credentials a person makes for their own programs and scripts.

A token is `lp_` followed by 256 random bits. Only its SHA-256 is stored (a secret that
long needs no slow hash: nobody can guess one), so a copy of the database opens no account;
the secret is shown once, when it is made. A token has a name, a scope — `read` (GET
requests only) or `study` (reading, and starting sessions and answering in them) — and an
expiry, and can be revoked. It never changes the account itself: that, and making or
listing tokens, takes a sign-in with the password. Disabling or deleting the account ends
its tokens with its sign-ins.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam
from sqlalchemy import select as select_row
from sqlmodel import Session, col, func, select, update

from learn_app.models import AccessToken, User
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.accounts.auth import Caller
from learn_app.services.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from learn_app.services.language.text import clean_name

PREFIX = "lp_"
READ = "read"
STUDY = "study"
SCOPES = (READ, STUDY)
LIFETIMES_DAYS = (30, 90, 365)
DEFAULT_LIFETIME_DAYS = 90
MAX_NAME_LENGTH = 80
# Live (unexpired, unrevoked) tokens one person may hold at once.
MAX_LIVE_TOKENS = 20
# How stale `last_used_at` may get before a request refreshes it (saves a write per request).
LAST_USED_RESOLUTION = timedelta(minutes=1)
_SECRET_BYTES = 32
_MAX_SECRET_LENGTH = 100

NEEDS_SIGN_IN = "This needs a sign-in with your password; an API token cannot do it."


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` is shown to its owner this once and stored nowhere."""

    token: AccessToken
    secret: str


def looks_like_access_token(bearer: str | None) -> bool:
    return bool(bearer) and str(bearer).startswith(PREFIX)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def require_sign_in(caller: Caller) -> None:
    """Refuse a caller holding an access token: for the account's own settings."""
    if not caller.signed_in:
        raise PermissionDenied(NEEDS_SIGN_IN)


def _live(user_id: int, now: datetime) -> list[ColumnElement[bool]]:
    return [
        col(AccessToken.user_id) == user_id,
        col(AccessToken.revoked_at).is_(None),
        col(AccessToken.expires_at) > now,
    ]


def create_token(
    session: Session,
    caller: Caller,
    *,
    name: str,
    scope: str,
    lifetime_days: int = DEFAULT_LIFETIME_DAYS,
    ip: str = "",
) -> NewToken:
    """Make a token for the signed-in person (not for a program holding a token)."""
    require_sign_in(caller)
    user = caller.user
    name = clean_name(name, field="name", label="Token name", max_length=MAX_NAME_LENGTH)
    if scope not in SCOPES:
        raise InvalidInput("Scope must be read or study.", field="scope")
    if lifetime_days not in LIFETIMES_DAYS:
        raise InvalidInput("A token lasts 30, 90 or 365 days.", field="expires_in_days")
    now = utcnow()
    live = session.exec(
        select(func.count()).select_from(AccessToken).where(*_live(user.id, now))
    ).one()
    if live >= MAX_LIVE_TOKENS:
        raise InvalidInput(
            f"You already have {MAX_LIVE_TOKENS} tokens; revoke one you no longer use first."
        )
    secret = PREFIX + secrets.token_urlsafe(_SECRET_BYTES)
    token = AccessToken(
        user_id=user.id,
        name=name,
        scope=scope,
        secret_hash=_digest(secret),
        hint=secret[-4:],
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        "token.created",
        user_id=user.id,
        ip=ip,
        token_id=token.id,
        scope=scope,
        days=lifetime_days,
    )
    return NewToken(token=token, secret=secret)


def list_tokens(session: Session, caller: Caller) -> list[AccessToken]:
    """The person's tokens that still work, newest first."""
    require_sign_in(caller)
    return list(
        session.exec(
            select(AccessToken)
            .where(*_live(caller.user.id, utcnow()))
            .order_by(col(AccessToken.created_at).desc(), col(AccessToken.id).desc())
        )
    )


def revoke_token(session: Session, caller: Caller, token_id: int, *, ip: str = "") -> None:
    """End one token at once. Revoking it twice is not an error; someone else's is not found."""
    require_sign_in(caller)
    token = session.get(AccessToken, token_id)
    if token is None or token.user_id != caller.user.id:
        raise NotFound("That API token does not exist.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        audit.record(session, "token.revoked", user_id=caller.user.id, ip=ip, token_id=token.id)


# The token's holder with what decides whether the token stands, in one query built once.
_HOLDER = (
    select_row(
        User,
        col(AccessToken.id),
        col(AccessToken.secret_hash),
        col(AccessToken.scope),
        col(AccessToken.revoked_at),
        col(AccessToken.expires_at),
        col(AccessToken.last_used_at),
    )
    .join(User, col(User.id) == col(AccessToken.user_id))
    .where(col(AccessToken.secret_hash) == bindparam("digest"))
)
_USED = (
    update(AccessToken)
    .where(col(AccessToken.id) == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def authenticate(session: Session, bearer: str) -> Caller:
    """The person behind an access token, with its scope; NotAuthenticated (401) when the
    token is unknown, revoked or expired, or its account is disabled."""
    if not looks_like_access_token(bearer) or len(bearer) > _MAX_SECRET_LENGTH:
        raise NotAuthenticated("Please sign in.")
    digest = _digest(bearer)
    found = session.execute(_HOLDER, {"digest": digest}).first()
    if found is None or not hmac.compare_digest(found[2], digest):
        raise NotAuthenticated("That API token is not valid.")
    user, token_id, _, scope, revoked_at, expires_at, last_used_at = found
    if revoked_at is not None:
        raise NotAuthenticated("That API token was revoked.")
    now = utcnow()
    if expires_at <= now:
        raise NotAuthenticated("That API token has expired; make a new one in Settings.")
    if not user.is_active:
        raise NotAuthenticated("That API token is not valid.")
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        session.execute(_USED, {"token_id": token_id, "now": now})
    return Caller(user=user, session_id="", token_scope=scope)
