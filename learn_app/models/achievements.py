"""Motivation: XP earned, badges awarded, each learner's streak and goals, class leagues.

The achievements themselves are declared in code (`services/achievements/rules.py`); a
`user_achievement` row records that one learner earned one of them, once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class UserAchievement(SQLModel, table=True):
    """A badge earned. `seen_at` is set when a page has shown its toast, so it shows once."""

    __tablename__ = "user_achievement"
    __table_args__ = (UniqueConstraint("user_id", "achievement", name="uq_user_achievement"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    achievement: str = Field(max_length=60)  # a slug from services/achievements/rules.py
    earned_at: datetime = timestamp()
    seen_at: datetime | None = timestamp(nullable=True)


class XpEntry(SQLModel, table=True):
    """XP (and study time) earned by one completed review or one piece of writing.

    `local_day` is the day in the learner's time zone when it was earned: daily and weekly
    totals and class leagues sum over it. A review answered again in the same session has a
    row with 0 points (its time still counts towards a minutes goal).
    """

    __tablename__ = "xp_entry"
    __table_args__ = (Index("ix_xp_entry_user_id_local_day", "user_id", "local_day"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    review_id: int | None = Field(
        default=None, foreign_key="review.id", unique=True, ondelete="CASCADE"
    )
    writing_submission_id: int | None = Field(
        default=None, foreign_key="writing_submission.id", unique=True, ondelete="CASCADE"
    )
    activity: str = Field(default="", max_length=60)
    points: int = 0
    seconds: int = 0
    earned_at: datetime = timestamp()
    local_day: date = Field(sa_type=Date)


class LearnerMotivation(SQLModel, table=True):
    """One learner's streak, goals and running counts, kept up to date by every review so that
    checking achievements after an answer needs no scan of their history."""

    __tablename__ = "learner_motivation"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    # Settings
    weekly_goal_kind: str = Field(default="xp", max_length=8)  # xp | minutes
    weekly_goal_target: int = 300
    follow_levels: bool = False  # suggest a course's groups level by level
    vacation_since: date | None = Field(default=None, sa_type=Date, nullable=True)
    # Streak
    streak_current: int = 0
    streak_best: int = 0
    streak_last_day: date | None = Field(default=None, sa_type=Date, nullable=True)
    freezes_held: int = 0
    # Running counts behind the achievements
    total_reviews: int = 0
    total_xp: int = 0
    finished_sessions: int = 0
    flawless_sessions: int = 0
    sentences_without_hints: int = 0
    best_writing_score: int = 0
    writing_synced_id: int = 0  # the last writing submission given its XP
    weekends_both_days: int = 0
    backlog_clear_run: int = 0
    backlog_best_run: int = 0
    backlog_last_day: date | None = Field(default=None, sa_type=Date, nullable=True)
    weekly_goals_met: int = 0
    goal_met_week: date | None = Field(default=None, sa_type=Date, nullable=True)
    activities_tried: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    updated_at: datetime = timestamp()


class StreakFreezeUse(SQLModel, table=True):
    """A day a streak freeze covered: a missed day that did not end the streak."""

    __tablename__ = "streak_freeze_use"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_streak_freeze_use_day"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    day: date = Field(sa_type=Date)
    used_at: datetime = timestamp()


class VacationPeriod(SQLModel, table=True):
    """Days a learner was away: they neither count towards a streak nor break it.
    `ends_on` is the first day back; null while the vacation lasts."""

    __tablename__ = "vacation_period"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    starts_on: date = Field(sa_type=Date)
    ends_on: date | None = Field(default=None, sa_type=Date, nullable=True)


class ClassLeague(SQLModel, table=True):
    """A class whose teacher turned on the weekly XP league."""

    __tablename__ = "class_league"

    classroom_id: int = Field(foreign_key="classroom.id", primary_key=True, ondelete="CASCADE")
    enabled: bool = True
    changed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    changed_at: datetime = timestamp()
    # The Monday of the last week whose promotions and demotions were made.
    settled_week: date | None = Field(default=None, sa_type=Date, nullable=True)


class LeagueTier(SQLModel, table=True):
    """A learner's tier in a class's league (0 = Bronze), and the last week's move:
    +1 promoted, -1 demoted, 0 stayed (`moved_week` is that week's Monday)."""

    __tablename__ = "league_tier"

    classroom_id: int = Field(foreign_key="classroom.id", primary_key=True, ondelete="CASCADE")
    learner_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    tier: int = 0
    moved: int = 0
    moved_week: date | None = Field(default=None, sa_type=Date, nullable=True)
