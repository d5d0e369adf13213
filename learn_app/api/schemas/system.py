"""The portal's use, as an admin reads it (GET /api/admin/system/usage)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class DayCountPublic(BaseModel):
    day: date
    count: int


class HourCountPublic(BaseModel):
    hour: datetime
    count: int


class ModelDayPublic(BaseModel):
    day: date
    calls: int
    tutor_calls: int
    cost_usd: float


class SystemUsagePublic(BaseModel):
    days: int
    active_learners: list[DayCountPublic]
    answers_per_hour: list[HourCountPublic]
    model_calls: list[ModelDayPublic]
    answers_total: int
    cost_total_usd: float
