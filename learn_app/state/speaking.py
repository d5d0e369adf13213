"""Speaking practice (`/study/speaking?session_id=N`): say a word or its example sentence and
see how it sounded.

The recording comes from the browser's recorder (or an uploaded file), is kept in a backend
var only until it is scored, and is scored in a background handler: the checks and the
database work run in a worker thread, the scoring itself in the scoring worker process, and
the page shows the seconds passing meanwhile. A refused recording leaves nothing behind but
its message.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
import time
from typing import Any

import plotly.graph_objects as go
import reflex as rx
from reflex_base.event import EventSpec

from learn_app import db
from learn_app.config import get_settings
from learn_app.services.accounts import auth
from learn_app.services.content import speech
from learn_app.services.errors import DomainError, NotAuthenticated, NotFound
from learn_app.services.speaking import attempts, audio, worker
from learn_app.state.auth import ProtectedState

log = logging.getLogger(__name__)

__all__ = ["SHORTCUT_KEYS", "ShownMora", "ShownWord", "SpeakingState"]

SHORTCUT_KEYS = ["p", "P", "n", "N", "t", "T", "w", "W", "s", "S"]
REFERENCE_AUDIO_ID = "speaking-reference-audio"
SCORING_FAILED_MESSAGE = "Your recording couldn't be scored just now. Please try again."
NOT_RECORDED_MESSAGE = "The recording did not arrive. Record again, or upload a file."


@dataclasses.dataclass
class ShownMora:
    text: str = ""
    score: int = 0
    tone: str = "red"  # green | amber | red, by the learner's pass mark


@dataclasses.dataclass
class ShownWord:
    text: str = ""
    kana: str = ""
    ipa: str = ""
    heard: str = ""
    score: int = 0
    tone: str = "red"
    morae: list[ShownMora] = dataclasses.field(default_factory=list)


def _tone(score: int, passing: int) -> str:
    rating = attempts.rating_for_score(score, passing).value
    return {"good": "green", "hard": "amber"}.get(rating, "red")


def _pitch_figure(view: dict[str, Any]) -> go.Figure:
    figure = go.Figure()
    for key, name, colour in (
        ("reference_pitch", "Reference", "#8e8e93"),
        ("learner_pitch", "You", "#3e63dd"),
    ):
        contour = view.get(key) or {}
        times, tones = contour.get("times") or [], contour.get("semitones") or []
        if times:
            start = times[0]
            figure.add_trace(
                go.Scatter(
                    x=[round(t - start, 3) for t in times],
                    y=tones,
                    mode="markers",
                    marker={"size": 4, "color": colour},
                    name=name,
                )
            )
    figure.update_layout(
        height=240,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        xaxis_title="seconds from the first voiced sound",
        yaxis_title="semitones from your median",
        legend={"orientation": "h", "y": 1.12},
        template="plotly_white",
    )
    return figure


def _prompt_and_link(token: str, word_id: int, part: str) -> tuple[attempts.Prompt, str, int]:
    with db.session_scope() as session:
        caller = auth.authenticate(session, token)
        user = caller.user
        prompt = attempts.prompt_for(session, user, word_id, part)
        link = speech.audio_link(word_id, part, user.id, sign_in=caller.session_id).url  # type: ignore[arg-type]
        return prompt, link, attempts.pass_score(session, user)


def _keep_attempt(
    token: str,
    prompt: attempts.Prompt,
    recording: audio.Recording,
    scored: worker.Scored,
    study_id: int | None,
) -> tuple[dict[str, Any], str]:
    with db.session_scope() as session:
        user = auth.authenticate(session, token).user
        attempt = attempts.record_attempt(
            session,
            user,
            prompt,
            recording,
            judgement=scored.judgement,
            evidence=scored.evidence.as_dict(),
            scoring_seconds=scored.seconds,
            study_session_id=study_id,
        )
        return attempts.attempt_view(attempt), attempts.audio_link(attempt.id or 0, user.id or 0)


class SpeakingState(ProtectedState):
    """The word or sentence to say, the recording being scored, and its feedback."""

    loaded: bool = False
    missing: str = ""
    error: str = ""
    study_id: int = 0
    language: str = ""
    word_id: int = 0
    part: str = "term"
    text: str = ""
    reading: str = ""
    meaning: str = ""
    reference_url: str = ""
    position: int = 0
    total: int = 0
    pass_score: int = attempts.DEFAULT_PASS_SCORE
    scoring: bool = False
    elapsed: str = ""
    has_result: bool = False
    score: int = 0
    rating: str = ""
    heard: str = ""
    heard_kana: str = ""
    intelligibility: int = 0
    pitch_score: int = -1
    words: list[ShownWord] = []
    replay_url: str = ""
    pitch_figure: go.Figure = go.Figure()
    has_pitch: bool = False
    _queue: list[int] = []
    _pending: bytes = b""
    _pending_limit: int = audio.MAX_UPLOAD_BYTES

    @rx.var
    def score_tone(self) -> str:
        return _tone(self.score, self.pass_score) if self.has_result else "gray"

    @rx.var
    def rating_label(self) -> str:
        return {"good": "Good", "hard": "Hard", "again": "Again"}.get(self.rating, "")

    # ------------------------------------------------------------------------- loading

    @rx.event
    def load(self) -> EventSpec | None:
        self.loaded, self.missing, self.error = False, "", ""
        self._clear_result()
        raw_id = str(self.router.url.query_parameters.get("session_id", "") or "")
        self.study_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else 0
        try:
            with db.session_scope() as session:
                user = self._caller(session).user
                self.study_id = attempts.speaking_session(session, user, self.study_id or None)
                self._queue = attempts.words_to_practise(
                    session, user, study_session_id=self.study_id
                )
                self.pass_score = attempts.pass_score(session, user)
            if not self._queue:
                raise NotFound(
                    "There are no Japanese or Spanish words to say here yet. Choose a group "
                    "in Study Activities."
                )
            self.total, self.position = len(self._queue), 0
            self._show_prompt()
        except NotAuthenticated:
            return self._sign_in_redirect()
        except NotFound as exc:
            self.missing = exc.message
        self.loaded = True
        return None

    def _show_prompt(self) -> None:
        word_id = self._queue[self.position]
        prompt, link, passing = _prompt_and_link(self.token, word_id, self.part)
        if prompt.part != self.part:
            self.part = prompt.part
        self.word_id, self.language = prompt.word_id, prompt.language
        self.text, self.reading, self.meaning = prompt.text, prompt.reading, prompt.meaning
        self.reference_url, self.pass_score = link, passing

    def _clear_result(self) -> None:
        self.has_result = False
        self.score = self.intelligibility = 0
        self.pitch_score = -1
        self.rating = self.heard = self.heard_kana = self.replay_url = ""
        self.words = []
        self.pitch_figure = go.Figure()
        self.has_pitch = False

    # ------------------------------------------------------------------------- moving on

    @rx.event
    def next_word(self) -> EventSpec | None:
        if self.scoring or not self._queue:
            return None
        self.error = ""
        self._clear_result()
        self.position = (self.position + 1) % len(self._queue)
        return self._reshow()

    @rx.event
    def try_again(self) -> None:
        if not self.scoring:
            self.error = ""
            self._clear_result()

    @rx.event
    def choose_part(self, part: str | list[str]) -> EventSpec | None:
        part = part[0] if isinstance(part, list) and part else str(part)
        if self.scoring or part not in attempts.PARTS or part == self.part:
            return None
        previous, self.part = self.part, part
        self._clear_result()
        self.error = ""
        try:
            return self._reshow()
        except NotFound as exc:
            self.part, self.error = previous, exc.message
            return self._reshow()

    def _reshow(self) -> EventSpec | None:
        try:
            self._show_prompt()
        except NotAuthenticated:
            return self._sign_in_redirect()
        return None

    @rx.event
    def change_pass_score(self, value: list[int | float]) -> EventSpec | None:
        chosen = int(value[0]) if value else self.pass_score
        try:
            with db.session_scope() as session:
                user = self._caller(session).user
                self.pass_score = attempts.set_pass_score(session, user, chosen)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
        return None

    @rx.event
    def play_reference(self) -> EventSpec:
        return rx.call_script(
            f"document.getElementById('{REFERENCE_AUDIO_ID}')?.play()?.catch(() => {{}})"
        )

    @rx.event
    def shortcut(self, key: str) -> EventSpec | None:
        """P plays the reference, T tries again, N goes on, W / S say the word / sentence."""
        key = key.lower()
        if key == "p":
            return self.play_reference()
        if key == "t":
            return self.try_again()
        if key == "n":
            return self.next_word()
        if key in ("w", "s"):
            return self.choose_part("term" if key == "w" else "example")
        return None

    # -------------------------------------------------------------------------- recording

    @rx.event
    def recorded(self, data_uri: str) -> EventSpec | None:
        """The browser's recorder finished: a data: URI of the audio."""
        if self.scoring:
            return None
        self.error = ""
        _, _, encoded = str(data_uri).partition(";base64,")
        if not encoded:
            self.error = NOT_RECORDED_MESSAGE
            return None
        try:
            audio.check_size(len(encoded) * 3 // 4, audio.MAX_RECORDED_BYTES)
            self._pending = base64.b64decode(encoded, validate=False)
        except DomainError as exc:
            self.error = exc.message
            return None
        except ValueError:
            self.error = NOT_RECORDED_MESSAGE
            return None
        self._pending_limit = audio.MAX_RECORDED_BYTES
        return SpeakingState.score_pending

    @rx.event
    def recorder_failed(self, error: Any) -> None:
        self.error = (
            "The microphone could not be used: "
            f"{error if isinstance(error, str) else 'permission was refused or there is none'}. "
            "Browsers allow it only on https:// or localhost pages; you can upload a recording "
            "instead."
        )

    @rx.event
    async def upload(self, files: list[rx.UploadFile]) -> EventSpec | None:
        if self.scoring or not files:
            return None
        self.error = ""
        data = await files[0].read(audio.MAX_UPLOAD_BYTES + 1)
        try:
            audio.check_size(len(data))
        except DomainError as exc:
            self.error = exc.message
            return None
        self._pending = data
        self._pending_limit = audio.MAX_UPLOAD_BYTES
        return SpeakingState.score_pending

    @rx.event(background=True)
    async def score_pending(self):
        async with self:
            if self.scoring or not self._pending:
                return None
            data, self._pending = self._pending, b""
            limit = self._pending_limit
            self.scoring, self.error, self.elapsed = True, "", "0.0"
            self._clear_result()
            token, word_id, part = self.token, self.word_id, self.part
            study_id = self.study_id or None
        started = time.perf_counter()
        try:
            recording = await asyncio.to_thread(audio.load, data, limit)
            prompt, _, _ = await asyncio.to_thread(_prompt_and_link, token, word_id, part)
            task = asyncio.ensure_future(
                worker.score(recording.samples, prompt.target, data_dir=get_settings().data_dir)
            )
            while not task.done():
                await asyncio.wait({task}, timeout=0.25)
                async with self:
                    self.elapsed = f"{time.perf_counter() - started:.1f}"
            scored = task.result()
            view, replay = await asyncio.to_thread(
                _keep_attempt, token, prompt, recording, scored, study_id
            )
        except NotAuthenticated:
            async with self:
                self.scoring = False
                return self._sign_in_redirect()
        except DomainError as exc:
            async with self:
                self.scoring, self.error = False, exc.message
            return None
        except Exception:
            log.exception("scoring a spoken attempt failed")
            async with self:
                self.scoring, self.error = False, SCORING_FAILED_MESSAGE
            return None
        async with self:
            self._show_result(view, replay)
            self.scoring = False
        return None

    def _show_result(self, view: dict[str, Any], replay: str) -> None:
        passing = int(view["pass_score"])
        self.pass_score = passing
        self.score, self.rating = int(view["score"]), str(view["rating"])
        self.heard, self.heard_kana = str(view["heard"]), str(view.get("heard_kana") or "")
        self.intelligibility = int(view.get("intelligibility") or 0)
        pitch = view.get("pitch_score")
        self.pitch_score = -1 if pitch is None else int(pitch)
        self.words = [
            ShownWord(
                text=str(w["text"]),
                kana=str(w.get("kana") or ""),
                ipa=str(w.get("ipa") or ""),
                heard=str(w.get("heard") or ""),
                score=int(w["score"]),
                tone=_tone(int(w["score"]), passing),
                morae=[
                    ShownMora(str(m["text"]), int(m["score"]), _tone(int(m["score"]), passing))
                    for m in w.get("morae") or []
                ],
            )
            for w in view["words"]
        ]
        self.has_pitch = bool((view.get("learner_pitch") or {}).get("times"))
        self.pitch_figure = _pitch_figure(view) if self.has_pitch else go.Figure()
        self.replay_url = replay
        self.has_result = True
