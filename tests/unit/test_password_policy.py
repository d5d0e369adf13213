"""What the portal accepts as a password, and how it tells people when it doesn't."""

import time

import pytest

from learn_app.services.accounts import passwords
from learn_app.services.errors import InvalidInput


def refusal(password: str, *, email: str = "") -> str:
    with pytest.raises(InvalidInput) as caught:
        passwords.check_policy(password, email=email)
    assert caught.value.field == "password"
    return caught.value.message


def test_an_empty_password_is_refused() -> None:
    assert refusal("") == "Enter a password."


def test_a_password_shorter_than_ten_characters_is_refused_with_the_minimum_named() -> None:
    assert "at least 10 characters" in refusal("k7#pQ2!mz")


def test_a_ten_character_password_is_accepted() -> None:
    passwords.check_policy("k7#pQ2!mzX")


def test_a_password_of_exactly_1024_characters_is_accepted() -> None:
    passwords.check_policy(("tide pool crab " * 100)[:1024])


def test_a_password_over_1024_characters_is_refused_with_the_maximum_named() -> None:
    assert "at most 1024 characters" in refusal(("tide pool crab " * 100)[:1025])


def test_a_one_megabyte_password_is_refused_quickly_without_any_hashing(monkeypatch) -> None:
    def no_bcrypt(*_args: object) -> bytes:
        raise AssertionError("bcrypt must not run on an oversized password")

    monkeypatch.setattr(passwords.bcrypt, "hashpw", no_bcrypt)
    monkeypatch.setattr(passwords.bcrypt, "checkpw", no_bcrypt)
    huge = "x7" * 512 * 1024

    started = time.perf_counter()
    assert "at most 1024 characters" in refusal(huge)
    assert passwords.verify_password(huge, "$2b$04$" + "a" * 53) is False
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("password", ["password123", "PASSWORD123", "QwErTyUiOp", "Letmein123"])
def test_a_common_password_is_refused_whatever_its_case(password: str) -> None:
    assert "too common" in refusal(password)


def test_a_password_of_one_repeated_character_is_refused() -> None:
    assert "too common" in refusal("z" * 16)


def test_a_password_equal_to_the_email_address_is_refused_whatever_its_case() -> None:
    message = refusal("Ada.Lovelace@Example.com", email="ada.lovelace@example.com")
    assert message == "Your password can't be your email address."


@pytest.mark.parametrize(
    "password",
    ["パスワードはとても長いです", "contraseña-ñandú", "пароль-надёжный", "🦊🐙🦉🐢🦔🐝🦋🐞🐌🦀"],
)
def test_a_non_ascii_password_is_accepted_and_verifies(password: str) -> None:
    passwords.check_policy(password)
    stored = passwords.hash_password(password, rounds=4)
    assert passwords.verify_password(password, stored)
    assert not passwords.verify_password(password + "!", stored)
