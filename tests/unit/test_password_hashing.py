"""How passwords are stored: bcrypt over a SHA-256 pre-digest."""

from learn_app.config import Settings
from learn_app.services.accounts import passwords


def test_bcrypt_cost_defaults_to_12(monkeypatch) -> None:
    monkeypatch.delenv("LEARN_BCRYPT_ROUNDS", raising=False)
    assert Settings.model_fields["bcrypt_rounds"].default == 12
    assert Settings(_env_file=None).bcrypt_rounds == 12


def test_a_hash_made_at_cost_12_says_so_and_verifies() -> None:
    stored = passwords.hash_password("correct horse battery staple", rounds=12)
    assert stored.startswith("$2b$12$")
    assert passwords.verify_password("correct horse battery staple", stored)


def test_the_same_password_hashes_differently_each_time() -> None:
    first = passwords.hash_password("correct horse battery staple", rounds=4)
    second = passwords.hash_password("correct horse battery staple", rounds=4)
    assert first != second
    assert passwords.verify_password("correct horse battery staple", second)


def test_a_wrong_password_does_not_verify() -> None:
    stored = passwords.hash_password("correct horse battery staple", rounds=4)
    assert not passwords.verify_password("correct horse battery stapler", stored)


def test_passwords_sharing_their_first_72_bytes_are_told_apart() -> None:
    shared = "a long passphrase that runs on and on past what bcrypt reads by itself.."
    assert len(shared.encode()) == 72
    stored = passwords.hash_password(shared + " one", rounds=4)
    assert passwords.verify_password(shared + " one", stored)
    assert not passwords.verify_password(shared + " two", stored)
    assert not passwords.verify_password(shared, stored)


def test_multibyte_passwords_sharing_their_first_72_bytes_are_told_apart() -> None:
    shared = "é" * 36
    assert len(shared.encode()) == 72
    stored = passwords.hash_password(shared + "ñ", rounds=4)
    assert not passwords.verify_password(shared + "n", stored)


def test_a_malformed_stored_hash_never_matches() -> None:
    assert not passwords.verify_password("correct horse battery staple", "not-a-bcrypt-hash")
    assert not passwords.verify_password("correct horse battery staple", "")
