"""Email addresses: one spelling per account, and a clear refusal for anything else."""

import pytest

from learn_app.services.accounts.auth import normalize_email
from learn_app.services.errors import InvalidInput


def test_an_email_is_lower_cased_and_trimmed() -> None:
    assert normalize_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"


def test_an_internationalised_email_is_accepted() -> None:
    assert normalize_email("josé@exämple.com") == "josé@exämple.com"


def test_an_internationalised_email_is_lower_cased_too() -> None:
    assert normalize_email("JOSÉ@EXÄMPLE.COM") == "josé@exämple.com"


def test_decomposed_and_composed_accents_give_the_same_address() -> None:
    assert normalize_email("jose\u0301@example.com") == normalize_email("jos\u00e9@example.com")


@pytest.mark.parametrize(
    "garbage",
    [
        "not-an-email",
        "ada@",
        "@example.com",
        "ada@@example.com",
        "ada lovelace@example.com",
        "ada@example..com",
        "ada@localhost",
        "Robert'); DROP TABLE user;--@example.com",
    ],
)
def test_a_malformed_email_is_refused_with_a_message_for_the_email_field(garbage: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_email(garbage)
    assert caught.value.field == "email"
    assert caught.value.message.startswith("That email address is not valid")


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_missing_email_asks_for_one(blank: str | None) -> None:
    with pytest.raises(InvalidInput, match="Enter your email address"):
        normalize_email(blank)  # type: ignore[arg-type]


def test_an_overlong_email_is_refused_before_validation() -> None:
    with pytest.raises(InvalidInput, match="too long"):
        normalize_email("a" * 400 + "@example.com")
