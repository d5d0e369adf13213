"""Attempts per client address in a sliding window, kept in this process.

One backend process serves a deployment by default; several workers each keep their own
window, which only makes the limit proportionally looser, never blocks a legitimate user.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

from learn_app.services.errors import RateLimited


class SlidingWindowLimiter:
    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, action: str, client: str, *, limit: int, window_seconds: int) -> None:
        """Count one attempt; raise RateLimited if the client is over its limit."""
        self._attempt(action, client, limit=limit, window_seconds=window_seconds, count=True)

    def check(self, action: str, client: str, *, limit: int, window_seconds: int) -> None:
        """Raise RateLimited if the client is over its limit, without counting an attempt."""
        self._attempt(action, client, limit=limit, window_seconds=window_seconds, count=False)

    def _attempt(
        self, action: str, client: str, *, limit: int, window_seconds: int, count: bool
    ) -> None:
        now = time.monotonic()
        key = (action, client or "unknown")
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - window_seconds:
                hits.popleft()
            if len(hits) >= limit:
                retry_after = max(1, math.ceil(hits[0] + window_seconds - now))
                raise RateLimited(
                    f"Too many attempts. Try again in {_duration(retry_after)}.",
                    retry_after=retry_after,
                )
            if count:
                hits.append(now)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


limiter = SlidingWindowLimiter()
