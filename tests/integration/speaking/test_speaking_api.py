"""POST /api/speaking/attempts and GET /api/speaking/attempts/{id}, over real HTTP, with the
real scoring worker: a spoken word is scored, kept and recorded as a review; a recording that
cannot be scored is refused with its reason and leaves nothing behind."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest
from sqlmodel import func, select

from learn_app.models import Review
from learn_app.models.speaking import PronunciationAttempt
from learn_app.services.speaking import voices


def _wav(samples: np.ndarray, rate: int = 16_000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def _post(client, account, word_id: int, data: bytes, part: str = "term", **extra):
    return client.post(
        "/api/speaking/attempts",
        data={"word_id": str(word_id), "part": part, **extra},
        files={"audio": ("attempt.wav", data, "audio/wav")},
        headers=account.headers,
        timeout=180,
    )


def _stored(session) -> tuple[int, int]:
    session.expire_all()
    attempts = session.exec(select(func.count()).select_from(PronunciationAttempt)).one()
    reviews = session.exec(select(func.count()).select_from(Review)).one()
    return attempts, reviews


def test_a_sentence_said_right_scores_well_and_is_kept_as_a_good_review(
    client, learner, content, session
) -> None:
    said = voices.learner("ja", "猫がいます。", 1)

    response = _post(client, learner, content.words["猫"], _wav(said), part="example")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["target"] == "猫がいます。"
    assert body["target_kana"] == "ねこがいます"
    assert body["score"] >= 70
    assert body["rating"] in ("good", "hard")
    assert [w["text"] for w in body["words"]] == ["猫", "が", "い", "ます"]
    assert [m["text"] for m in body["words"][0]["morae"]] == ["ね", "こ"]
    assert body["reference_pitch"]["semitones"] and body["learner_pitch"]["semitones"]
    assert _stored(session) == (1, 1)
    review = session.exec(select(Review)).one()
    assert review.word_id == content.words["猫"]
    assert review.rating == body["rating"]

    again = client.get(f"/api/speaking/attempts/{body['id']}", headers=learner.headers)
    assert again.status_code == 200
    assert again.json()["score"] == body["score"]
    replay = client.get(body["audio_url"])  # a signed link, as an <audio> element fetches it
    assert replay.status_code == 200
    assert replay.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(replay.content)) as kept:
        assert kept.getframerate() == 16_000
        assert kept.getnframes() / 16_000 == pytest.approx(said.size / 16_000, abs=0.05)


def test_a_different_word_said_instead_scores_low_and_is_rated_again(
    client, learner, content, session
) -> None:
    said = voices.learner("es", "pan", 0)

    response = _post(client, learner, content.words["manzana"], _wav(said))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["score"] < 40
    assert body["rating"] == "again"
    assert body["words"][0]["text"] == "manzana"
    assert body["words"][0]["ipa"]  # the word's IPA, to say it from
    assert session.exec(select(Review)).one().rating == "again"


@pytest.mark.parametrize(
    ("recording", "status", "message"),
    [
        (_wav(np.zeros(32_000, dtype=np.float32)), 422, "Nothing could be heard"),
        (_wav(np.full(32_000, 0.999, dtype=np.float32) * np.sign(np.sin(np.arange(32_000)))),
         422, "too loud"),
        (_wav(np.zeros(1_000, dtype=np.float32)), 422, "too short"),
        (_wav(np.random.default_rng(3).normal(0, 0.1, 16_000 * 31).astype(np.float32)),
         422, "longer than 30 seconds"),
        (b"%PDF-1.4 not a recording" * 50, 422, "could not be read"),
        (_wav(np.ones(32_000, dtype=np.float32) * 0.1)[:60] + b"\xff" * 3000, 422, ""),
    ],
    ids=["silence", "clipping", "too-short", "too-long", "wrong-format", "corrupt"],
)  # fmt: skip
def test_a_recording_that_cannot_be_scored_is_refused_and_nothing_is_kept(
    client, learner, content, session, recording, status, message
) -> None:
    response = _post(client, learner, content.words["pan"], recording)

    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert response.json()["detail"]
    assert _stored(session) == (0, 0)


def test_a_50_mb_upload_is_refused_before_it_is_read(client, learner, content, session) -> None:
    response = _post(client, learner, content.words["pan"], b"\0" * (50 * 1024 * 1024))

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert _stored(session) == (0, 0)


def test_an_attempt_is_its_learners_alone(client, learner, new_account, content) -> None:
    created = _post(client, learner, content.words["pan"], _wav(voices.learner("es", "pan", 2)))
    assert created.status_code == 201, created.text
    someone_else = new_account()

    response = client.get(
        f"/api/speaking/attempts/{created.json()['id']}", headers=someone_else.headers
    )

    assert response.status_code == 404


def test_a_word_of_a_course_without_speaking_or_an_unknown_part_is_refused(
    client, learner, content
) -> None:
    said = _wav(voices.learner("es", "pan", 0))

    assert _post(client, learner, content.words["pan"], said, part="meaning").status_code == 422
    assert _post(client, learner, 999_999, said).status_code == 404
    no_example = _post(client, learner, content.words["pan"], said, part="example")
    assert no_example.status_code == 404
    assert "no example sentence" in no_example.json()["detail"]


def _english_word(session, term: str) -> int:
    """The id of a word of the specs' English course (imported once per test)."""
    from learn_app.models import Word
    from tests.fixtures.courses import course_text
    from tests.integration.api.conftest import import_course_text

    if session.exec(select(Word.id).where(Word.language == "en")).first() is None:
        import_course_text(session, course_text("en-speaking.yaml"))
        session.commit()
    return session.exec(select(Word.id).where(Word.language == "en", Word.term == term)).one()


def test_an_english_sentence_is_scored_word_by_word_and_phone_by_phone(
    client, learner, session
) -> None:
    word_id = _english_word(session, "train")
    said = voices.learner("en", "Where is the train station?", 1)

    response = _post(client, learner, word_id, _wav(said), part="example")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["language"] == "en"
    assert body["score"] >= 70
    assert body["rating"] in ("good", "hard")
    words = body["words"]
    assert [w["text"] for w in words] == ["Where", "is", "the", "train", "station"]
    assert all(w["score"] >= 50 for w in words)
    train = words[3]
    assert [p["phone"] for p in train["phones"]] == ["T", "R", "EY", "N"]
    assert [p["ipa"] for p in train["phones"]] == ["t", "ɹ", "eɪ", "n"]
    assert all(0 <= p["score"] <= 100 for p in train["phones"])
    assert train["ipa"]  # the word's IPA (espeak-ng, American), to say it from
    assert body["intelligibility"] >= 80
    assert _stored(session) == (1, 1)


def test_a_different_english_sentence_scores_low_and_is_rated_again(
    client, learner, session
) -> None:
    word_id = _english_word(session, "train")
    said = voices.learner("en", "The museum is closed on Monday.", 2)

    response = _post(client, learner, word_id, _wav(said), part="example")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["score"] < 30
    assert body["rating"] == "again"
    assert min(w["score"] for w in body["words"]) < 30
