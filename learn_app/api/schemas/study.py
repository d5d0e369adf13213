"""Request and response shapes of the study API: activities, sessions, answers, the dashboard
and today's plan.

Field names follow the lang-portal API (`study_activity_id`, `start_time`, `review_items_count`,
`thumbnail_url`, …) so its clients read these answers as they are; the portal's own names and
figures come as extra fields beside them, never instead of them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, Field, computed_field

from learn_app.api.schemas.common import (
    PageNumber,
    Pagination,
    PerPage,
    RequestBody,
    ResponseBody,
    RowIdValue,
    WordRow,
)
from learn_app.services.study import activities
from learn_app.services.study.plan import DEFAULT_PLAN_ITEMS, MAX_FORECAST_DAYS, TodaysPlan
from learn_app.services.study.session_history import SessionRow, SessionSummary, SessionWord
from learn_app.services.study.sessions import HistoryReset, RecordedReview, StudyProgress
from learn_app.services.study.stats import QuickStats

MAX_PLAN_ITEMS = 1000

# --- activities -----------------------------------------------------------------------------


EXERCISE_TYPES_DESCRIPTION = (
    "What the learner does, for clients that choose a launch flow: "
    + ", ".join(f"`{kind}` ({meaning})" for kind, meaning in activities.EXERCISE_TYPES.items())
)


class StudyActivityPublic(ResponseBody):
    """A study activity; built-in ones open at `url` in this app, external ones elsewhere.

    Launch one with `POST /api/study_activities`, then open `url` with
    `?group_id=…&session_id=…` (the `launch_url` of that answer).
    """

    id: int
    slug: str
    name: str
    kind: str
    description: str
    preview_image: str
    url: str

    @computed_field(description=EXERCISE_TYPES_DESCRIPTION)
    @property
    def type(self) -> str:
        return activities.exercise_type(self.slug, self.kind)

    @computed_field
    @property
    def thumbnail_url(self) -> str:
        return self.preview_image

    @computed_field
    @property
    def preview_url(self) -> str:
        """lang-portal's name for the card image."""
        return self.preview_image


class ExternalActivityCreate(RequestBody):
    """An activity hosted elsewhere; it is opened at `url?group_id=…&session_id=…`."""

    slug: str = Field(max_length=60)
    name: str = Field(max_length=120)
    url: str = Field(max_length=400)
    description: str = Field(default="", max_length=2000)
    preview_image: str = Field(default="", max_length=400)


class PageQuery(BaseModel):
    page: PageNumber = 1
    per_page: PerPage = 100


class ActivitySessionsQuery(PageQuery):
    per_page: PerPage = 20  # lang-portal's page size for an activity's sessions


class StudySessionCreate(RequestBody):
    """Start a session of the activity on the group; without a group, on today's plan."""

    study_activity_id: RowIdValue
    group_id: RowIdValue | None = None


# --- sessions -------------------------------------------------------------------------------


class StudySessionPublic(BaseModel):
    """One of the caller's study sessions with its answers counted.

    `created_at` and `start_time` are both when it started (lang-portal uses each name in
    different places); `end_time` is null while it is open. `success_rate` is percent right.
    """

    id: int
    study_activity_id: int
    activity_name: str
    activity_slug: str
    group_id: int | None
    group_name: str | None
    created_at: datetime = Field(description="When the session started (ISO 8601 with offset).")
    start_time: datetime = Field(description="When the session started (ISO 8601 with offset).")
    end_time: datetime | None = Field(
        description="When the session ended (ISO 8601 with offset); null while it is open — "
        "show it as 'in progress', not as a date."
    )
    review_items_count: int
    correct_count: int
    wrong_count: int
    success_rate: float

    @classmethod
    def of(cls, row: SessionRow) -> Self:
        return cls(
            id=row.id,
            study_activity_id=row.activity_id,
            activity_name=row.activity_name,
            activity_slug=row.activity_slug,
            group_id=row.group_id,
            group_name=row.group_name,
            created_at=row.started_at,
            start_time=row.started_at,
            end_time=row.ended_at,
            review_items_count=row.review_count,
            correct_count=row.correct_count,
            wrong_count=row.wrong_count,
            success_rate=row.accuracy,
        )


class StudySessionStarted(StudySessionPublic):
    """The new session, and where to open the activity for it."""

    launch_url: str


class StudySessionPage(BaseModel):
    items: list[StudySessionPublic]
    pagination: Pagination


class SessionWordPublic(BaseModel):
    """A word answered in the session, with how often it was right and wrong there."""

    id: int
    language: str
    term: str
    reading: str
    romaji: str
    meaning: str
    japanese: str | None
    english: str
    correct_count: int
    wrong_count: int

    @classmethod
    def of(cls, word: SessionWord) -> Self:
        return cls(
            id=word.word_id,
            language=word.language,
            term=word.term,
            reading=word.reading,
            romaji=word.romaji,
            meaning=word.meaning,
            japanese=word.term if word.language == "ja" else None,
            english=word.meaning,
            correct_count=word.correct,
            wrong_count=word.wrong,
        )


