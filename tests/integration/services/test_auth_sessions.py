"""Signed-in sessions: what a token is worth once it has been issued."""

from datetime import timedelta

import pytest
from sqlmodel import Session, update

from learn_app.models import AuthSession, User
from learn_app.models.base import utcnow
from learn_app.services.accounts import auth, tokens
from learn_app.services.errors import InvalidInput, NotAuthenticated, NotFound, RateLimited

pytestmark = pytest.mark.integration

ENDED = "Your session has ended. Please sign in again."


def whoami(request_session, token: str) -> auth.Caller:
    with request_session() as s:
        return auth.authenticate(s, token)


def refusal(request_session, token: str | None) -> str:
    with pytest.raises(NotAuthenticated) as caught:
        whoami(request_session, token)
    return caught.value.message


def test_no_token_is_refused(request_session, learner) -> None:
    assert refusal(request_session, None) == "Please sign in."


def test_a_signed_out_token_is_refused(learner, sign_in, request_session) -> None:
    token = sign_in(learner)
    with request_session() as s:
        auth.sign_out(s, token)
    assert refusal(request_session, token) == ENDED


def test_signing_out_twice_is_not_an_error(learner, sign_in, request_session) -> None:
    token = sign_in(learner)
    for _ in range(2):
        with request_session() as s:
            auth.sign_out(s, token)


def test_signing_out_ends_only_that_device(learner, sign_in, request_session) -> None:
    laptop, phone = sign_in(learner), sign_in(learner)
    with request_session() as s:
        auth.sign_out(s, laptop)
    assert whoami(request_session, phone).user.id == learner.id


