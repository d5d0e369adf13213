"""The auth gateway: the only place that decides who a caller is and what role they hold.

Reflex state (`ProtectedState`) and the REST API both call `authenticate`; nothing else reads a
token. Every sign-in, failure, lock-out, sign-out, password change and role change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam
from sqlmodel import Session, col, select, update

from learn_app.config import get_settings
from learn_app.models import AccessToken, AuthSession, Role, User
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.accounts import passwords, tokens
from learn_app.services.accounts.ratelimit import limiter, sign_in_backoff
from learn_app.services.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from learn_app.services.language.text import clean_name

WRONG_CREDENTIALS = "Wrong email or password."
SESSION_ENDED = "Your session has ended. Please sign in again."
MAX_EMAIL_LENGTH = 320
MAX_DISPLAY_NAME_LENGTH = 80
# How stale `last_seen_at` may get before a request refreshes it (saves a write per request).
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class SignIn:
    token: str
    user: User
    expires_at: datetime


@dataclass(frozen=True)
class Caller:
    """Who is calling, as established from a verified token."""

    user: User
    session_id: str
    # Set when the caller is a program holding one of the person's access tokens: what that
    # token's scope allows (`access_tokens.READ` or `STUDY`). None: the person signed in.
    token_scope: str | None = None

    @property
    def signed_in(self) -> bool:
        """True for a sign-in with the password, False for an access token."""
        return self.token_scope is None


def normalize_email(email: str) -> str:
    """Validate the address's form (no DNS look-up) and lower-case it."""
    if not isinstance(email, str) or not email.strip():
        raise InvalidInput("Enter your email address.", field="email")
    email = email.strip()
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidInput("That email address is too long.", field="email")
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"That email address is not valid: {exc}", field="email") from exc
    return checked.normalized.lower()