class SessionWordPage(BaseModel):
    items: list[SessionWordPublic]
    pagination: Pagination


class StudySessionSummary(StudySessionPublic):
    """An ended session: how long it took and the words missed, the most often missed first."""

    duration_seconds: int
    words_to_review: list[SessionWordPublic]

    @classmethod
    def of_summary(cls, summary: SessionSummary) -> Self:
        return cls.model_validate(
            {
                **StudySessionPublic.of(summary.session).model_dump(),
                "duration_seconds": summary.duration_seconds,
                "words_to_review": [SessionWordPublic.of(w) for w in summary.words_to_review],
            }
        )


class ReviewCreate(RequestBody):
    """One answer. `rating` is the activity's own grade (again | hard | good | easy, as
    flashcards give); without one it follows from `correct`."""

    correct: bool
    rating: str | None = Field(default=None, max_length=16)
    response: str = ""
    latency_ms: int | None = None


class ReviewRecorded(BaseModel):
    """The stored answer; `next_review_at` is when the word is due again."""

    success: bool = True
    id: int
    study_session_id: int
    word_id: int
    correct: bool
    rating: str
    created_at: datetime
    next_review_at: datetime

    @classmethod
    def of(cls, recorded: RecordedReview) -> Self:
        review = recorded.review
        assert review.session_id is not None  # a review recorded through a study session
        return cls(
            id=review.id,
            study_session_id=review.session_id,
            word_id=review.word_id,
            correct=review.correct,
            rating=review.rating,
            created_at=review.reviewed_at,
            next_review_at=recorded.card.due,
        )


# --- dashboard ------------------------------------------------------------------------------


class StudyProgressPublic(BaseModel):
    """Words of the caller's target language answered at least once, out of all published."""

    total_words_studied: int
    total_available_words: int

    @classmethod
    def of(cls, progress: StudyProgress) -> Self:
        return cls(
            total_words_studied=progress.total_words_studied,
            total_available_words=progress.total_available_words,
        )


class DashboardQuickStats(BaseModel):
    """`success_rate` is percent right over all answers; the streak counts days in a row with
    an answer, in the caller's time zone."""

    success_rate: float
    total_study_sessions: int
    total_active_groups: int
    study_streak_days: int
    total_reviews: int
    correct_reviews: int

    @classmethod
    def of(cls, stats: QuickStats) -> Self:
        return cls(
            success_rate=stats.success_rate,
            total_study_sessions=stats.study_sessions,
            total_active_groups=stats.active_groups,
            study_streak_days=stats.streak_days,
            total_reviews=stats.total_reviews,
            correct_reviews=stats.correct_reviews,
        )


class HistoryResetResult(BaseModel):
    success: bool = True
    message: str = "Study history has been reset."
    deleted_reviews: int
    deleted_sessions: int
    deleted_cards: int

    @classmethod
    def of(cls, reset: HistoryReset) -> Self:
        return cls(
            deleted_reviews=reset.reviews,
            deleted_sessions=reset.sessions,
            deleted_cards=reset.cards,
        )


# --- today's plan ---------------------------------------------------------------------------


class PlanQuery(BaseModel):
    limit: int = Field(default=DEFAULT_PLAN_ITEMS, ge=0, le=MAX_PLAN_ITEMS)


class PlanItemPublic(ResponseBody, WordRow):
    kind: Literal["review", "new"]
    due: datetime | None
    group_id: int | None


class TodaysPlanPublic(BaseModel):
    """Due reviews first (most overdue first), then new words up to the daily goal; `items`
    holds at most `limit` of them, the counts are of all."""

    due_count: int
    new_count: int
    total: int
    new_introduced_today: int
    daily_goal: int
    group_ids: list[int]
    items: list[PlanItemPublic]

    @classmethod
    def of(cls, plan: TodaysPlan) -> Self:
        return cls(
            due_count=plan.due_count,
            new_count=plan.new_count,
            total=plan.total,
            new_introduced_today=plan.new_introduced_today,
            daily_goal=plan.daily_goal,
            group_ids=plan.group_ids,
            items=[PlanItemPublic.model_validate(item) for item in plan.items],
        )


class ForecastQuery(BaseModel):
    days: int = Field(default=30, ge=1, le=MAX_FORECAST_DAYS)


class ForecastDayPublic(ResponseBody):
    day: date
    due_count: int


class ForecastPublic(BaseModel):
    """Cards due on each day from today, in the caller's time zone; today counts the overdue."""

    days: list[ForecastDayPublic]
