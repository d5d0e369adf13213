"""Synthesised voices: the reference a learner imitates, and stand-in learners for fitting.

The reference for Japanese is Open JTalk (pyopenjtalk-plus, HTS voice "mei" bundled), which
reads kanji with the dictionary's pitch accent; for Spanish it is espeak-ng. The "learner"
voices used to calibrate scores and in the tests are deliberately different from the
reference — Japanese: Open JTalk at another speed and pitch, with room noise; Spanish:
espeak-ng's Latin-American voice and variants; English: espeak-ng's British and American
voices in other registers — so a score never rests on matching the reference voice sample for
sample. `ipa` is espeak-ng's IPA for a word, shown under it in the feedback.
"""

from __future__ import annotations

import io
import subprocess
import wave
from functools import lru_cache

import numpy as np

from learn_app.services.speaking.audio import SAMPLE_RATE

ESPEAK_TIMEOUT_SECONDS = 30
IPA_TIMEOUT_SECONDS = 5
LEARNER_VARIANTS = 4


def _to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly  # 1-2 s to import: only when a voice is made

    divisor = gcd(rate, SAMPLE_RATE)
    resampled: np.ndarray = resample_poly(samples, SAMPLE_RATE // divisor, rate // divisor)
    return resampled.astype(np.float32)


def open_jtalk(text: str, *, speed: float = 1.0, half_tone: float = 0.0) -> tuple[np.ndarray, int]:
    """Open JTalk's reading of `text` as float samples in [-1, 1] and its sample rate."""
    import pyopenjtalk

    samples, rate = pyopenjtalk.tts(text, speed=speed, half_tone=half_tone)
    return (samples / 32768.0).astype(np.float32), int(rate)


def espeak(text: str, *, voice: str, speed: int = 140, pitch: int = 50) -> tuple[np.ndarray, int]:
    command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-b", "1"]
    result = subprocess.run(  # noqa: S603 - fixed arguments, text on stdin
        [*command, "--stdout", "--stdin"],
        input=text.encode(),
        capture_output=True,
        timeout=ESPEAK_TIMEOUT_SECONDS,
        check=True,
    )
    with wave.open(io.BytesIO(result.stdout)) as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return (pcm / 32768.0).astype(np.float32), rate


ESPEAK_VOICES = {"en": "en-us"}  # the reference voice, where it is not named by the language


def reference(language: str, text: str) -> tuple[np.ndarray, int]:
    if language == "ja":
        return open_jtalk(text)
    return espeak(text, voice=ESPEAK_VOICES.get(language, language))


def learner(language: str, text: str, variant: int, *, noise_dbfs: float = -50.0) -> np.ndarray:
    """A stand-in learner saying `text`, 16 kHz: variant 0–3 pick voice, speed and pitch."""
    rng = np.random.default_rng(variant * 7919 + len(text))
    if language == "ja":
        speed = (0.85, 1.1, 0.95, 1.2)[variant % 4]
        half_tone = (-4.0, 3.0, 6.0, -2.0)[variant % 4]
        samples, rate = open_jtalk(text, speed=speed, half_tone=half_tone)
    elif language == "en":
        voice = ("en-us+m3", "en+f3", "en-gb-x-rp+m2", "en-us+f2")[variant % 4]
        speed = (130, 160, 145, 120)[variant % 4]
        samples, rate = espeak(text, voice=voice, speed=speed, pitch=(40, 60, 55, 45)[variant % 4])
    else:
        voice = ("es-419", "es+f3", "es-419+m3", "es+f2")[variant % 4]
        speed = (130, 160, 145, 120)[variant % 4]
        samples, rate = espeak(text, voice=voice, speed=speed, pitch=(40, 60, 55, 45)[variant % 4])
    audio = _to_16k(samples, rate)
    padding = np.zeros(int(0.3 * SAMPLE_RATE), dtype=np.float32)
    audio = np.concatenate([padding, audio * 0.8, padding])
    noise = rng.normal(0, 10 ** (noise_dbfs / 20), audio.size).astype(np.float32)
    return audio + noise


@lru_cache(maxsize=2048)
def ipa(word: str, language: str) -> str:
    """espeak-ng's IPA for one word ('' where espeak-ng is missing or fails)."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, the word on stdin
            ["espeak-ng", "-q", "--ipa", "-v", language, "--stdin"],  # noqa: S607
            input=word.encode(),
            capture_output=True,
            timeout=IPA_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.decode(errors="replace").strip()
