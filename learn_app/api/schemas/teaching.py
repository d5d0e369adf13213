"""Teachers' class dashboards and assignments, and the assignments learners see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, computed_field

from learn_app.api.schemas.common import RequestBody, ResponseBody, RowIdValue, WordRow
from learn_app.services.study.assignment_progress import CompletionGrid, CompletionState
from learn_app.services.study.class_dashboard import ClassDashboard, RosterRow
from learn_app.services.study.class_missed_words import MAX_GROUP_WORDS, MissedWord

# --- the class dashboard ----------------------------------------------------------------------


class AtRiskRulesPublic(ResponseBody):
    """When a learner is flagged: inactive for `inactive_days` or more, over `backlog_cards`
    cards due, or true retention more than `retention_margin` points under their own target
    (judged from `retention_min_reviews` review-stage answers)."""

    inactive_days: int
    backlog_cards: int
    retention_margin: float
    retention_min_reviews: int


class RosterRowPublic(ResponseBody):
    learner_id: int
    display_name: str
    email: str
    last_active_at: datetime | None
    days_inactive: int | None
    days_studied_7: int
    days_studied_30: int
    reviews_7: int
    reviews_30: int
    retention: float | None = Field(description="Percent of review-stage answers right, 30 days")
    retention_reviews: int
    target_retention: float = Field(description="The learner's desired retention, percent")
    backlog: int = Field(description="Cards due now")
    streak_days: int
    words_studied: int
    words_mature: int
    at_risk: bool
    risk_reasons: list[str]

    @classmethod
    def of(cls, row: RosterRow) -> RosterRowPublic:
        return cls.model_validate({**row.__dict__, "at_risk": row.at_risk})


class ClassDayPublic(ResponseBody):
    day: date
    active_learners: int
    reviews: int
    retention: float | None
    retention_reviews: int


class LearnerMisses(BaseModel):
    learner_id: int
    misses: int


class MissedWordPublic(WordRow):
    misses: int
    answers: int
    miss_rate: float
    learners_missed: int
    by_learner: list[LearnerMisses]

    @classmethod
    def of(cls, word: MissedWord) -> MissedWordPublic:
        return cls(
            word_id=word.word_id,
            term=word.term,
            reading=word.reading,
            meaning=word.meaning,
            misses=word.misses,
            answers=word.answers,
            miss_rate=word.miss_rate,
            learners_missed=word.learners_missed,
            by_learner=[
                LearnerMisses(learner_id=uid, misses=n) for uid, n in word.misses_by_learner.items()
            ],
        )


class ClassDashboardPublic(BaseModel):
    """One class over its last `window_days` days, each learner's days in their time zone."""

    classroom_id: int
    name: str
    language: str
    window_days: int
    generated_at: datetime
    rules: AtRiskRulesPublic
    roster: list[RosterRowPublic]
    days: list[ClassDayPublic]
    missed_words: list[MissedWordPublic]

    @computed_field
    @property
    def at_risk(self) -> int:
        return sum(1 for row in self.roster if row.at_risk)

    @classmethod
    def of(cls, board: ClassDashboard) -> ClassDashboardPublic:
        return cls(
            classroom_id=board.classroom_id,
            name=board.name,
            language=board.language,
            window_days=board.window_days,
            generated_at=board.generated_at,
            rules=AtRiskRulesPublic.model_validate(board.rules),
            roster=[RosterRowPublic.of(row) for row in board.roster],
            days=[ClassDayPublic.model_validate(day) for day in board.days],
            missed_words=[MissedWordPublic.of(word) for word in board.missed_words],
        )


class MissedWordsGroupCreate(RequestBody):
    word_ids: Annotated[list[RowIdValue], Field(min_length=1, max_length=MAX_GROUP_WORDS)]
    name: Annotated[str, Field(max_length=1000)] = ""


class WordGroupMade(ResponseBody):
    id: int
    name: str
    course_id: int | None
    word_count: int


# --- assignments ------------------------------------------------------------------------------


class AssignmentCreate(RequestBody):
    """`due_at` without a time zone is read as the teacher's own wall clock."""

    group_id: RowIdValue
    due_at: datetime
    activity_id: RowIdValue | None = None
    note: Annotated[str, Field(max_length=10_000)] = ""


class AssignmentChanges(RequestBody):
    """Send only what changes; `"activity_id": null` lets any activity count."""

    due_at: datetime | None = None
    note: Annotated[str, Field(max_length=10_000)] | None = None
    activity_id: RowIdValue | None = None


class AssignmentPublic(ResponseBody):
    id: int
    classroom_id: int
    group_id: int
    group_name: str
    activity_id: int | None
    activity_name: str | None
    due_at: datetime
    note: str
    words: int
    created_at: datetime


class CompletionPublic(ResponseBody):
    assignment_id: int
    learner_id: int
    state: CompletionState
    label: str
    answered: int
    words: int
    completed_at: datetime | None
    overdue: bool


class GridLearnerPublic(ResponseBody):
    id: int
    display_name: str


class CompletionGridPublic(BaseModel):
    """Learners × assignments: one cell per pair, in `cells`."""

    assignments: list[AssignmentPublic]
    learners: list[GridLearnerPublic]
    cells: list[CompletionPublic]

    @classmethod
    def of(cls, grid: CompletionGrid) -> CompletionGridPublic:
        return cls(
            assignments=[AssignmentPublic.model_validate(a) for a in grid.assignments],
            learners=[GridLearnerPublic.model_validate(u) for u in grid.learners],
            cells=[
                CompletionPublic.model_validate(grid.cell(u.id, a.id))
                for u in grid.learners
                for a in grid.assignments
            ],
        )


class MyAssignmentPublic(BaseModel):
    assignment: AssignmentPublic
    class_name: str
    completion: CompletionPublic


class AssignmentStarted(BaseModel):
    url: str = Field(description="The activity's page with the new study session")
