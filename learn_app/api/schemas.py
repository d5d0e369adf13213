"""Request and response shapes of the REST API, kept apart from the table models.

Responses list their fields explicitly so nothing private (password hashes, failed sign-in
counts, lock-out times) can leak by accident. Requests forbid unknown fields, so a typo or an
attempt to set something not offered (`{"role": "admin"}` on a profile) is an error, not a no-op.
Values are checked by the services, which word the messages; the shapes only fix the types.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, model_validator

from learn_app.models import Role


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResponseBody(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Problem(BaseModel):
    """Every error answer: a message a person can act on, and the input field it is about."""

    detail: str
    field: str | None = None


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


class Pagination(BaseModel):
    current_page: int
    total_pages: int
    total_items: int
    items_per_page: int


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


class EnrollmentCreate(RequestBody):
    email: str


class EnrolledLearner(ResponseBody):
    id: int
    email: str
    display_name: str


class LearnerProgress(ResponseBody):
    learner_id: int
    display_name: str
    email: str
    reviews: int
    success_rate: float
    study_sessions: int
    streak_days: int
    last_review_at: datetime | None


# --- operations -----------------------------------------------------------------------------


class Health(BaseModel):
    status: str
    database: bool
