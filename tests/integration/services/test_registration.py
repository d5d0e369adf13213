"""Signing up."""

import pytest
from sqlmodel import Session, select

from learn_app.models import Role, User
from learn_app.services.accounts import auth
from learn_app.services.errors import Conflict, InvalidInput, RateLimited

pytestmark = pytest.mark.integration


def stored_user(engine, email: str) -> User | None:
    with Session(engine) as s:
        return s.exec(select(User).where(User.email == email)).first()


def test_signing_up_creates_a_learner_account(session, engine, password) -> None:
    auth.register(session, email="ada@example.com", password=password, display_name="Ada")
    session.commit()
    user = stored_user(engine, "ada@example.com")
    assert user is not None
    assert user.role == Role.learner.value
    assert user.display_name == "Ada"
    assert user.is_active
    assert user.failed_logins == 0


def test_the_password_is_stored_only_as_a_bcrypt_hash(session, engine, password) -> None:
    auth.register(session, email="ada@example.com", password=password, display_name="Ada")
    session.commit()
    user = stored_user(engine, "ada@example.com")
    assert user is not None
    assert password not in user.password_hash
    assert user.password_hash.startswith("$2b$")


def test_the_email_is_stored_lower_cased(session, engine, password) -> None:
    auth.register(session, email="Ada.Lovelace@EXAMPLE.com", password=password, display_name="Ada")
    session.commit()
    assert stored_user(engine, "ada.lovelace@example.com") is not None


def test_an_email_already_in_use_in_any_case_is_a_conflict(session, password) -> None:
    auth.register(session, email="ada@example.com", password=password, display_name="Ada")
    session.commit()
    with pytest.raises(Conflict) as caught:
        auth.register(session, email="ADA@example.com", password=password, display_name="Ada 2")
    assert caught.value.field == "email"
    assert "already exists" in caught.value.message


def test_a_display_name_with_sql_metacharacters_is_stored_verbatim(
    session, engine, password
) -> None:
    name = "Robert'); DROP TABLE user;--"
    auth.register(session, email="bobby@example.com", password=password, display_name=name)
    session.commit()
    user = stored_user(engine, "bobby@example.com")
    assert user is not None
    assert user.display_name == name


def test_a_display_name_has_its_whitespace_collapsed(session, engine, password) -> None:
    auth.register(
        session, email="ada@example.com", password=password, display_name="  Ada \t Lovelace "
    )
    session.commit()
    assert stored_user(engine, "ada@example.com").display_name == "Ada Lovelace"


@pytest.mark.parametrize("name", ["", "   ", "Ada\x00", "A" * 81])
def test_an_empty_overlong_or_control_character_display_name_is_refused(
    session, engine, password, name
) -> None:
    with pytest.raises(InvalidInput) as caught:
        auth.register(session, email="ada@example.com", password=password, display_name=name)
    assert caught.value.field == "display_name"
    session.rollback()
    assert stored_user(engine, "ada@example.com") is None


def test_a_weak_password_is_refused_and_no_account_is_created(session, engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        auth.register(session, email="ada@example.com", password="password123", display_name="Ada")
    assert caught.value.field == "password"
    session.rollback()
    assert stored_user(engine, "ada@example.com") is None


def test_sign_ups_from_one_address_are_rate_limited(session, password, monkeypatch) -> None:
    from learn_app.config import get_settings

    monkeypatch.setattr(get_settings(), "sign_up_rate_limit", 2)
    for number in range(2):
        auth.register(
            session,
            email=f"ada{number}@example.com",
            password=password,
            display_name="Ada",
            ip="203.0.113.9",
        )
    with pytest.raises(RateLimited):
        auth.register(
            session,
            email="ada2@example.com",
            password=password,
            display_name="Ada",
            ip="203.0.113.9",
        )
