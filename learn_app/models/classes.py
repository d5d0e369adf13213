"""A teacher's classes, the learners enrolled in them, and how a learner comes to be enrolled.

A learner is enrolled only by their own act: joining with the class's code, or accepting an
invitation their teacher sent to their email address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class Classroom(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    teacher_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    language: str = Field(default="ja", max_length=8)
    created_at: datetime = timestamp()
    # The code learners type to join (unambiguous letters and digits); turned off, it is kept
    # so that a learner who types it is told the class stopped taking codes.
    join_code: str | None = Field(default=None, max_length=16, unique=True)
    join_code_enabled: bool = Field(default=False)
    join_code_expires_at: datetime | None = timestamp(nullable=True)


class Enrollment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("classroom_id", "learner_id"),)

    id: int = Field(default=None, primary_key=True)
    classroom_id: int = Field(foreign_key="classroom.id", index=True, ondelete="CASCADE")
    learner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp()


class ClassInvitation(SQLModel, table=True):
    """A teacher's invitation to an email address. Kept by address, whether or not an account
    has it, so that nothing a teacher sees tells which addresses have accounts; the learner
    with that address sees it and accepts (enrolled, the invitation goes) or declines."""

    __tablename__ = "class_invitation"
    __table_args__ = (UniqueConstraint("classroom_id", "email"),)

    id: int = Field(default=None, primary_key=True)
    classroom_id: int = Field(foreign_key="classroom.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320, index=True)
    invited_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()
    declined_at: datetime | None = timestamp(nullable=True)
