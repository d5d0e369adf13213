"""How much the portal is used, for its admins: learners active, answers, model calls and spend.

Every figure is counted in PostgreSQL (one GROUP BY per series over the indexed timestamps);
the days or hours with nothing are filled in with zeros here, so a chart has no gaps. Only
admins may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session

from learn_app.models import Role, User
from learn_app.services.accounts.auth import require_role
from learn_app.services.errors import InvalidInput

MAX_DAYS = 366
ANSWER_HOURS = 48


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class HourCount:
    hour: datetime
    count: int


@dataclass(frozen=True)
class ModelDay:
    day: date
    calls: int
    tutor_calls: int
    cost_usd: float


@dataclass(frozen=True)
class SystemUsage:
    days: int
    active_learners: list[DayCount]  # learners who answered at least once that day (UTC)
    answers_per_hour: list[HourCount]  # the last 48 hours, the current one last
    model_calls: list[ModelDay]  # calls to a model provider, the tutor's among them, and spend

    @property
    def answers_total(self) -> int:
        return sum(hour.count for hour in self.answers_per_hour)

    @property
    def cost_total_usd(self) -> float:
        return round(sum(day.cost_usd for day in self.model_calls), 6)


def system_usage(
    session: Session, actor: User, *, days: int = 30, now: datetime | None = None
) -> SystemUsage:
    """The last `days` days (today included) of use, for an admin."""
    require_role(actor, Role.admin)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"Choose between 1 and {MAX_DAYS} days.", field="days")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    today = now.date()
    first_day = today - timedelta(days=days - 1)
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC)
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    first_hour = this_hour - timedelta(hours=ANSWER_HOURS - 1)

    learners = dict(
        session.execute(
            text(
                "SELECT (reviewed_at AT TIME ZONE 'UTC')::date, count(DISTINCT user_id)"
                " FROM review WHERE reviewed_at >= :since GROUP BY 1"
            ),
            {"since": since},
        ).all()
    )
    hours = {
        hour.replace(tzinfo=UTC): count
        for hour, count in session.execute(
            text(
                "SELECT date_trunc('hour', reviewed_at AT TIME ZONE 'UTC'), count(*)"
                " FROM review WHERE reviewed_at >= :since GROUP BY 1"
            ),
            {"since": first_hour},
        ).all()
    }
    calls = {
        day: (calls, tutor, float(cost))
        for day, calls, tutor, cost in session.execute(
            text(
                "SELECT (created_at AT TIME ZONE 'UTC')::date, count(*),"
                " count(*) FILTER (WHERE purpose = 'tutor'), coalesce(sum(cost_usd), 0)"
                " FROM llm_call WHERE created_at >= :since GROUP BY 1"
            ),
            {"since": since},
        ).all()
    }
    day_list = [first_day + timedelta(days=n) for n in range(days)]
    return SystemUsage(
        days=days,
        active_learners=[DayCount(day, int(learners.get(day, 0))) for day in day_list],
        answers_per_hour=[
            HourCount(hour, int(hours.get(hour, 0)))
            for hour in (first_hour + timedelta(hours=n) for n in range(ANSWER_HOURS))
        ],
        model_calls=[_model_day(day, calls.get(day, (0, 0, 0.0))) for day in day_list],
    )


def _model_day(day: date, row: tuple[int, int, float]) -> ModelDay:
    calls, tutor_calls, cost = row
    return ModelDay(day, int(calls), int(tutor_calls), round(cost, 6))
