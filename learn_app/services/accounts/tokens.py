"""JSON Web Tokens and the key that signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from learn_app.config import get_settings
from learn_app.services.errors import NotAuthenticated

ALGORITHM = "HS256"
ALGORITHMS = [ALGORITHM]  # the only algorithm accepted; never read it from the token
EXPIRED = "Your session has expired. Please sign in again."
# Tokens whose signature was verified, with their claims: every request of a signed-in caller
# presents the same token, and verifying it again (HMAC, base64, JSON) is most of reading it.
# Only the exact string verified is found here; its expiry is checked on every use, and whether
# its sign-in still stands is the database's answer (`auth.authenticate`), never this one's.
VERIFIED_TOKENS_KEPT = 4096
_verified: dict[str, tuple[str, TokenClaims]] = {}  # token → (the key it was verified with, claims)
_verified_lock = threading.Lock()


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    jti: str
    issued_at: datetime
    expires_at: datetime


@lru_cache
def signing_key() -> str:
    """The secret from settings, else one generated once and kept in the data dir (0600).

    The first sign-ins of a new portal come at once, from several threads and workers: the
    key is written whole under a name of its own and linked into place, so exactly one key
    wins and nobody reads a half-written one."""
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".secret_key.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another thread or worker's key came first: that one is the key
        finally:
            os.unlink(draft)
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
    key = signing_key()
    key_and_claims = _verified.get(token)
    if key_and_claims is None or key_and_claims[0] != key:
        claims = _verify(token, key)
        with _verified_lock:
            if len(_verified) >= VERIFIED_TOKENS_KEPT:
                _verified.pop(next(iter(_verified)), None)  # the one verified longest ago
            _verified[token] = (key, claims)
        return claims
    claims = key_and_claims[1]
    if claims.expires_at.timestamp() <= time.time():
        raise NotAuthenticated(EXPIRED)
    return claims


def _verify(token: str, key: str) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            options={"require": ["exp", "iat", "sub", "jti"]},
        )
        user_id = int(payload["sub"])
        jti = str(payload["jti"])
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthenticated(EXPIRED) from exc
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
