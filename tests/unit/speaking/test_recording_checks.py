"""A recording is checked before it is scored: each way it can be unusable gets its own
message, and what can be scored passes whatever format it came in."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from learn_app.services.speaking import audio

RATE = 16_000


def _wav(samples: np.ndarray, rate: int = RATE, channels: int = 1) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    if channels == 2:
        pcm = np.repeat(pcm, 2)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _voice_like(seconds: float, rate: int = RATE, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    tone = np.sin(2 * np.pi * 180 * t) + 0.5 * np.sin(2 * np.pi * 360 * t)
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3 * t) ** 2
    return (level * tone * envelope / 1.5).astype(np.float32)


def _message(data: bytes) -> str:
    with pytest.raises(audio.UnusableRecording) as caught:
        audio.load(data)
    return caught.value.message


def test_a_spoken_wav_is_accepted_and_resampled_to_16_khz_mono() -> None:
    recording = audio.load(_wav(_voice_like(2.0, rate=44_100), rate=44_100, channels=2))
    assert recording.seconds == pytest.approx(2.0, abs=0.05)
    assert recording.speech_seconds > 1.5
    kept = recording.wav_bytes()
    with wave.open(io.BytesIO(kept)) as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (16_000, 1)
    assert len(kept) < 70_000  # 2 s at 16 kHz, 16-bit


def _webm_opus(samples: np.ndarray, rate: int = 48_000) -> bytes:
    """What Chrome's MediaRecorder sends: Opus in WebM, 48 kHz."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=rate, layout="mono")
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def test_a_browser_recording_in_webm_opus_is_decoded() -> None:
    data = _webm_opus(_voice_like(1.5, rate=48_000))
    assert data[:4] == b"\x1a\x45\xdf\xa3"  # an EBML (WebM) file
    assert audio.load(data).seconds == pytest.approx(1.5, abs=0.1)


def test_silence_is_refused_as_nothing_heard() -> None:
    quiet = np.random.default_rng(1).normal(0, 1e-4, RATE * 2).astype(np.float32)
    assert "Nothing could be heard" in _message(_wav(quiet))


def test_a_clipped_recording_is_refused_as_too_loud() -> None:
    loud = np.clip(_voice_like(2.0, level=3.0), -1, 1)
    assert "too loud" in _message(_wav(loud))


def test_a_very_short_recording_is_refused() -> None:
    assert "too short" in _message(_wav(_voice_like(0.15)))


def test_a_recording_over_30_seconds_is_refused() -> None:
    assert "longer than 30 seconds" in _message(_wav(_voice_like(31.0, rate=8_000), rate=8_000))


def test_text_posing_as_audio_is_refused_as_unreadable() -> None:
    assert "could not be read" in _message(b"this is not a recording at all " * 100)


def test_a_truncated_recording_is_refused_as_damaged() -> None:
    whole = _wav(_voice_like(2.0))
    damaged = whole[:20] + bytes(reversed(whole[20:400]))
    message = _message(damaged)
    assert "could not be read" in message or "no sound" in message


def test_an_empty_upload_is_refused() -> None:
    assert "empty" in _message(b"")


def test_an_upload_over_the_size_cap_is_refused_before_decoding() -> None:
    with pytest.raises(audio.RecordingTooLarge) as caught:
        audio.load(b"\0" * (50 * 1024 * 1024))
    assert caught.value.status_code == 413
    assert "52.4 MB" in caught.value.message
