"""How values read on screen: dates in the viewer's time zone, devices, percentages."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime

from learn_app.services.language.languages import language_name


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def when(moment: datetime | None, timezone: str, *, empty: str = "—") -> str:
    """A timestamp as the viewer's wall clock shows it, e.g. "24 Nov 2026, 14:03"."""
    if moment is None:
        return empty
    return moment.astimezone(zone(timezone)).strftime("%-d %b %Y, %H:%M")


def percent(value: float) -> str:
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def duration(seconds: int) -> str:
    """Time spent, to the second under a minute and to the minute above, e.g. "4 min 05 s"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def language(code: str) -> str:
    return language_name(code)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("HeadlessChrome/", "Headless Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device(user_agent: str) -> str:
    """A short name for the device behind a user agent, e.g. "Firefox on Windows"."""
    if not user_agent:
        return "Unknown device"
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system or ""
    first = re.split(r"[\s/;(]", user_agent.strip(), maxsplit=1)[0]
    return first[:40] or "Unknown device"
