"""People and their sign-in sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class Role(StrEnum):
    learner = "learner"
    teacher = "teacher"
    admin = "admin"


class User(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(320), unique=True, index=True, nullable=False))
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=100)
    role: str = Field(default=Role.learner.value, max_length=16, index=True)
    native_language: str = Field(default="en", max_length=8)
    target_language: str = Field(default="ja", max_length=8)
    daily_goal: int = 20
    desired_retention: float = 0.9
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = timestamp()
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = timestamp(nullable=True)


class AuthSession(SQLModel, table=True):
    """One signed-in device; its id is the `jti` of the token that device holds."""

    __tablename__ = "auth_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()
    revoked_at: datetime | None = timestamp(nullable=True)
    last_seen_at: datetime | None = timestamp(nullable=True)
    user_agent: str = Field(default="", max_length=512)
    ip: str = Field(default="", max_length=64)


class AccessToken(SQLModel, table=True):
    """A personal access token: a named, scoped, expiring credential for the person's own
    programs. Only a SHA-256 of the secret is kept; the secret is shown once, at creation."""

    __tablename__ = "access_token"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    scope: str = Field(max_length=16)
    secret_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    # The secret's last four characters, so its owner can tell two tokens apart.
    hint: str = Field(default="", max_length=8)
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()
    last_used_at: datetime | None = timestamp(nullable=True)
    revoked_at: datetime | None = timestamp(nullable=True)
