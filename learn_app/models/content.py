"""Vocabulary: words and the thematic groups they are studied in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class Word(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8, index=True)
    term: str = Field(max_length=200, index=True)
    reading: str = Field(default="", max_length=200)
    meaning: str = Field(max_length=400)
    part_of_speech: str = Field(default="", max_length=40)
    example_sentence: str = Field(default="", max_length=1000)
    example_translation: str = Field(default="", max_length=1000)
    parts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = timestamp()


class WordGroup(SQLModel, table=True):
    __tablename__ = "word_group"

    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8, index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    created_at: datetime = timestamp()


class WordGroupMember(SQLModel, table=True):
    __tablename__ = "word_group_member"
    __table_args__ = (UniqueConstraint("group_id", "word_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="word_group.id", index=True, ondelete="CASCADE")
    word_id: int = Field(foreign_key="word.id", index=True, ondelete="CASCADE")
