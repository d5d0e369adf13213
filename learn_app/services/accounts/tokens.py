"""JSON Web Tokens and the key that signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from learn_app.config import get_settings
from learn_app.services.errors import NotAuthenticated

ALGORITHM = "HS256"
ALGORITHMS = [ALGORITHM]  # the only algorithm accepted; never read it from the token


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    jti: str
    issued_at: datetime
    expires_at: datetime


@lru_cache
def signing_key() -> str:
    """The secret from settings, else one generated once and kept in the data dir (0600)."""
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    os.chmod(path, 0o600)
    return path.read_text().strip()


def new_token_id() -> str:
    return uuid.uuid4().hex


def issue(user_id: int, jti: str, issued_at: datetime, expires_at: datetime) -> str:
    payload = {
        "sub": str(user_id),
        "jti": jti,
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(payload, signing_key(), algorithm=ALGORITHM)


def decode(token: str) -> TokenClaims:
    """Verify signature, algorithm and expiry; raise NotAuthenticated on anything amiss."""
    if not token or len(token) > 4096:
        raise NotAuthenticated("Please sign in.")
    try:
        payload = jwt.decode(
            token,
            signing_key(),
            algorithms=ALGORITHMS,
            options={"require": ["exp", "iat", "sub", "jti"]},
        )
        user_id = int(payload["sub"])
        jti = str(payload["jti"])
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthenticated("Your session has expired. Please sign in again.") from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise NotAuthenticated("Please sign in.") from exc
    return TokenClaims(
        user_id=user_id,
        jti=jti,
        issued_at=datetime.fromtimestamp(payload["iat"], UTC),
        expires_at=datetime.fromtimestamp(payload["exp"], UTC),
    )


def lifetime() -> timedelta:
    return timedelta(minutes=get_settings().token_ttl_minutes)


def sign(purpose: str, message: str) -> str:
    """An HMAC-SHA256 of `message` (URL-safe text) under a key derived for `purpose`.

    For signed links, such as the audio URLs an <audio> element fetches without a header.
    The per-purpose key means such a signature is never valid anywhere else, and the sign-in
    token itself never has to appear in a URL (and so in logs or browser history).
    """
    key = hmac.new(signing_key().encode(), purpose.encode(), hashlib.sha256).digest()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def signature_matches(purpose: str, message: str, signature: str) -> bool:
    return hmac.compare_digest(sign(purpose, message).encode(), (signature or "").encode())
