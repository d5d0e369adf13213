"""Course content: courses, their word groups and words, and lessons (documents)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class Status(StrEnum):
    draft = "draft"
    published = "published"
    # Retired content: gone from lists, plans, search and study, but kept so that learners'
    # reviews of it (and the counts built on them) stay.
    archived = "archived"


class Course(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    language: str = Field(max_length=8, index=True)
    native_language: str = Field(default="en", max_length=8)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    level: str = Field(default="", max_length=40)
    # The teacher who created or imported the course; None (shipped courses) means admins only,
    # besides the teachers listed in course_editor.
    owner_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class CourseEditor(SQLModel, table=True):
    """A teacher, besides the owner, who may edit a course."""

    __tablename__ = "course_editor"

    course_id: int = Field(foreign_key="course.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True, ondelete="CASCADE")
    added_at: datetime = timestamp()


class Word(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("language", "term", "reading"),)

    id: int = Field(default=None, primary_key=True)
    course_id: int | None = Field(
        default=None, foreign_key="course.id", index=True, ondelete="SET NULL"
    )
    language: str = Field(max_length=8, index=True)
    term: str = Field(max_length=200, index=True)
    reading: str = Field(default="", max_length=200)
    meaning: str = Field(max_length=400)
    part_of_speech: str = Field(default="", max_length=40)
    example_sentence: str = Field(default="", max_length=1000)
    example_translation: str = Field(default="", max_length=1000)
    # Language-specific parts: romaji, example_reading, gender, verb_class.
    parts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=Status.published.value, max_length=16, index=True)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    archived_at: datetime | None = timestamp(nullable=True)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class WordGroup(SQLModel, table=True):
    __tablename__ = "word_group"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: int = Field(default=None, primary_key=True)
    course_id: int | None = Field(
        default=None, foreign_key="course.id", index=True, ondelete="CASCADE"
    )
    slug: str = Field(default="", max_length=80)
    language: str = Field(max_length=8, index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class WordGroupMember(SQLModel, table=True):
    __tablename__ = "word_group_member"
    __table_args__ = (UniqueConstraint("group_id", "word_id"),)

    id: int = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="word_group.id", index=True, ondelete="CASCADE")
    word_id: int = Field(foreign_key="word.id", index=True, ondelete="CASCADE")
    position: int = 0


class Document(SQLModel, table=True):
    """A lesson, grammar note or reading passage, written in Markdown."""

    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        Index("ix_document_language_status", "language", "status"),
    )

    id: int = Field(default=None, primary_key=True)
    course_id: int | None = Field(
        default=None, foreign_key="course.id", index=True, ondelete="SET NULL"
    )
    slug: str = Field(max_length=80)
    kind: str = Field(default="lesson", max_length=20)
    language: str = Field(max_length=8)
    level: str = Field(default="", max_length=40)
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=500)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=Status.draft.value, max_length=16)
    position: int = 0
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    published_at: datetime | None = timestamp(nullable=True)
    archived_at: datetime | None = timestamp(nullable=True)


class RagSource(SQLModel, table=True):
    """What the retrieval index holds for one lesson or word, and the hash it was built from.

    Indexing compares hashes so that editing one lesson re-embeds only that lesson's chunks.
    """

    __tablename__ = "rag_source"
    __table_args__ = (UniqueConstraint("source_type", "source_id"),)

    id: int = Field(default=None, primary_key=True)
    source_type: str = Field(max_length=16)  # lesson | word
    source_id: int
    content_hash: str = Field(max_length=64)
    chunk_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    indexed_at: datetime = timestamp()
