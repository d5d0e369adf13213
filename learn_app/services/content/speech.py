"""Spoken words and sentences, synthesised offline and kept as WAV files.

Japanese is spoken by Open JTalk (pyopenjtalk-plus: dictionary and the HTS voice "mei" in the
package), which gives each word its pitch accent; Spanish and English by espeak-ng, which is
also Japanese's fallback when Open JTalk cannot be loaded.

Each audio file is named by a hash of (voice, speed, text) under `data_dir/audio`, so the same
text is synthesised once and then served from disk. A request that finds no file takes a lock
on that name (an flock, so threads and worker processes alike wait for each other), looks
again, and only then runs espeak-ng into a temporary file that is renamed into place: nobody
ever reads half a file, and twenty learners pressing play at once cost one synthesis.

Japanese is spoken from the reading (and the example's reading): espeak-ng's Japanese voice
reads kana only, and the course's kana is authoritative where a kanji has several readings.
Files stay WAV (22–24 kHz mono, about 45 kB a second): every browser plays it and converting
would need an encoder the machine does not have.

Browsers fetch audio for an <audio> element without an Authorization header, so besides the
bearer token the audio route accepts a *signed link*: an HMAC (key derived from the portal's
signing secret) over word, part, user and an expiry minutes away. Putting the sign-in token
itself in the URL would leak a week-long credential into logs and history; a link leaks at
most one word's audio for a few minutes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import wave
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

import numpy as np
from sqlmodel import Session

from learn_app.config import get_settings
from learn_app.logging import get_logger
from learn_app.models import AuthSession, Status, User, Word
from learn_app.services.accounts import tokens
from learn_app.services.content.common import is_editor
from learn_app.services.errors import DomainError, InvalidInput, NotAuthenticated, NotFound

log = get_logger("learn_app.speech")

Part = Literal["term", "example"]
VOICES = {"ja": "ja", "es": "es", "en": "en-us"}
OPEN_JTALK_VOICE = "openjtalk-mei"  # Japanese, when pyopenjtalk-plus loads
OPEN_JTALK_RATE = 24_000  # Open JTalk speaks at 48 kHz; half is plenty for a voice
DEFAULT_SPEED = 140  # words a minute; espeak-ng's own 175 is brisk for a learner
MAX_TEXT_LENGTH = 500
SYNTHESIS_TIMEOUT_SECONDS = 30
MEDIA_TYPE = "audio/wav"
# Links are valid for 10-20 minutes; within a 10-minute window the same word gets the same
# URL, so the browser's cache still answers a second play.
LINK_WINDOW_SECONDS = 600
_LINK_PURPOSE = "audio-link-v1"


class SpeechUnavailable(DomainError):
    status_code = 503


@dataclass(frozen=True)
class Audio:
    path: Path
    key: str  # content hash: a strong ETag
    media_type: str = MEDIA_TYPE


@dataclass(frozen=True)
class AudioLink:
    url: str
    expires_at: int  # Unix time


def audio_dir() -> Path:
    return get_settings().data_dir / "audio"


def espeak_path() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        raise SpeechUnavailable(
            "Spoken audio is not available: espeak-ng is not installed on this server "
            "(`apt-get install espeak-ng`, or `make run` installs it)."
        )
    return found


def cache_key(voice: str, text: str, speed: int) -> str:
    return hashlib.sha256(f"{voice}\x00{speed}\x00{text}".encode()).hexdigest()


def synthesize(text: str, *, language: str, speed: int = DEFAULT_SPEED) -> Audio:
    """The WAV file of `text` spoken in `language`, synthesised now or found in the cache."""
    voice = VOICES.get(language)
    if voice is None:
        raise InvalidInput(f"There is no voice for the language '{language}'.", field="language")
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("There is nothing to say.", field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"Audio is made for at most {MAX_TEXT_LENGTH} characters.", field="text")
    if not 80 <= speed <= 450:
        raise InvalidInput("The speed must be between 80 and 450 words a minute.", field="speed")
    if language == "ja" and _open_jtalk_loads():
        voice = OPEN_JTALK_VOICE
    key = cache_key(voice, text, speed)
    path = audio_dir() / key[:2] / f"{key}.wav"
    if not path.exists():
        _synthesize_once(path, voice=voice, text=text, speed=speed)
    return Audio(path, key)


def _open_jtalk_loads() -> bool:
    try:
        import pyopenjtalk  # noqa: F401
    except ImportError:  # pragma: no cover - installed with the project
        return False
    return True


def _synthesize_once(path: Path, *, voice: str, text: str, speed: int) -> None:
    executable = "" if voice == OPEN_JTALK_VOICE else espeak_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_suffix(".lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():  # made while this request waited for the lock
                return
            if voice == OPEN_JTALK_VOICE:
                _run_open_jtalk(path, text=text, speed=speed)
            else:
                _run_espeak(executable, path, voice=voice, text=text, speed=speed)
            # Gone while still held: a later request finds the file before it needs a lock.
            lock_path.unlink(missing_ok=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_espeak(executable: str, path: Path, *, voice: str, text: str, speed: int) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".espeak-", suffix=".wav")
    os.close(fd)
    try:
        started = time.perf_counter()
        # Text goes in on stdin (-b 1: as UTF-8), so nothing in it is read as an option.
        result = subprocess.run(  # noqa: S603 - fixed arguments, text on stdin
            [executable, "-v", voice, "-s", str(speed), "-b", "1", "-w", temporary, "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=SYNTHESIS_TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode != 0 or not _is_wav(Path(temporary)):
            log.error(
                "speech.failed",
                voice=voice,
                returncode=result.returncode,
                stderr=result.stderr.decode(errors="replace")[:500],
            )
            raise SpeechUnavailable("The audio could not be made. Please try again later.")
        os.replace(temporary, path)
        log.info(
            "speech.synthesized",
            voice=voice,
            characters=len(text),
            ms=round((time.perf_counter() - started) * 1000),
        )
    except subprocess.TimeoutExpired as exc:
        raise SpeechUnavailable("Making the audio took too long. Please try again.") from exc
    finally:
        Path(temporary).unlink(missing_ok=True)


def _run_open_jtalk(path: Path, *, text: str, speed: int) -> None:
    import pyopenjtalk
    from scipy.signal import resample_poly

    started = time.perf_counter()
    try:
        samples, rate = pyopenjtalk.tts(text, speed=speed / DEFAULT_SPEED)
    except Exception as exc:  # a text Open JTalk cannot read: say so, like espeak-ng's failures
        log.error("speech.failed", voice=OPEN_JTALK_VOICE, error=str(exc)[:300])
        raise SpeechUnavailable("The audio could not be made. Please try again later.") from exc
    if rate % OPEN_JTALK_RATE == 0:
        samples = resample_poly(samples, 1, rate // OPEN_JTALK_RATE)
        rate = OPEN_JTALK_RATE
    pcm = np.clip(samples, -32768, 32767).astype("<i2")
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".openjtalk-", suffix=".wav")
    os.close(fd)
    try:
        with wave.open(temporary, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(int(rate))
            out.writeframes(pcm.tobytes())
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    log.info(
        "speech.synthesized",
        voice=OPEN_JTALK_VOICE,
        characters=len(text),
        ms=round((time.perf_counter() - started) * 1000),
    )


def _is_wav(path: Path) -> bool:
    with open(path, "rb") as handle:
        header = handle.read(44)
    return len(header) == 44 and header[:4] == b"RIFF" and header[8:12] == b"WAVE"


# --------------------------------------------------------------------------------- word audio


def spoken_text(word: Word, part: Part) -> str:
    """What to say for a word's term or example (Japanese: its kana reading)."""
    parts = word.parts or {}
    if part == "example":
        text = word.example_sentence
        if word.language == "ja":
            text = str(parts.get("example_reading") or "") or text
        if not text:
            raise NotFound("That word has no example sentence.")
    else:
        text = (word.reading or word.term) if word.language == "ja" else word.term
    return text.replace("〜", "").replace("~", "")