def clean_display_name(name: str) -> str:
    return clean_name(
        name, field="display_name", label="Display name", max_length=MAX_DISPLAY_NAME_LENGTH
    )


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def register(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str,
    ip: str = "",
    role: Role = Role.learner,
    rate_limited: bool = True,
) -> User:
    """Create an account. Raises InvalidInput, Conflict or RateLimited with a clear message."""
    settings = get_settings()
    if rate_limited:
        limiter.hit(
            "sign-up",
            ip,
            limit=settings.sign_up_rate_limit,
            window_seconds=settings.rate_limit_window_seconds,
        )
    email = normalize_email(email)
    display_name = clean_display_name(display_name)
    passwords.check_policy(password, email=email)
    if find_user_by_email(session, email) is not None:
        raise Conflict("An account with this email already exists. Sign in instead.", field="email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=passwords.hash_password(password),
        role=role.value,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.registered", user_id=user.id, ip=ip, role=user.role)
    return user


def _open_session(session: Session, user: User, *, ip: str, user_agent: str) -> SignIn:
    now = utcnow()
    expires_at = now + tokens.lifetime()
    jti = tokens.new_token_id()
    session.add(
        AuthSession(
            id=jti,
            user_id=user.id,
            created_at=now,
            expires_at=expires_at,
            last_seen_at=now,
            ip=ip[:64],
            user_agent=user_agent[:512],
        )
    )
    return SignIn(tokens.issue(user.id, jti, now, expires_at), user, expires_at)


def sign_in(
    session: Session, *, email: str, password: str, ip: str = "", user_agent: str = ""
) -> SignIn:
    """Check the credentials and open a signed-in session.

    An unknown email and a wrong password get the same message after the same bcrypt work, and
    count alike towards the back-off of that email from that client address: after
    `max_failed_logins` failures each further try from there waits (1 s, doubling per failure,
    at most `lockout_minutes`), with the same 429 answer whether or not the account exists.
    Nobody else can lock an account: the owner's own address is not held up. Failures are
    committed before raising, so the audit survives the caller's rollback.
    """
    settings = get_settings()
    limiter.hit(
        "sign-in",
        ip,
        limit=settings.sign_in_rate_limit,
        window_seconds=settings.rate_limit_window_seconds,
    )
    if not isinstance(password, str) or not password:
        raise InvalidInput("Enter your password.", field="password")
    typed = email.strip().lower() if isinstance(email, str) else ""
    sign_in_backoff.check(typed, ip)
    try:
        email = normalize_email(email)
    except InvalidInput:
        passwords.verify_password(password, passwords.dummy_hash())
        _note_failure(typed, ip)
        raise NotAuthenticated(WRONG_CREDENTIALS) from None

    user = session.exec(
        select(User)
        .where(User.email == email)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if user is None:
        passwords.verify_password(password, passwords.dummy_hash())
        audit.record(session, "auth.sign_in_failed", ip=ip, reason="unknown_email")
        session.commit()
        _note_failure(typed, ip)
        raise NotAuthenticated(WRONG_CREDENTIALS)

    password_ok = passwords.verify_password(password, user.password_hash)
    if not user.is_active:
        audit.record(session, "auth.sign_in_refused_inactive", user_id=user.id, ip=ip)
        session.commit()
        if not password_ok:
            _note_failure(typed, ip)
        raise NotAuthenticated(
            WRONG_CREDENTIALS if not password_ok else "This account is disabled."
        )
    if not password_ok:
        user.failed_logins += 1
        audit.record(
            session, "auth.sign_in_failed", user_id=user.id, ip=ip, failures=user.failed_logins
        )
        session.add(user)
        session.commit()
        _note_failure(typed, ip)
        raise NotAuthenticated(WRONG_CREDENTIALS)

    sign_in_backoff.clear(typed, ip)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    result = _open_session(session, user, ip=ip, user_agent=user_agent)
    audit.record(session, "auth.signed_in", user_id=user.id, ip=ip)
    return result


def _note_failure(typed_email: str, ip: str) -> None:
    settings = get_settings()
    sign_in_backoff.fail(
        typed_email,
        ip,
        free=settings.max_failed_logins,
        cap_seconds=settings.lockout_minutes * 60,
    )


# The caller's account with what decides whether their sign-in stands, in one query built
# once: every page event and API request starts here. Only the account is loaded as a row.
_CALLER = (
    select(User, AuthSession.revoked_at, AuthSession.expires_at, AuthSession.last_seen_at)
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(col(AuthSession.id) == bindparam("jti"), col(AuthSession.user_id) == bindparam("uid"))
)
_SEEN = (
    update(AuthSession)
    .where(col(AuthSession.id) == bindparam("jti"))
    .values(last_seen_at=bindparam("now"))
)


def authenticate(session: Session, token: str | None) -> Caller:
    """The caller behind a bearer token, or NotAuthenticated.

    The token's signature, algorithm and expiry are checked, then its `jti` must name a live
    (unrevoked, unexpired) sign-in session of an active user.
    """
    claims = tokens.decode(token or "")
    found = session.exec(_CALLER, params={"jti": claims.jti, "uid": claims.user_id}).first()
    now = utcnow()
    if found is None:
        raise NotAuthenticated(SESSION_ENDED)
    user, revoked_at, expires_at, last_seen_at = found
    if revoked_at is not None or expires_at <= now or not user.is_active:
        raise NotAuthenticated(SESSION_ENDED)
    if last_seen_at is None or now - last_seen_at > LAST_SEEN_RESOLUTION:
        session.execute(_SEEN, {"jti": claims.jti, "now": now})
    return Caller(user=user, session_id=claims.jti)


def sign_out(session: Session, token: str | None, *, ip: str = "") -> None:
    """Revoke the session behind the token. Signing out twice is not an error."""
    try:
        caller = authenticate(session, token)
    except NotAuthenticated:
        return
    revoke_session(session, caller.user, caller.session_id, ip=ip, event="auth.signed_out")


def require_role(user: User, *roles: Role) -> None:
    if user.role not in {role.value for role in roles}:
        raise PermissionDenied("You don't have permission to do that.")


def list_sessions(session: Session, user: User) -> list[AuthSession]:
    """The user's live sign-in sessions, newest first."""
    return list(
        session.exec(
            select(AuthSession)
            .where(
                AuthSession.user_id == user.id,
                col(AuthSession.revoked_at).is_(None),
                AuthSession.expires_at > utcnow(),
            )
            .order_by(col(AuthSession.created_at).desc(), col(AuthSession.id).desc())
        )
    )


def revoke_session(
    session: Session,
    user: User,
    session_id: str,
    *,
    ip: str = "",
    event: str = "auth.session_revoked",
) -> None:
    auth_session = (
        session.get(AuthSession, session_id)
        if isinstance(session_id, str) and session_id.isalnum() and len(session_id) <= 64
        else None
    )
    if auth_session is None or auth_session.user_id != user.id:
        raise NotFound("That sign-in session does not exist.")
    if auth_session.revoked_at is None:
        auth_session.revoked_at = utcnow()
        session.add(auth_session)
        audit.record(session, event, user_id=user.id, ip=ip, session_id=session_id[:8])


def revoke_all_sessions(session: Session, user: User) -> int:
    """Sign the account out everywhere (it was disabled, or deleted) and revoke its access
    tokens, so re-enabling it revives none of them; returns how many sign-ins ended."""
    now = utcnow()
    session.exec(
        update(AccessToken)
        .where(col(AccessToken.user_id) == user.id, col(AccessToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    result = session.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user.id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount or 0


def revoke_other_sessions(
    session: Session, user: User, keep_session_id: str, *, ip: str = ""
) -> int:
    """Sign out every other device; returns how many sessions were revoked."""
    result = session.exec(
        update(AuthSession)
        .where(
            col(AuthSession.user_id) == user.id,
            col(AuthSession.id) != keep_session_id,
            col(AuthSession.revoked_at).is_(None),
        )
        .values(revoked_at=utcnow())
    )
    count = result.rowcount or 0
    audit.record(session, "auth.other_sessions_revoked", user_id=user.id, ip=ip, count=count)
    return count


def change_password(
    session: Session, caller: Caller, *, current_password: str, new_password: str, ip: str = ""
) -> int:
    """Change the password (the current one is required) and sign out every other device."""
    user = caller.user
    settings = get_settings()
    # A stolen token must not become a way to guess the password: failures are limited like
    # sign-in failures, and checked before the guess is verified.
    guesses: dict[str, Any] = {
        "action": "password-change",
        "client": f"user:{user.id}",
        "limit": settings.max_failed_logins,
        "window_seconds": settings.lockout_minutes * 60,
    }
    limiter.check(**guesses)
    if not passwords.verify_password(current_password or "", user.password_hash):
        limiter.hit(**guesses)
        audit.record(session, "auth.password_change_failed", user_id=user.id, ip=ip)
        session.commit()
        raise InvalidInput("Your current password is not correct.", field="current_password")
    passwords.check_policy(new_password, email=user.email, field="new_password")
    if passwords.verify_password(new_password, user.password_hash):
        raise InvalidInput(
            "The new password must differ from the current one.", field="new_password"
        )
    user.password_hash = passwords.hash_password(new_password)
    session.add(user)
    audit.record(session, "auth.password_changed", user_id=user.id, ip=ip)
    return revoke_other_sessions(session, user, caller.session_id, ip=ip)


def set_role(session: Session, actor: User, user_id: int, role: str, *, ip: str = "") -> User:
    """An admin changes someone's role. The last admin cannot give up the role."""
    require_role(actor, Role.admin)
    try:
        new_role = Role(role)
    except ValueError as exc:
        raise InvalidInput("Role must be one of: learner, teacher, admin.", field="role") from exc
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    if user.role == Role.admin.value and new_role != Role.admin and _admin_count(session) <= 1:
        raise InvalidInput("The portal needs at least one admin; promote someone else first.")
    old_role = user.role
    if old_role != new_role.value:
        user.role = new_role.value
        session.add(user)
        audit.record(
            session,
            "user.role_changed",
            user_id=user.id,
            actor_id=actor.id,
            ip=ip,
            old_role=old_role,
            new_role=new_role.value,
        )
    return user


def _admin_count(session: Session) -> int:
    return len(active_admin_ids(session))


def active_admin_ids(session: Session) -> list[int]:
    """Active admins, oldest account first, with their rows locked so that two admins can't
    demote (or delete) each other at once."""
    return list(
        session.exec(
            select(User.id)
            .where(User.role == Role.admin.value, col(User.is_active))
            .order_by(col(User.id))
            .with_for_update()
        ).all()
    )


def create_admin(session: Session, *, email: str, password: str, display_name: str) -> User:
    """Create an admin account, or promote an existing account (its password is then kept)."""
    email = normalize_email(email)
    user = find_user_by_email(session, email)
    if user is None:
        return register(
            session,
            email=email,
            password=password,
            display_name=display_name,
            role=Role.admin,
            rate_limited=False,
        )
    if user.role != Role.admin.value:
        audit.record(
            session,
            "user.role_changed",
            user_id=user.id,
            old_role=user.role,
            new_role=Role.admin.value,
            via="cli",
        )
        user.role = Role.admin.value
        session.add(user)
    return user
