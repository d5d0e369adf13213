"""Sign-in tokens: HS256 JWTs signed with the portal's own key, and nothing else accepted."""

import base64
import json
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from learn_app.config import get_settings
from learn_app.services.accounts import tokens
from learn_app.services.errors import NotAuthenticated

NOW = datetime.now(UTC).replace(microsecond=0)


def claims(**overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "sub": "42",
        "jti": "b7f0c1d2e3f4",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
    }
    payload.update(overrides)
    return {key: value for key, value in payload.items() if value is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def refusal(token: str) -> str:
    with pytest.raises(NotAuthenticated) as caught:
        tokens.decode(token)
    return caught.value.message


def test_a_token_the_portal_issued_decodes_to_its_claims() -> None:
    token = tokens.issue(42, "b7f0c1d2e3f4", NOW, NOW + timedelta(hours=1))
    decoded = tokens.decode(token)
    assert decoded.user_id == 42
    assert decoded.jti == "b7f0c1d2e3f4"
    assert decoded.issued_at == NOW
    assert decoded.expires_at == NOW + timedelta(hours=1)


def test_a_token_signed_with_another_key_is_refused() -> None:
    forged = jwt.encode(claims(), "someone-elses-secret-key-of-decent-length", algorithm="HS256")
    assert refusal(forged) == "Please sign in."


def test_a_token_with_alg_none_is_refused() -> None:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = f"{header}.{b64(json.dumps(claims()).encode())}."
    assert refusal(unsigned) == "Please sign in."


def test_a_token_signed_with_the_right_key_but_another_algorithm_is_refused() -> None:
    other_alg = jwt.encode(claims(), tokens.signing_key(), algorithm="HS512")
    assert refusal(other_alg) == "Please sign in."


def test_a_token_whose_payload_was_changed_is_refused() -> None:
    token = tokens.issue(42, "b7f0c1d2e3f4", NOW, NOW + timedelta(hours=1))
    header, payload, signature = token.split(".")
    changed = json.loads(unb64(payload)) | {"sub": "1"}
    tampered = f"{header}.{b64(json.dumps(changed).encode())}.{signature}"
    assert refusal(tampered) == "Please sign in."


def test_an_expired_token_is_refused_saying_the_session_expired() -> None:
    token = tokens.issue(42, "b7f0c1d2e3f4", NOW - timedelta(hours=2), NOW - timedelta(hours=1))
    assert refusal(token) == "Your session has expired. Please sign in again."


def test_a_token_accepted_before_is_refused_once_it_has_expired(monkeypatch) -> None:
    now = datetime.now(UTC).replace(microsecond=0)  # this module's NOW may be minutes old
    expires = now + timedelta(minutes=5)
    token = tokens.issue(42, "c8e1d2f3a4b5", now, expires)
    assert tokens.decode(token).jti == "c8e1d2f3a4b5"  # verified, and remembered as verified

    monkeypatch.setattr(tokens.time, "time", lambda: expires.timestamp() + 1)

    assert refusal(token) == "Your session has expired. Please sign in again."


def test_a_token_accepted_before_is_verified_again_under_another_key(monkeypatch) -> None:
    token = tokens.issue(42, "d9f2e3a4b5c6", NOW, NOW + timedelta(hours=1))
    assert tokens.decode(token).user_id == 42

    monkeypatch.setattr(tokens, "signing_key", lambda: "a-new-key-after-a-rotation-of-the-secret")

    assert refusal(token) == "Please sign in."


@pytest.mark.parametrize("missing", ["sub", "jti", "iat", "exp"])
def test_a_token_missing_a_claim_is_refused(missing: str) -> None:
    token = jwt.encode(claims(**{missing: None}), tokens.signing_key(), algorithm="HS256")
    assert refusal(token) == "Please sign in."


def test_a_token_whose_subject_is_not_a_user_id_is_refused() -> None:
    token = jwt.encode(claims(sub="admin"), tokens.signing_key(), algorithm="HS256")
    assert refusal(token) == "Please sign in."


@pytest.mark.parametrize("token", ["", "not.a.token", "a" * 5000])
def test_an_empty_malformed_or_oversized_token_is_refused(token: str) -> None:
    assert refusal(token) == "Please sign in."


@pytest.fixture
def fresh_data_dir(tmp_path: Path, monkeypatch) -> Iterator[Path]:
    """Settings pointing at an empty data dir with no secret configured; caches restored after."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("LEARN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LEARN_SECRET_KEY", "")
    get_settings.cache_clear()
    tokens.signing_key.cache_clear()
    yield data_dir
    # The environment is restored after this; the next caller re-reads the real settings.
    get_settings.cache_clear()
    tokens.signing_key.cache_clear()


def test_without_a_configured_secret_a_key_file_only_the_owner_can_read_is_created(
    fresh_data_dir: Path,
) -> None:
    key = tokens.signing_key()
    key_file = fresh_data_dir / "secret_key"
    assert key_file.read_text().strip() == key
    assert len(key) >= 43
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_key_file_is_reused_after_a_restart_so_tokens_stay_valid(
    fresh_data_dir: Path,
) -> None:
    token = tokens.issue(42, "b7f0c1d2e3f4", NOW, NOW + timedelta(hours=1))
    first_key = tokens.signing_key()
    tokens.signing_key.cache_clear()  # as a new process would
    assert tokens.signing_key() == first_key
    assert tokens.decode(token).user_id == 42


def test_a_key_file_with_loose_permissions_is_tightened_to_0600(fresh_data_dir: Path) -> None:
    fresh_data_dir.mkdir(parents=True)
    key_file = fresh_data_dir / "secret_key"
    key_file.write_text("an-existing-secret-key-from-an-earlier-run\n")
    key_file.chmod(0o644)
    assert tokens.signing_key() == "an-existing-secret-key-from-an-earlier-run"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_configured_secret_is_used_and_no_key_file_is_written(
    fresh_data_dir: Path, monkeypatch
) -> None:
    monkeypatch.setenv("LEARN_SECRET_KEY", "a-secret-from-the-environment-of-decent-length")
    get_settings.cache_clear()
    assert tokens.signing_key() == "a-secret-from-the-environment-of-decent-length"
    assert not (fresh_data_dir / "secret_key").exists()


def test_the_first_sign_ins_at_once_all_get_the_one_key_written(fresh_data_dir: Path) -> None:
    """A new portal's first sign-ins arrive together, in several threads (and workers)."""
    make_key = tokens.signing_key.__wrapped__  # each call as a worker's first would be
    for _new_portal in range(10):
        (fresh_data_dir / "secret_key").unlink(missing_ok=True)
        start = threading.Barrier(16)
        keys: list[str] = []
        failures: list[BaseException] = []

        def first_sign_in(start=start, keys=keys, failures=failures) -> None:
            start.wait()
            try:
                keys.append(make_key())
            except BaseException as error:  # any failure is the finding
                failures.append(error)

        threads = [threading.Thread(target=first_sign_in) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert failures == []
        written = (fresh_data_dir / "secret_key").read_text().strip()
        assert len(keys) == 16 and set(keys) == {written}
        assert [path.name for path in fresh_data_dir.iterdir()] == ["secret_key"]