def visible_word(session: Session, viewer: User, word_id: int) -> Word:
    word = session.get(Word, word_id)
    if word is None or (word.status != Status.published.value and not is_editor(viewer)):
        raise NotFound("That word does not exist.")
    return word


def word_audio(session: Session, viewer: User, word_id: int, part: Part = "term") -> Audio:
    """The audio of a word the viewer may see (learners: published words only)."""
    word = visible_word(session, viewer, word_id)
    return synthesize(spoken_text(word, part), language=word.language)


# ------------------------------------------------------------------------------- signed links


def _link_message(word_id: int, part: Part, user_id: int, expires: int, sign_in: str) -> str:
    return f"{word_id}:{part}:{user_id}:{expires}:{sign_in}"


def audio_link(
    word_id: int, part: Part, user_id: int, *, sign_in: str, now: float | None = None
) -> AudioLink:
    """A URL (path and query) an <audio> element can fetch for this user for a few minutes,
    and only while the sign-in `sign_in` (an `auth_session` id) lasts: signing out ends it."""
    now = time.time() if now is None else now
    expires = (int(now) // LINK_WINDOW_SECONDS + 2) * LINK_WINDOW_SECONDS
    query = {
        "part": part,
        "user": user_id,
        "expires": expires,
        "s": sign_in,
        "sig": tokens.sign(_LINK_PURPOSE, _link_message(word_id, part, user_id, expires, sign_in)),
    }
    return AudioLink(f"/api/audio/{word_id}?{urlencode(query)}", expires)


def link_viewer(
    session: Session,
    word_id: int,
    part: Part,
    *,
    user_id: int | None,
    expires: int | None,
    sign_in: str | None,
    signature: str,
    now: float | None = None,
) -> User:
    """The user a signed audio link was made for, if the link is genuine, current and theirs,
    and the sign-in it was made in is still live."""
    now = time.time() if now is None else now
    if user_id is None or expires is None or not sign_in:
        raise NotAuthenticated("This audio link is incomplete.")
    if not tokens.signature_matches(
        _LINK_PURPOSE, _link_message(word_id, part, user_id, expires, sign_in), signature
    ):
        raise NotAuthenticated("This audio link is not valid.")
    if expires < now:
        raise NotAuthenticated("This audio link has expired. Please reload the page.")
    user = session.get(User, user_id)
    live = session.get(AuthSession, sign_in)
    if (
        user is None
        or not user.is_active
        or live is None
        or live.user_id != user_id
        or live.revoked_at is not None
        or _aware(live.expires_at).timestamp() <= now
    ):
        raise NotAuthenticated("This audio link is not valid. Please sign in again.")
    return user


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
