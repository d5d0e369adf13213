"""A learner's progress: every figure behind the Progress page, for whoever may read it.

`learner_progress` is the one entry point for the learner's own page, the REST API and a
teacher's drill-down into one learner: it checks the viewer may read the learner
(`access.viewable_learner`), then gathers the figures — each counted in PostgreSQL, a few
thousand aggregated rows at most — in the learner's own time zone. The answers come counted
per day (`days`) and words known per week (`known`) from tables migration 0015 keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from learn_app.models import User
from learn_app.models.base import utcnow
from learn_app.services.study.analytics import answers, known, memory, workload
from learn_app.services.study.analytics import days as day_tables
from learn_app.services.study.analytics.access import viewable_learner
from learn_app.services.study.analytics.memory import HardWord, KnownPoint
from learn_app.services.study.plan import learner_zone
from learn_app.services.study.scheduling import fitted_parameters

HISTORY_DAYS = 365
FORECAST_DAYS = 30
KNOWN_POINTS = known.WEEKS + 1  # the start of each week over the year, and now


@dataclass(frozen=True)
class Streaks:
    current: int  # days in a row up to today (or yesterday, while today is still open)
    longest: int  # the longest run within the year shown
    days_studied: int  # within the year shown


@dataclass(frozen=True)
class ForecastFigures:
    due: memory.DueForecast
    seconds_per_review: float  # the learner's own mean, or a default before they have one
    measured: bool  # False when seconds_per_review is the default

    def minutes(self, cards: int) -> float:
        return cards * self.seconds_per_review / 60


@dataclass(frozen=True)
class ProgressReport:
    learner_id: int
    display_name: str
    timezone: str
    desired_retention: float
    today: date
    generated_at: datetime
    answers: answers.AnswerFigures
    calibration_rmse: float | None
    streaks: Streaks
    forecast: ForecastFigures
    memory: memory.MemoryFigures
    words_known: list[KnownPoint]
    hardest: list[HardWord]
    workload: workload.Workload
    fitted: bool  # the learner's own FSRS parameters, not the defaults

    @property
    def total_answers(self) -> int:
        return sum(d.reviews for d in self.answers.days)

    @property
    def is_empty(self) -> bool:
        """Nothing to draw yet: no answer in the year and no card."""
        return not self.total_answers and not self.memory.cards


def learner_progress(
    session: Session, viewer: User, learner_id: int, *, now: datetime | None = None
) -> ProgressReport:
    """Every figure of the learner's Progress page, if `viewer` may read it (else NotFound)."""
    learner = viewable_learner(session, viewer, learner_id)
    now = (now or utcnow()).astimezone(UTC)
    zone = learner_zone(learner)
    today = now.astimezone(zone).date()
    today_start = datetime.combine(today, time.min, zone)
    tomorrow_start = datetime.combine(today + timedelta(days=1), time.min, zone)
    since = datetime.combine(today - timedelta(days=HISTORY_DAYS - 1), time.min, zone)
    parameters = fitted_parameters(session, learner.id)

    window = (today - timedelta(days=HISTORY_DAYS - 1), today)
    figures = day_tables.summary_figures(
        session, learner.id, zone.key, window, since, tomorrow_start
    )
    seconds = figures.seconds_per_review
    return ProgressReport(
        learner_id=learner.id,
        display_name=learner.display_name,
        timezone=zone.key,
        desired_retention=learner.desired_retention,
        today=today,
        generated_at=now,
        answers=figures,
        calibration_rmse=answers.calibration_rmse(figures.calibration),
        streaks=streaks(sorted({d.day for d in figures.days}), today),
        forecast=ForecastFigures(
            memory.due_forecast(session, learner.id, zone.key, today, today_start, FORECAST_DAYS),
            seconds or workload.DEFAULT_ANSWER_SECONDS,
            seconds is not None,
        ),
        memory=memory.memory_figures(session, learner.id, parameters, now),
        words_known=known.words_known_history(session, learner.id, parameters, zone, now),
        hardest=memory.hardest_words(session, learner.id, parameters, now),
        workload=workload.simulate_workload(
            parameters, learner.desired_retention, learner.daily_goal, seconds
        ),
        fitted=parameters is not None,
    )


def learner_forecast(
    session: Session,
    viewer: User,
    learner_id: int,
    *,
    days: int = FORECAST_DAYS,
    now: datetime | None = None,
) -> tuple[ForecastFigures, str]:
    """Only the due forecast (Practice shows it): the figures and the learner's time zone."""
    learner = viewable_learner(session, viewer, learner_id)
    now = (now or utcnow()).astimezone(UTC)
    zone = learner_zone(learner)
    today = now.astimezone(zone).date()
    today_start = datetime.combine(today, time.min, zone)
    first_day = today - timedelta(days=HISTORY_DAYS - 1)
    since = datetime.combine(first_day, time.min, zone)
    tomorrow_start = datetime.combine(today + timedelta(days=1), time.min, zone)
    seconds = day_tables.seconds_per_review(
        session, learner.id, zone.key, (first_day, today), since, tomorrow_start
    )
    due = memory.due_forecast(session, learner.id, zone.key, today, today_start, days)
    return (
        ForecastFigures(due, seconds or workload.DEFAULT_ANSWER_SECONDS, seconds is not None),
        zone.key,
    )


def streaks(days: list[date], today: date) -> Streaks:
    """Runs of consecutive study days. Today without an answer yet does not break the
    current run: it ends only once a whole day is missed."""
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    studied = set(days)
    current = 0
    cursor = today if today in studied else today - timedelta(days=1)
    while cursor in studied:
        current += 1
        cursor -= timedelta(days=1)
    return Streaks(current=current, longest=longest, days_studied=len(studied))
