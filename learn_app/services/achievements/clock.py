"""Days and weeks as the learner lives them: in their own time zone, weeks from Monday."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

from learn_app.models.base import utcnow


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The learner's time zone; UTC for a name the zone database does not know."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def moment(now: datetime | None = None) -> datetime:
    """`now` as an aware UTC instant (a naive one is taken to be UTC); the clock's by default."""
    if now is None:
        return utcnow()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def local_day(instant: datetime, tz: zoneinfo.ZoneInfo) -> date:
    """The calendar day the instant falls on in the zone (23:59 and 00:01 are two days)."""
    return moment(instant).astimezone(tz).date()


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def day_start(day: date, tz: zoneinfo.ZoneInfo) -> datetime:
    """The first instant of the local day, in UTC (a DST day is 23 or 25 hours long)."""
    return datetime.combine(day, datetime.min.time(), tz).astimezone(UTC)
