"""Column helpers shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp(*, nullable: bool = False, index: bool = False, **kwargs: Any) -> Any:
    """A timezone-aware timestamp column; defaults to now unless nullable."""
    if nullable:
        return Field(default=None, sa_type=DateTime(timezone=True), index=index, **kwargs)
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=index, **kwargs)