def test_a_token_whose_session_expired_in_the_database_is_refused(
    learner, sign_in, request_session
) -> None:
    token = sign_in(learner)
    with request_session() as s:
        s.exec(
            update(AuthSession)
            .where(AuthSession.id == tokens.decode(token).jti)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert refusal(request_session, token) == ENDED


def test_a_validly_signed_token_for_a_session_that_does_not_exist_is_refused(
    learner, request_session
) -> None:
    now = utcnow()
    token = tokens.issue(learner.id, tokens.new_token_id(), now, now + timedelta(hours=1))
    assert refusal(request_session, token) == ENDED


def test_a_token_naming_another_user_than_its_session_is_refused(
    learner, make_user, sign_in, request_session
) -> None:
    other = make_user()
    claims = tokens.decode(sign_in(learner))
    forged = tokens.issue(other.id, claims.jti, claims.issued_at, claims.expires_at)
    assert refusal(request_session, forged) == ENDED


def test_a_disabled_users_token_is_refused(learner, sign_in, request_session) -> None:
    token = sign_in(learner)
    with request_session() as s:
        s.exec(update(User).where(User.id == learner.id).values(is_active=False))
    assert refusal(request_session, token) == ENDED


def test_list_sessions_shows_the_live_sessions_newest_first(
    learner, sign_in, request_session
) -> None:
    oldest, revoked, newest = sign_in(learner), sign_in(learner), sign_in(learner)
    with request_session() as s:
        auth.sign_out(s, revoked)
    with request_session() as s:
        listed = auth.list_sessions(s, learner)
    assert [row.id for row in listed] == [tokens.decode(newest).jti, tokens.decode(oldest).jti]


def test_list_sessions_leaves_out_expired_sessions(learner, sign_in, request_session) -> None:
    sign_in(learner)
    with request_session() as s:
        s.exec(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    with request_session() as s:
        assert auth.list_sessions(s, learner) == []


def test_list_sessions_shows_only_the_users_own_sessions(
    learner, make_user, sign_in, request_session
) -> None:
    sign_in(make_user())
    mine = sign_in(learner)
    with request_session() as s:
        assert [row.id for row in auth.list_sessions(s, learner)] == [tokens.decode(mine).jti]


def test_a_user_can_revoke_one_of_their_own_sessions(learner, sign_in, request_session) -> None:
    current, other_device = sign_in(learner), sign_in(learner)
    with request_session() as s:
        auth.revoke_session(s, learner, tokens.decode(other_device).jti)
    assert refusal(request_session, other_device) == ENDED
    assert whoami(request_session, current).user.id == learner.id


def test_revoking_another_users_session_is_not_found_and_leaves_it_alive(
    learner, make_user, sign_in, request_session
) -> None:
    victim = make_user()
    victims_token = sign_in(victim)
    with pytest.raises(NotFound), request_session() as s:
        auth.revoke_session(s, learner, tokens.decode(victims_token).jti)
    assert whoami(request_session, victims_token).user.id == victim.id


def test_revoking_a_session_that_does_not_exist_is_not_found(learner, request_session) -> None:
    with pytest.raises(NotFound), request_session() as s:
        auth.revoke_session(s, learner, "no-such-session")


NEW_PASSWORD = "a brand new passphrase"


def test_changing_the_password_needs_the_current_one(
    learner, sign_in, request_session, password
) -> None:
    token = sign_in(learner)
    with pytest.raises(InvalidInput) as caught, request_session() as s:
        caller = auth.authenticate(s, token)
        auth.change_password(
            s, caller, current_password="not the right password", new_password=NEW_PASSWORD
        )
    assert caught.value.field == "current_password"
    assert sign_in(learner, password)


def test_a_new_password_must_meet_the_policy(learner, sign_in, request_session) -> None:
    token = sign_in(learner)
    with pytest.raises(InvalidInput) as caught, request_session() as s:
        caller = auth.authenticate(s, token)
        auth.change_password(
            s, caller, current_password="correct horse battery staple", new_password="password123"
        )
    assert caught.value.field == "new_password"
    assert "too common" in caught.value.message


def test_a_new_password_must_differ_from_the_current_one(
    learner, sign_in, request_session, password
) -> None:
    token = sign_in(learner)
    with pytest.raises(InvalidInput, match="must differ"), request_session() as s:
        caller = auth.authenticate(s, token)
        auth.change_password(s, caller, current_password=password, new_password=password)


def test_after_a_password_change_only_the_new_password_signs_in(
    learner, sign_in, request_session, password
) -> None:
    token = sign_in(learner)
    with request_session() as s:
        caller = auth.authenticate(s, token)
        auth.change_password(s, caller, current_password=password, new_password=NEW_PASSWORD)
    assert sign_in(learner, NEW_PASSWORD)
    with pytest.raises(NotAuthenticated):
        sign_in(learner, password)


def test_a_password_change_signs_out_other_devices_but_keeps_this_one(
    learner, sign_in, request_session, password
) -> None:
    this_device, laptop, phone = sign_in(learner), sign_in(learner), sign_in(learner)
    with request_session() as s:
        caller = auth.authenticate(s, this_device)
        revoked = auth.change_password(
            s, caller, current_password=password, new_password=NEW_PASSWORD
        )
    assert revoked == 2
    assert refusal(request_session, laptop) == ENDED
    assert refusal(request_session, phone) == ENDED
    assert whoami(request_session, this_device).user.id == learner.id


def test_a_password_change_leaves_other_peoples_sessions_alone(
    learner, make_user, sign_in, request_session, password
) -> None:
    someone_else = make_user()
    their_token = sign_in(someone_else)
    with request_session() as s:
        caller = auth.authenticate(s, sign_in(learner))
        auth.change_password(s, caller, current_password=password, new_password=NEW_PASSWORD)
    assert whoami(request_session, their_token).user.id == someone_else.id


def test_authenticating_refreshes_when_the_session_was_last_seen(
    learner, sign_in, request_session, engine
) -> None:
    token = sign_in(learner)
    jti = tokens.decode(token).jti
    long_ago = utcnow() - timedelta(hours=1)
    with request_session() as s:
        s.exec(update(AuthSession).where(AuthSession.id == jti).values(last_seen_at=long_ago))
    whoami(request_session, token)
    with Session(engine) as s:
        assert s.get(AuthSession, jti).last_seen_at > long_ago + timedelta(minutes=59)


def test_guessing_the_current_password_is_stopped_after_five_failures(
    learner, sign_in, request_session, password
) -> None:
    token = sign_in(learner)

    def change(current: str) -> None:
        with request_session() as s:
            caller = auth.authenticate(s, token)
            auth.change_password(s, caller, current_password=current, new_password=NEW_PASSWORD)

    for guess in range(5):
        with pytest.raises(InvalidInput):
            change(f"guess number {guess}")
    # Even the right password is not checked now: the guesses are over the limit.
    with pytest.raises(RateLimited) as caught:
        change(password)
    assert caught.value.retry_after > 0
    assert sign_in(learner, password)


def test_a_session_id_with_odd_characters_is_simply_not_found(learner, sign_in, request_session):
    token = sign_in(learner)
    with pytest.raises(NotFound), request_session() as s:
        caller = auth.authenticate(s, token)
        auth.revoke_session(s, caller.user, "abc\x00def")
