"""The AI tutor's memory and the ledger of every model call.

`llm_call` records what a call cost and how it ended, never what was said or who said it beyond
the learner's id: no email, no name, no question text.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class CallOutcome(StrEnum):
    ok = "ok"
    error = "error"  # the provider failed (after its retries); an offline answer followed
    fallback = "fallback"  # the offline answer given because the provider failed
    budget = "budget"  # the offline answer given because the learner's daily budget was spent


class LlmCall(SQLModel, table=True):
    __tablename__ = "llm_call"
    __table_args__ = (Index("ix_llm_call_user_id_created_at", "user_id", "created_at"),)

    id: int = Field(default=None, primary_key=True)
    created_at: datetime = timestamp(index=True)  # retention clean-up
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    provider: str = Field(max_length=32)
    model: str = Field(max_length=100)
    purpose: str = Field(max_length=32)
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0
    cost_usd: float | None = None
    outcome: str = Field(max_length=16)


class TutorConversation(SQLModel, table=True):
    __tablename__ = "tutor_conversation"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    title: str = Field(default="", max_length=120)
    language: str = Field(max_length=8)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class TutorMessage(SQLModel, table=True):
    __tablename__ = "tutor_message"

    id: int = Field(default=None, primary_key=True)
    conversation_id: int = Field(
        foreign_key="tutor_conversation.id", index=True, ondelete="CASCADE"
    )
    role: str = Field(max_length=16)  # "learner" or "tutor"
    text: str = Field(sa_column=Column(Text, nullable=False))
    citations: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    provider: str = Field(default="", max_length=32)
    created_at: datetime = timestamp()
