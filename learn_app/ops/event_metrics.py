"""Time every page event: from taking its learner's state to the handler's end.

Reflex 0.10 has no public hook around an event's execution (middleware only sees it start),
so the event processor's `_execute_event` is wrapped once per process. Reflex is pinned to
an exact version in pyproject.toml; the serving tests scrape this metric, so a rename shows.
"""

from __future__ import annotations

import time
from typing import Any

from learn_app.ops import metrics


def _handler_label(registered_handler: Any, event: Any) -> str:
    method = (getattr(event, "name", "") or "unknown").rsplit(".", 1)[-1]
    states = getattr(registered_handler, "states", None) or ()
    owner = getattr(states[0], "__name__", "") if states else ""
    return f"{owner}.{method}" if owner else method


def install() -> None:
    from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor

    original = BaseStateEventProcessor._execute_event
    if getattr(original, "learn_app_timed", False):
        return

    async def timed(self: Any, *, entry: Any, registered_handler: Any) -> None:
        started = time.perf_counter()
        try:
            await original(self, entry=entry, registered_handler=registered_handler)
        finally:
            metrics.EVENT_SECONDS.labels(
                handler=_handler_label(registered_handler, entry.event)
            ).observe(time.perf_counter() - started)

    timed.learn_app_timed = True  # type: ignore[attr-defined]
    BaseStateEventProcessor._execute_event = timed  # type: ignore[method-assign]
