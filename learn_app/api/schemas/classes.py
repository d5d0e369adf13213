"""Shapes of joining classes: join codes, invitations, and a learner's own classes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from learn_app.api.schemas.common import RequestBody, ResponseBody


class InvitationCreate(RequestBody):
    email: str


class InvitationSentPublic(ResponseBody):
    """The same answer whether or not an account has the address."""

    email: str
    detail: str


class ClassInvitationPublic(ResponseBody):
    id: int
    email: str
    invited_at: datetime
    expires_at: datetime
    status: Literal["waiting", "declined", "expired"]


class JoinCodePublic(ResponseBody):
    classroom_id: int
    code: str  # "" before the class has had one
    state: Literal["on", "off", "expired"]
    expires_at: datetime | None


class JoinCodeChange(RequestBody):
    enabled: bool


class JoinWithCode(RequestBody):
    code: str


class MyClassPublic(ResponseBody):
    id: int
    name: str
    language: str
    teacher_name: str
    joined_at: datetime


class MyInvitationPublic(ResponseBody):
    id: int
    classroom_id: int
    class_name: str
    language: str
    teacher_name: str
    invited_at: datetime
    expires_at: datetime
