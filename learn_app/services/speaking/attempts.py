"""Speaking attempts: what the learner is asked to say, and each attempt kept as a review.

An attempt is scored (see `worker`), then stored with its recording, scores and raw evidence,
and recorded through the study service as a review of the word: Good at or above the
learner's pass mark, Hard within `HARD_MARGIN` points below it, Again further down — so
speaking feeds the same FSRS schedule as every other activity. A recording that fails the
checks in `audio` is refused before anything is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from learn_app.models import ReviewRating, User, Word
from learn_app.models.speaking import (
    DEFAULT_PASS_SCORE,
    PronunciationAttempt,
    SpeakingPreference,
)
from learn_app.services.accounts import tokens
from learn_app.services.content.speech import visible_word
from learn_app.services.errors import InvalidInput, NotAuthenticated, NotFound
from learn_app.services.speaking.audio import Recording
from learn_app.services.speaking.scoring import LANGUAGES, Target
from learn_app.services.study import sessions as study
from learn_app.services.study.activities import get_activity_by_slug

Part = Literal["term", "example"]
PARTS = ("term", "example")
ACTIVITY_SLUG = "speaking"
HARD_MARGIN = 15
MIN_PASS_SCORE, MAX_PASS_SCORE = 40, 95
LINK_WINDOW_SECONDS = 600
_LINK_PURPOSE = "speaking-audio-v1"


@dataclass(frozen=True)
class Prompt:
    word_id: int
    part: str
    language: str
    text: str  # what to say, as written
    reading: str  # Japanese: kana; Spanish: ''
    meaning: str
    target: Target


# ------------------------------------------------------------------------------ the target


def prompt_for(session: Session, viewer: User, word_id: int, part: str) -> Prompt:
    """What the learner is asked to say for a word: its term or its example sentence."""
    if part not in PARTS:
        raise InvalidInput("Choose the word itself (term) or its example sentence.", field="part")
    word = visible_word(session, viewer, word_id)
    if word.language not in LANGUAGES:
        raise InvalidInput(
            "Speaking practice is available for Japanese, Spanish and English words."
        )
    parts = word.parts or {}
    if part == "example":
        text = (word.example_sentence or "").strip()
        reading = str(parts.get("example_reading") or "") if word.language == "ja" else ""
        meaning = word.example_translation or ""
        if not text:
            raise NotFound("That word has no example sentence.")
    else:
        text = word.term.replace("〜", "").replace("~", "").strip()
        reading = (word.reading or "") if word.language == "ja" else ""
        meaning = word.meaning
    return Prompt(
        word.id,
        part,
        word.language,
        text,
        reading if reading != text else "",
        meaning,
        Target(word.language, text, reading),
    )


def words_to_practise(
    session: Session, user: User, *, study_session_id: int | None, limit: int = 20
) -> list[int]:
    """Word ids to speak in a session: its group's published words, or the learner's course
    language when the session has no group; those spoken least recently first."""
    from learn_app.models import Status, WordGroupMember

    group_id = None
    if study_session_id is not None:
        group_id = study.own_session(session, user, study_session_id).group_id
    query = select(Word.id).where(
        Word.status == Status.published.value, col(Word.language).in_(LANGUAGES)
    )
    if group_id is not None:
        query = query.join(WordGroupMember, col(WordGroupMember.word_id) == col(Word.id)).where(
            WordGroupMember.group_id == group_id
        )
    elif user.target_language in LANGUAGES:
        query = query.where(Word.language == user.target_language)
    ids = list(session.exec(query.order_by(col(Word.id))).all())
    last_spoken = dict(
        session.exec(
            select(PronunciationAttempt.word_id, PronunciationAttempt.created_at)
            .where(PronunciationAttempt.user_id == user.id)
            .order_by(col(PronunciationAttempt.created_at))
        ).all()
    )
    never = [i for i in ids if i not in last_spoken]
    spoken = sorted((i for i in ids if i in last_spoken), key=lambda i: last_spoken[i])
    return (never + spoken)[:limit]


# ---------------------------------------------------------------------------- pass mark


def pass_score(session: Session, user: User) -> int:
    preference = session.get(SpeakingPreference, user.id)
    return DEFAULT_PASS_SCORE if preference is None else preference.pass_score


def set_pass_score(session: Session, user: User, value: int) -> int:
    if not MIN_PASS_SCORE <= int(value) <= MAX_PASS_SCORE:
        raise InvalidInput(
            f"Choose a pass mark between {MIN_PASS_SCORE} and {MAX_PASS_SCORE}.",
            field="pass_score",
        )
    preference = session.get(SpeakingPreference, user.id) or SpeakingPreference(user_id=user.id)
    preference.pass_score = int(value)
    session.add(preference)
    session.flush()
    return preference.pass_score


def rating_for_score(score: int, passing: int) -> ReviewRating:
    if score >= passing:
        return ReviewRating.good
    if score >= passing - HARD_MARGIN:
        return ReviewRating.hard
    return ReviewRating.again


# ------------------------------------------------------------------------------- attempts


def speaking_session(session: Session, user: User, study_session_id: int | None) -> int:
    """The study session to record into: the one given (the learner's own), else a new one."""
    if study_session_id is not None:
        return study.own_session(session, user, study_session_id).id or 0
    activity = get_activity_by_slug(session, ACTIVITY_SLUG)
    return study.start_session(session, user, activity.id or 0, None).id or 0


def record_attempt(
    session: Session,
    user: User,
    prompt: Prompt,
    recording: Recording,
    *,
    judgement: dict[str, Any],
    evidence: dict[str, Any],
    scoring_seconds: float,
    study_session_id: int | None,
) -> PronunciationAttempt:
    """Keep a scored attempt and record it as a review, in the caller's transaction."""
    study_id = speaking_session(session, user, study_session_id)
    passing = pass_score(session, user)
    score = int(judgement["score"])
    rating = rating_for_score(score, passing)
    recorded = study.record_review(
        session,
        user,
        study_id,
        prompt.word_id,
        correct=rating is not ReviewRating.again,
        rating=rating,
        response=f"spoken: {evidence.get('heard', '')}"[:1000],
    )
    attempt = PronunciationAttempt(
        user_id=user.id,
        word_id=prompt.word_id,
        part=prompt.part,
        language=prompt.language,
        target_text=prompt.text[:500],
        session_id=study_id,
        review_id=recorded.review.id,
        score=score,
        pass_score=passing,
        rating=rating.value,
        heard=str(evidence.get("heard", ""))[:1000],
        result=judgement,
        features=evidence,
        audio=recording.wav_bytes(),
        audio_seconds=round(recording.seconds, 2),
        scoring_ms=round(scoring_seconds * 1000),
    )
    session.add(attempt)
    session.flush()
    return attempt


def get_attempt(session: Session, user: User, attempt_id: int) -> PronunciationAttempt:
    attempt = session.get(PronunciationAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("That speaking attempt does not exist.")
    return attempt


def recent_attempts(
    session: Session, user: User, word_id: int, *, limit: int = 5
) -> list[PronunciationAttempt]:
    return list(
        session.exec(
            select(PronunciationAttempt)
            .where(PronunciationAttempt.user_id == user.id, PronunciationAttempt.word_id == word_id)
            .order_by(
                col(PronunciationAttempt.created_at).desc(), col(PronunciationAttempt.id).desc()
            )
            .limit(limit)
        ).all()
    )


# ----------------------------------------------------------------------- replay links


def _link_message(attempt_id: int, user_id: int, expires: int) -> str:
    return f"{attempt_id}:{user_id}:{expires}"


def audio_link(attempt_id: int, user_id: int, *, now: float | None = None) -> str:
    """A URL an <audio> element can fetch the attempt's recording from for a few minutes."""
    now = time.time() if now is None else now
    expires = (int(now) // LINK_WINDOW_SECONDS + 2) * LINK_WINDOW_SECONDS
    query = {
        "user": user_id,
        "expires": expires,
        "sig": tokens.sign(_LINK_PURPOSE, _link_message(attempt_id, user_id, expires)),
    }
    return f"/api/speaking/attempts/{attempt_id}/audio?{urlencode(query)}"


def linked_attempt(
    session: Session,
    attempt_id: int,
    *,
    user_id: int | None,
    expires: int | None,
    signature: str,
    now: float | None = None,
) -> PronunciationAttempt:
    now = time.time() if now is None else now
    if user_id is None or expires is None:
        raise NotAuthenticated("This audio link is incomplete.")
    if not tokens.signature_matches(
        _LINK_PURPOSE, _link_message(attempt_id, user_id, expires), signature
    ):
        raise NotAuthenticated("This audio link is not valid.")
    if expires < now:
        raise NotAuthenticated("This audio link has expired. Please reload the page.")
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("This audio link is not valid.")
    return get_attempt(session, user, attempt_id)


def attempt_view(attempt: PronunciationAttempt) -> dict[str, Any]:
    """The attempt as the API returns it and the feedback page shows it."""
    result = attempt.result or {}
    features = attempt.features or {}
    return {
        "id": attempt.id,
        "word_id": attempt.word_id,
        "part": attempt.part,
        "language": attempt.language,
        "target": attempt.target_text,
        "target_kana": features.get("target_kana", ""),
        "heard": attempt.heard,
        "heard_kana": features.get("heard_kana", ""),
        "score": attempt.score,
        "pass_score": attempt.pass_score,
        "rating": attempt.rating,
        "intelligibility": result.get("intelligibility"),
        "pitch_score": result.get("pitch_score"),
        "words": result.get("words", []),
        "learner_pitch": features.get("learner_pitch"),
        "reference_pitch": features.get("reference_pitch"),
        "audio_seconds": attempt.audio_seconds,
        "scoring_ms": attempt.scoring_ms,
        "session_id": attempt.session_id,
        "created_at": attempt.created_at,
    }
