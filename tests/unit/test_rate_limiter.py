"""Attempts per client and action in a sliding window."""

from types import SimpleNamespace

import pytest

from learn_app.services.accounts import ratelimit
from learn_app.services.accounts.ratelimit import SlidingWindowLimiter
from learn_app.services.errors import RateLimited


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(monotonic=clock))
    return clock


def attempt(limiter: SlidingWindowLimiter, client: str = "10.0.0.1", action: str = "sign-in"):
    limiter.hit(action, client, limit=3, window_seconds=60)


def test_attempts_up_to_the_limit_are_allowed_and_the_next_is_refused(clock: Clock) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter)
    with pytest.raises(RateLimited) as caught:
        attempt(limiter)
    assert caught.value.retry_after == 60
    assert caught.value.status_code == 429
    assert "Try again in 60 seconds" in caught.value.message


def test_retry_after_counts_down_to_when_the_oldest_attempt_leaves_the_window(
    clock: Clock,
) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter)
    clock.now += 45
    with pytest.raises(RateLimited) as caught:
        attempt(limiter)
    assert caught.value.retry_after == 15


def test_the_window_slides_one_attempt_at_a_time(clock: Clock) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter)
        clock.now += 10
    clock.now = 1_059.0
    with pytest.raises(RateLimited):
        attempt(limiter)
    clock.now = 1_060.0  # the first attempt has left the window
    attempt(limiter)
    with pytest.raises(RateLimited) as caught:
        attempt(limiter)
    assert caught.value.retry_after == 10


def test_a_refused_attempt_does_not_extend_the_wait(clock: Clock) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter)
    for _ in range(5):
        clock.now += 10
        with pytest.raises(RateLimited):
            attempt(limiter)
    clock.now = 1_060.0
    attempt(limiter)


def test_each_client_has_its_own_limit(clock: Clock) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter, client="10.0.0.1")
    attempt(limiter, client="10.0.0.2")
    with pytest.raises(RateLimited):
        attempt(limiter, client="10.0.0.1")


def test_each_action_has_its_own_limit(clock: Clock) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter, action="sign-in")
    attempt(limiter, action="sign-up")
    with pytest.raises(RateLimited):
        attempt(limiter, action="sign-in")


def test_reset_forgets_every_attempt(clock: Clock) -> None:
    limiter = SlidingWindowLimiter()
    for _ in range(3):
        attempt(limiter)
    limiter.reset()
    attempt(limiter)
