"""Shapes of accounts, sign-in sessions, admin user lists and classes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, model_validator

from learn_app.api.schemas.common import (
    Pagination,
    RequestBody,
    ResponseBody,
)
from learn_app.models import Role

# --- accounts -------------------------------------------------------------------------------


class UserRegister(RequestBody):
    email: str
    password: str
    display_name: str


class UserPublic(ResponseBody):
    id: int
    email: str
    display_name: str
    role: Role
    native_language: str
    target_language: str
    daily_goal: int
    desired_retention: float
    timezone: str
    created_at: datetime


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_at: datetime


class ProfileChanges(RequestBody):
    """Only the fields given change."""

    display_name: str | None = None
    native_language: str | None = None
    target_language: str | None = None
    daily_goal: int | None = None
    desired_retention: float | None = None
    timezone: str | None = None


class PasswordChange(RequestBody):
    current_password: str
    new_password: str


class PasswordChanged(BaseModel):
    revoked_sessions: int


class SignInSession(ResponseBody):
    id: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime
    user_agent: str
    ip: str
    current: bool = False


class RevokedSessions(BaseModel):
    revoked: int


class QuickStats(ResponseBody):
    total_reviews: int
    correct_reviews: int
    success_rate: float
    study_sessions: int
    streak_days: int
    active_groups: int


# --- admin ----------------------------------------------------------------------------------


class UserAdminView(UserPublic):
    is_active: bool


class UserPage(BaseModel):
    items: list[UserAdminView]
    pagination: Pagination


class UserAdminChanges(RequestBody):
    role: Role | None = None
    is_active: bool | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> UserAdminChanges:
        if self.role is None and self.is_active is None:
            raise ValueError("Send a role or is_active to change.")
        return self


# --- classes --------------------------------------------------------------------------------


class ClassroomCreate(RequestBody):
    name: str
    language: str


class ClassroomPublic(ResponseBody):
    id: int
    name: str
    language: str
    learners: int = 0
    created_at: datetime


class LearnerProgress(ResponseBody):
    learner_id: int
    display_name: str
    email: str
    reviews: int
    success_rate: float
    study_sessions: int
    streak_days: int
    last_review_at: datetime | None
