"""What happened, to whom, by whom: the security trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int = Field(default=None, primary_key=True)
    created_at: datetime = timestamp(index=True)
    event: str = Field(max_length=64, index=True)
    user_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    ip: str = Field(default="", max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
