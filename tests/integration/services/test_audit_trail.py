"""The security trail: each security-relevant event leaves an audit_event row."""

import pytest

from learn_app.models import Role
from learn_app.services.accounts import auth
from learn_app.services.errors import InvalidInput, NotAuthenticated

pytestmark = pytest.mark.integration

WRONG = "not the right password"


def test_a_sign_in_is_audited(learner, sign_in, audit_events) -> None:
    sign_in(learner)
    [event] = audit_events("auth.signed_in")
    assert event.user_id == learner.id


def test_a_sign_in_records_the_clients_address(learner, password, request_session, audit_events):
    with request_session() as s:
        auth.sign_in(s, email=learner.email, password=password, ip="203.0.113.9")
    assert audit_events("auth.signed_in")[0].ip == "203.0.113.9"


def test_a_failed_sign_in_is_audited(learner, sign_in, audit_events) -> None:
    with pytest.raises(NotAuthenticated):
        sign_in(learner, WRONG)
    [event] = audit_events("auth.sign_in_failed")
    assert event.user_id == learner.id
    assert event.detail["failures"] == 1


def test_a_sign_in_with_an_unknown_email_is_audited_without_a_user(
    request_session, audit_events
) -> None:
    with pytest.raises(NotAuthenticated), request_session() as s:
        auth.sign_in(s, email="nobody@example.com", password=WRONG)
    [event] = audit_events("auth.sign_in_failed")
    assert event.user_id is None
    assert event.detail["reason"] == "unknown_email"


def test_every_failed_sign_in_is_audited_and_no_lock_is_set(
    learner, password, sign_in, audit_events
) -> None:
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            sign_in(learner, WRONG)
    assert [e.user_id for e in audit_events("auth.sign_in_failed")] == [learner.id] * 5
    assert audit_events("auth.account_locked") == []


def test_a_sign_out_is_audited(learner, sign_in, request_session, audit_events) -> None:
    token = sign_in(learner)
    with request_session() as s:
        auth.sign_out(s, token)
    [event] = audit_events("auth.signed_out")
    assert event.user_id == learner.id


def test_a_password_change_is_audited(
    learner, password, sign_in, request_session, audit_events
) -> None:
    with request_session() as s:
        caller = auth.authenticate(s, sign_in(learner))
        auth.change_password(
            s, caller, current_password=password, new_password="a brand new passphrase"
        )
    [event] = audit_events("auth.password_changed")
    assert event.user_id == learner.id


def test_a_failed_password_change_is_audited(learner, sign_in, request_session, audit_events):
    with pytest.raises(InvalidInput, match="current password"), request_session() as s:
        caller = auth.authenticate(s, sign_in(learner))
        auth.change_password(
            s, caller, current_password=WRONG, new_password="a brand new passphrase"
        )
    assert [e.user_id for e in audit_events("auth.password_change_failed")] == [learner.id]


def test_a_role_change_is_audited_with_who_changed_it(
    session, admin, learner, audit_events
) -> None:
    auth.set_role(session, admin, learner.id, Role.teacher.value)
    session.commit()
    [event] = audit_events("user.role_changed")
    assert event.user_id == learner.id
    assert event.actor_id == admin.id
    assert event.detail == {"old_role": "learner", "new_role": "teacher"}


def test_setting_the_role_someone_already_has_is_not_audited(
    session, admin, learner, audit_events
) -> None:
    auth.set_role(session, admin, learner.id, Role.learner.value)
    session.commit()
    assert audit_events("user.role_changed") == []


def test_the_audit_trail_never_holds_the_password(learner, password, sign_in, audit_events) -> None:
    with pytest.raises(NotAuthenticated):
        sign_in(learner, WRONG)
    sign_in(learner, password)
    for name in ("auth.sign_in_failed", "auth.signed_in"):
        for event in audit_events(name):
            assert WRONG not in str(event.detail)
            assert password not in str(event.detail)
