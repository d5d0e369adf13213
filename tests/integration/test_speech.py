"""Spoken audio from the real espeak-ng and Open JTalk: valid WAV files, made once and then
served from disk."""

import threading
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from learn_app.config import get_settings
from learn_app.models import Word
from learn_app.services.content import speech
from learn_app.services.errors import InvalidInput, NotFound


@pytest.fixture(autouse=True)
def audio_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with an empty audio cache of its own."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path / "audio"


@pytest.fixture
def syntheses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text espeak-ng is run on, in order (it still really runs)."""
    spoken: list[str] = []
    run = speech._run_espeak
    lock = threading.Lock()

    def counting(executable, path, *, voice, text, speed):
        with lock:
            spoken.append(text)
        run(executable, path, voice=voice, text=text, speed=speed)

    monkeypatch.setattr(speech, "_run_espeak", counting)
    return spoken


def duration_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        assert audio.getnchannels() == 1
        return audio.getnframes() / audio.getframerate()


def test_a_word_is_spoken_into_a_valid_wav_file(audio_cache):
    audio = speech.synthesize("¿Dónde está la estación?", language="es")

    assert audio.path.parent.parent == audio_cache
    assert audio.media_type == "audio/wav"
    assert 0.5 < duration_seconds(audio.path) < 10


def test_japanese_kana_is_spoken(audio_cache):
    audio = speech.synthesize("ねこがいます", language="ja")

    assert duration_seconds(audio.path) > 0.3


def test_japanese_is_spoken_by_open_jtalk_not_espeak(syntheses):
    audio = speech.synthesize("わたしはがくせいです", language="ja")

    assert syntheses == []  # espeak-ng never ran
    assert audio.key == speech.cache_key(speech.OPEN_JTALK_VOICE, "わたしはがくせいです", 140)
    with wave.open(str(audio.path), "rb") as wav:
        assert wav.getframerate() == speech.OPEN_JTALK_RATE
    assert 1.0 < duration_seconds(audio.path) < 4


def test_japanese_falls_back_to_espeak_ng_without_open_jtalk(syntheses, monkeypatch):
    monkeypatch.setattr(speech, "_open_jtalk_loads", lambda: False)

    audio = speech.synthesize("ねこ", language="ja")

    assert syntheses == ["ねこ"]
    assert duration_seconds(audio.path) > 0.2


def test_the_second_request_is_served_from_the_cache_without_running_espeak(syntheses):
    first = speech.synthesize("buenos días", language="es")
    modified = first.path.stat().st_mtime_ns

    second = speech.synthesize("buenos  días ", language="es")

    assert second == first
    assert first.path.stat().st_mtime_ns == modified
    assert syntheses == ["buenos días"]


def test_concurrent_requests_for_the_same_text_synthesise_once(syntheses):
    start = threading.Barrier(8)

    def request(_: int) -> speech.Audio:
        start.wait()
        return speech.synthesize("hasta mañana", language="es")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(request, range(8)))

    assert syntheses == ["hasta mañana"]
    assert len({result.path for result in results}) == 1
    assert duration_seconds(results[0].path) > 0.3
    assert not list(results[0].path.parent.glob(".espeak-*"))  # no temporary file left over


def test_another_voice_or_speed_is_another_file(syntheses):
    normal = speech.synthesize("no", language="es")
    slow = speech.synthesize("no", language="es", speed=100)
    japanese = speech.synthesize("no", language="ja")

    assert len({normal.path, slow.path, japanese.path}) == 3
    assert len(syntheses) == 2  # Japanese is Open JTalk's


def test_a_missing_espeak_ng_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)

    with pytest.raises(speech.SpeechUnavailable) as caught:
        speech.synthesize("hola", language="es")

    assert caught.value.status_code == 503
    assert "espeak-ng is not installed" in caught.value.message


def test_a_language_without_a_voice_or_an_empty_text_is_refused():
    with pytest.raises(InvalidInput):
        speech.synthesize("bonjour", language="fr")
    with pytest.raises(InvalidInput):
        speech.synthesize("   ", language="es")


def test_japanese_words_are_spoken_from_their_kana():
    cat = Word(
        language="ja",
        term="猫",
        reading="ねこ",
        meaning="cat",
        example_sentence="猫がいます。",
        parts={"example_reading": "ねこがいます。"},
    )

    assert speech.spoken_text(cat, "term") == "ねこ"
    assert speech.spoken_text(cat, "example") == "ねこがいます。"


def test_a_word_without_an_example_has_nothing_to_say_for_it():
    bread = Word(language="es", term="pan", meaning="bread")

    assert speech.spoken_text(bread, "term") == "pan"
    with pytest.raises(NotFound):
        speech.spoken_text(bread, "example")


def test_english_targets_have_a_reference_voice(syntheses):
    """English speaking items play a reference like the other languages (espeak-ng's US voice)."""
    result = speech.synthesize("good morning", language="en")

    assert syntheses == ["good morning"]
    assert duration_seconds(result.path) > 0.4
