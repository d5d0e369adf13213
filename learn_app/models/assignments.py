"""Work a teacher sets a class: study a word group (in one activity, or any) by a due date.

Whether a learner has done it is not stored: it follows from their reviews of the group's
words since the assignment was set, so it can never disagree with what they actually studied.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class Assignment(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    classroom_id: int = Field(foreign_key="classroom.id", index=True, ondelete="CASCADE")
    group_id: int = Field(foreign_key="word_group.id", index=True, ondelete="CASCADE")
    # None: any activity counts. An activity that is removed later leaves "any activity".
    activity_id: int | None = Field(
        default=None, foreign_key="study_activity.id", ondelete="SET NULL"
    )
    due_at: datetime = timestamp()
    note: str = Field(default="", max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
