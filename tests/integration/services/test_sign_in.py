"""Signing in: credentials, the same answer for every wrong guess, and the back-off per address."""

import statistics
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, update

from learn_app.config import get_settings
from learn_app.models import User
from learn_app.models.base import utcnow
from learn_app.services.accounts import auth, passwords
from learn_app.services.accounts.ratelimit import sign_in_backoff
from learn_app.services.errors import NotAuthenticated, RateLimited

pytestmark = pytest.mark.integration

WRONG = "not the right password"


def attempt(request_session, email: str, password: str) -> auth.SignIn:
    with request_session() as s:
        return auth.sign_in(s, email=email, password=password)


def stored(engine, user: User) -> User:
    with Session(engine) as s:
        return s.get(User, user.id)


def test_the_right_password_gives_a_token_that_identifies_the_account(
    learner, password, request_session
) -> None:
    signed_in = attempt(request_session, learner.email, password)
    with request_session() as s:
        caller = auth.authenticate(s, signed_in.token)
    assert caller.user.id == learner.id
    assert signed_in.expires_at > utcnow() + timedelta(days=6)


def test_the_email_is_matched_whatever_its_case(learner, password, request_session) -> None:
    signed_in = attempt(request_session, learner.email.upper(), password)
    assert signed_in.user.id == learner.id


def test_an_unknown_email_and_a_wrong_password_get_the_same_message(
    learner, request_session
) -> None:
    with pytest.raises(NotAuthenticated) as unknown:
        attempt(request_session, "nobody@example.com", WRONG)
    with pytest.raises(NotAuthenticated) as wrong:
        attempt(request_session, learner.email, WRONG)
    with pytest.raises(NotAuthenticated) as malformed:
        attempt(request_session, "not an email", WRONG)
    assert unknown.value.message == wrong.value.message == malformed.value.message
    assert unknown.value.message == "Wrong email or password."


@pytest.fixture
def measurable_hashing(monkeypatch):
    """bcrypt at cost 8, so skipping the hash would show against the database's own time."""
    monkeypatch.setattr(get_settings(), "bcrypt_rounds", 8)
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()


def test_an_unknown_email_takes_about_as_long_to_refuse_as_a_wrong_password(
    measurable_hashing, make_user, request_session
) -> None:
    learner = make_user()

    def seconds_to_refuse(email: str) -> float:
        started = time.perf_counter()
        with pytest.raises(NotAuthenticated):
            attempt(request_session, email, WRONG)
        return time.perf_counter() - started

    seconds_to_refuse("nobody@example.com")  # the first unknown email makes the dummy hash
    unknown, wrong = [], []
    for _ in range(4):  # fewer than the five failures that lock the account
        unknown.append(seconds_to_refuse("nobody@example.com"))
        wrong.append(seconds_to_refuse(learner.email))
    unknown_time, wrong_time = statistics.median(unknown), statistics.median(wrong)
    assert unknown_time > wrong_time / 3
    assert wrong_time > unknown_time / 3


def test_five_wrong_passwords_make_the_next_try_from_that_address_wait(
    learner, request_session
) -> None:
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            attempt(request_session, learner.email, WRONG)
    with pytest.raises(RateLimited) as caught:
        attempt(request_session, learner.email, WRONG)
    assert caught.value.status_code == 429
    assert caught.value.message == "Too many failed sign-ins. Try again in 1 second."


def test_the_right_password_from_another_address_is_never_held_up(
    learner, password, request_session
) -> None:
    for _ in range(8):
        with pytest.raises((NotAuthenticated, RateLimited)), request_session() as s:
            auth.sign_in(s, email=learner.email, password=WRONG, ip="203.0.113.9")

    with request_session() as s:
        signed = auth.sign_in(s, email=learner.email, password=password, ip="198.51.100.7")
    assert signed.user.id == learner.id


def test_the_wait_doubles_per_failure_and_a_right_password_clears_it(
    learner, password, request_session
) -> None:
    waits = [
        sign_in_backoff.fail(learner.email, "203.0.113.9", free=5, cap_seconds=900)
        for _ in range(7)
    ]
    assert waits == [0, 0, 0, 0, 1, 2, 4]
    assert sign_in_backoff.fail("x@example.com", "c", free=1, cap_seconds=900) == 1
    for _ in range(20):
        capped = sign_in_backoff.fail("x@example.com", "c", free=1, cap_seconds=900)
    assert capped == 900

    sign_in_backoff.clear(learner.email, "203.0.113.9")
    with request_session() as s:
        auth.sign_in(s, email=learner.email, password=password, ip="203.0.113.9")
    assert sign_in_backoff.failures(learner.email, "203.0.113.9") == 0


def test_an_unknown_email_backs_off_exactly_like_a_known_one(learner, request_session) -> None:
    def answers(email: str) -> list[tuple[str, int]]:
        seen = []
        for _ in range(6):
            try:
                attempt(request_session, email, WRONG)
            except (NotAuthenticated, RateLimited) as refused:
                seen.append((refused.message, refused.status_code))
        return seen

    assert answers(learner.email) == answers("nobody@example.com")


def test_a_right_password_resets_the_count_of_failures(
    learner, password, request_session, engine
) -> None:
    for _ in range(4):
        with pytest.raises(NotAuthenticated):
            attempt(request_session, learner.email, WRONG)
    attempt(request_session, learner.email, password)
    assert stored(engine, learner).failed_logins == 0
    with pytest.raises(NotAuthenticated):
        attempt(request_session, learner.email, WRONG)  # one failure, not a fifth


def test_a_failed_attempt_is_counted_even_though_the_callers_transaction_rolls_back(
    learner, request_session, engine, audit_events
) -> None:
    with pytest.raises(NotAuthenticated):
        attempt(request_session, learner.email, WRONG)  # session_scope rolls back on raise
    assert stored(engine, learner).failed_logins == 1
    assert len(audit_events("auth.sign_in_failed")) == 1


def test_a_disabled_account_cannot_sign_in_with_the_right_password(
    learner, password, request_session
) -> None:
    with request_session() as s:
        s.exec(update(User).where(User.id == learner.id).values(is_active=False))
    with pytest.raises(NotAuthenticated, match="This account is disabled"):
        attempt(request_session, learner.email, password)


def test_a_disabled_account_with_a_wrong_password_gets_the_usual_message(
    learner, request_session
) -> None:
    with request_session() as s:
        s.exec(update(User).where(User.id == learner.id).values(is_active=False))
    with pytest.raises(NotAuthenticated, match="Wrong email or password"):
        attempt(request_session, learner.email, WRONG)


def test_sign_ins_from_one_address_are_rate_limited(
    learner, password, request_session, monkeypatch
) -> None:
    monkeypatch.setattr(get_settings(), "sign_in_rate_limit", 3)
    for _ in range(3):
        with pytest.raises(NotAuthenticated), request_session() as s:
            auth.sign_in(s, email="nobody@example.com", password=WRONG, ip="203.0.113.9")
    with pytest.raises(RateLimited), request_session() as s:
        auth.sign_in(s, email=learner.email, password=password, ip="203.0.113.9")
    with request_session() as s:
        auth.sign_in(s, email=learner.email, password=password, ip="198.51.100.7")
