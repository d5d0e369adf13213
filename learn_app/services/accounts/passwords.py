"""Password policy and hashing.

bcrypt reads only the first 72 bytes of its input, so two long passwords sharing a 72-byte prefix
would hash alike. We therefore hash a pre-digest: base64(SHA-256(password)), 44 ASCII bytes with
no NUL, which keeps every byte of the password significant. Passwords are capped at 1,024
characters so a megabyte of input is refused before any hashing work.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources

import bcrypt

from learn_app.config import get_settings
from learn_app.services.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1024


@lru_cache
def common_passwords() -> frozenset[str]:
    text = resources.files("learn_app.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_policy(password: str, *, email: str = "", field: str = "password") -> None:
    """Raise InvalidInput with a message a person can act on if the password is unacceptable."""
    if not isinstance(password, str) or not password:
        raise InvalidInput("Enter a password.", field=field)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Passwords can be at most {MAX_LENGTH} characters long.", field=field)
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Use at least {MIN_LENGTH} characters for your password.", field=field)
    lowered = password.lower()
    if lowered in common_passwords() or len(set(password)) == 1:
        raise InvalidInput(
            "That password is too common and easy to guess. Choose another one.", field=field
        )
    if email and lowered == email.lower():
        raise InvalidInput("Your password can't be your email address.", field=field)


def _predigest(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, *, rounds: int | None = None) -> str:
    rounds = rounds or get_settings().bcrypt_rounds
    return bcrypt.hashpw(_predigest(password), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return bcrypt.checkpw(_predigest(password), password_hash.encode("ascii"))
    except ValueError:  # a malformed stored hash never matches
        return False


@lru_cache
def dummy_hash() -> str:
    """A hash to check against when the email is unknown, so both paths take as long."""
    return hash_password("not-a-real-account-password")
