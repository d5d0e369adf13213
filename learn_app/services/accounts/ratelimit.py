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
    if seconds == 1:
        return "1 second"
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


limiter = SlidingWindowLimiter()


class FailureBackoff:
    """Failed attempts per (account, client address): after `free` failures each further try
    waits, 1 second doubling per failure up to `cap_seconds`; a success clears the pair.

    Keyed by the pair, so a stranger guessing from elsewhere slows only themself: the account's
    owner signing in from their own address is not held up, and there is no lock an attacker
    can set. The key is the address typed, whether or not an account has it, so the answers say
    nothing about which emails exist.
    """

    MAX_PAIRS = 100_000

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    def check(self, account: str, client: str) -> None:
        """Raise RateLimited while the pair has to wait."""
        now = time.monotonic()
        with self._lock:
            entry = self._pairs.get((account, client or "unknown"))
        if entry is not None and entry[1] > now:
            retry_after = max(1, math.ceil(entry[1] - now))
            raise RateLimited(
                f"Too many failed sign-ins. Try again in {_duration(retry_after)}.",
                retry_after=retry_after,
            )

    def fail(self, account: str, client: str, *, free: int, cap_seconds: int) -> int:
        """Count a failure; returns the seconds the pair now waits (0 while still free)."""
        now = time.monotonic()
        key = (account, client or "unknown")
        with self._lock:
            failures = self._pairs.get(key, (0, now))[0] + 1
            wait = 0 if failures < free else min(cap_seconds, 2 ** (failures - free))
            self._pairs[key] = (failures, now + wait)
            if len(self._pairs) > self.MAX_PAIRS:
                self._forget_idle(now, cap_seconds)
        return wait

    def clear(self, account: str, client: str) -> None:
        with self._lock:
            self._pairs.pop((account, client or "unknown"), None)

    def failures(self, account: str, client: str) -> int:
        with self._lock:
            return self._pairs.get((account, client or "unknown"), (0, 0.0))[0]

    def _forget_idle(self, now: float, cap_seconds: int) -> None:
        """Drop pairs whose wait ended long ago (memory stays bounded under a spray)."""
        idle = [k for k, (_, until) in self._pairs.items() if until + cap_seconds < now]
        for key in idle:
            del self._pairs[key]

    def reset(self) -> None:
        with self._lock:
            self._pairs.clear()


sign_in_backoff = FailureBackoff()
