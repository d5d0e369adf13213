"""What a learner uploads or records, checked and decoded before anything is scored or kept.

Any container and codec FFmpeg reads (through PyAV) is accepted, so a browser's WebM/Opus or
MP4/AAC, an MP3 from the recorder polyfill or a WAV file from disk all work; what is kept is
the decoded sound: 16 kHz mono, 16-bit WAV, at most 30 seconds (under 1 MB). Every rejection
names what was wrong and what to do, and nothing is stored for a rejected recording.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np

from learn_app.services.errors import DomainError, InvalidInput

SAMPLE_RATE = 16_000
MAX_UPLOAD_BYTES = 1_900_000  # under the API's 2 MB body cap; 30 s of 16 kHz WAV is 0.96 MB
# What the page's recorder sends: 16-bit WAV at the browser's rate (48 kHz: 30 s is 2.9 MB).
MAX_RECORDED_BYTES = 6_000_000
MAX_SECONDS = 30.0
MIN_SPEECH_SECONDS = 0.3
SILENCE_DBFS = -45.0  # a frame quieter than this holds no speech
CLIPPED_LEVEL = 0.985
MAX_CLIPPED_FRACTION = 0.01
_FRAME = 400  # 25 ms at 16 kHz


class RecordingTooLarge(DomainError):
    """An upload over the size cap: refused before it is decoded."""

    status_code = 413


class UnusableRecording(InvalidInput):
    """A recording that can't be scored: unreadable, silent, clipped, too short or too long."""


@dataclass(frozen=True)
class Recording:
    samples: np.ndarray  # float32, mono, 16 kHz, in [-1, 1]
    seconds: float
    speech_seconds: float
    peak_dbfs: float

    def wav_bytes(self) -> bytes:
        return encode_wav(self.samples)


def check_size(size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    if size > limit:
        raise RecordingTooLarge(
            f"That recording is {size / 1_000_000:.1f} MB; recordings of at most "
            f"{limit / 1_000_000:.1f} MB are accepted. A browser recording of 30 "
            "seconds is far smaller; a WAV file should be mono, 16 or 22 kHz.",
            field="audio",
        )


def decode(data: bytes) -> np.ndarray:
    """The sound in `data` as 16 kHz mono float32, or UnusableRecording if it is not sound."""
    import av  # PyAV, installed with faster-whisper

    if not data:
        raise UnusableRecording("The recording is empty. Record again.", field="audio")
    chunks: list[np.ndarray] = []
    total = 0
    limit = int((MAX_SECONDS + 1) * SAMPLE_RATE)
    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnusableRecording(
                    "That file holds no sound. Record again, or upload a WAV, WebM, OGG, MP3 "
                    "or M4A recording.",
                    field="audio",
                )
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    array = out.to_ndarray().reshape(-1)
                    chunks.append(array)
                    total += array.size
                if total > limit:  # long enough to refuse; stop decoding the rest
                    break
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except UnusableRecording:
        raise
    except Exception as exc:  # PyAV raises many types for damaged or foreign files
        raise UnusableRecording(
            "That file could not be read as a recording: it is damaged or not a sound file. "
            "Record again, or upload a WAV, WebM, OGG, MP3 or M4A recording.",
            field="audio",
        ) from exc
    if not chunks:
        raise UnusableRecording(
            "That file holds no sound that could be read. Record again.", field="audio"
        )
    return np.concatenate(chunks).astype(np.float32, copy=False)


def check(samples: np.ndarray) -> Recording:
    """The recording if a learner's attempt can be scored from it; else what to fix."""
    seconds = samples.size / SAMPLE_RATE
    if seconds > MAX_SECONDS:
        raise UnusableRecording(
            f"The recording is longer than {MAX_SECONDS:.0f} seconds. Say just the word or "
            "sentence, then stop.",
            field="audio",
        )
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    peak_dbfs = 20 * np.log10(max(peak, 1e-9))
    speech_seconds = _speech_seconds(samples)
    if seconds < MIN_SPEECH_SECONDS or (speech_seconds < MIN_SPEECH_SECONDS and peak_dbfs >= -30):
        raise UnusableRecording(
            "The recording is too short to score. Hold the key (or press R) for the whole "
            "word or sentence.",
            field="audio",
        )
    if speech_seconds < MIN_SPEECH_SECONDS:
        raise UnusableRecording(
            "Nothing could be heard in the recording. Check that the right microphone is "
            "chosen and not muted, and speak a little louder.",
            field="audio",
        )
    clipped = float(np.mean(np.abs(samples) >= CLIPPED_LEVEL))
    if clipped > MAX_CLIPPED_FRACTION:
        raise UnusableRecording(
            "The recording is distorted: it was too loud for the microphone. Speak a little "
            "further from it, or turn its input level down, and record again.",
            field="audio",
        )
    return Recording(samples, seconds, speech_seconds, peak_dbfs)


def load(data: bytes, limit: int = MAX_UPLOAD_BYTES) -> Recording:
    """Size cap, decoding and every check, in that order."""
    check_size(len(data), limit)
    return check(decode(data))


def _speech_seconds(samples: np.ndarray) -> float:
    frames = samples[: samples.size // _FRAME * _FRAME].reshape(-1, _FRAME)
    if frames.size == 0:
        return 0.0
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    loud = 20 * np.log10(np.maximum(rms, 1e-9)) > SILENCE_DBFS
    return float(np.count_nonzero(loud)) * _FRAME / SAMPLE_RATE


def encode_wav(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()
