"""Shapes of the privacy controls: personal access tokens and deleting one's account."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from learn_app.api.schemas.common import RequestBody, ResponseBody


class AccessTokenCreate(RequestBody):
    name: str
    scope: Literal["read", "study"]
    expires_in_days: Literal[30, 90, 365] = 90


class AccessTokenPublic(ResponseBody):
    """A token as its owner sees it later: never the secret, only its last four characters."""

    id: int
    name: str
    scope: str
    hint: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class AccessTokenCreated(AccessTokenPublic):
    """The token just made, with its secret: shown this once, stored nowhere."""

    token: str


class AccountDeletion(RequestBody):
    password: str
    # A teacher's classes: handed to an admin (with their learners), or deleted.
    classes: Literal["hand_over", "delete"] = "hand_over"
