"""Response shapes of `GET /api/progress`: the numbers behind every Progress chart.

Each mirrors a dataclass of `services.study.analytics` field for field, so a client draws the
same charts the page does. Fractions are 0–1; days are the learner's calendar days.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from learn_app.api.schemas.common import WordRow
from learn_app.services.study.analytics import ProgressReport


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DayCountPublic(_Out):
    day: date
    kind: str  # new | learning | review | relearning
    rating: str  # again | hard | good | easy
    reviews: int
    seconds: float


class RetentionPeriodPublic(_Out):
    period: str  # week | month
    start: date
    mature: bool
    reviews: int
    passed: int
    retention: float | None


class CalibrationBinPublic(_Out):
    low: float
    reviews: int
    predicted: float
    passed: int
    observed: float


class AccuracyCellPublic(_Out):
    activity: str
    item_type: str
    reviews: int
    correct: int
    accuracy: float


class AnswersPublic(_Out):
    days: list[DayCountPublic]
    retention: list[RetentionPeriodPublic]
    calibration: list[CalibrationBinPublic]
    accuracy: list[AccuracyCellPublic]
    seconds_per_review: float | None


class StreaksPublic(_Out):
    current: int
    longest: int
    days_studied: int


class DueDayPublic(_Out):
    day: date
    cards: int
    minutes: float


class ForecastPublic(BaseModel):
    backlog: int
    backlog_minutes: float
    seconds_per_review: float
    measured: bool
    days: list[DueDayPublic]


class BinPublic(_Out):
    low: float
    high: float | None
    cards: int


class MemoryPublic(_Out):
    cards: int
    stability: list[BinPublic]
    difficulty: list[BinPublic]
    retrievability: list[BinPublic]
    words_known: float


class KnownPointPublic(_Out):
    at: datetime
    words_known: float


class HardWordPublic(_Out, WordRow):
    lapses: int
    reps: int
    retrievability: float
    stability: float


class WorkloadPointPublic(_Out):
    retention: float
    reviews_per_day: float
    minutes_per_day: float
    words_remembered: float
    minutes_per_word: float


class WorkloadPublic(_Out):
    daily_new: int
    answer_seconds: float
    points: list[WorkloadPointPublic]
    current: float
    cheapest: float


class ProgressPublic(BaseModel):
    """Every figure of a learner's Progress page."""

    learner_id: int
    display_name: str
    timezone: str
    desired_retention: float
    today: date
    generated_at: datetime
    fitted: bool
    answers: AnswersPublic
    calibration_rmse: float | None
    streaks: StreaksPublic
    forecast: ForecastPublic
    memory: MemoryPublic
    words_known: list[KnownPointPublic]
    hardest: list[HardWordPublic]
    workload: WorkloadPublic

    @classmethod
    def of(cls, report: ProgressReport) -> ProgressPublic:
        f = report.forecast
        return cls(
            learner_id=report.learner_id,
            display_name=report.display_name,
            timezone=report.timezone,
            desired_retention=report.desired_retention,
            today=report.today,
            generated_at=report.generated_at,
            fitted=report.fitted,
            answers=AnswersPublic.model_validate(report.answers),
            calibration_rmse=report.calibration_rmse,
            streaks=StreaksPublic.model_validate(report.streaks),
            forecast=ForecastPublic(
                backlog=f.due.backlog,
                backlog_minutes=round(f.minutes(f.due.backlog), 2),
                seconds_per_review=f.seconds_per_review,
                measured=f.measured,
                days=[
                    DueDayPublic(day=d.day, cards=d.cards, minutes=round(f.minutes(d.cards), 2))
                    for d in f.due.days
                ],
            ),
            memory=MemoryPublic.model_validate(report.memory),
            words_known=[KnownPointPublic.model_validate(p) for p in report.words_known],
            hardest=[HardWordPublic.model_validate(w) for w in report.hardest],
            workload=WorkloadPublic.model_validate(report.workload),
        )
