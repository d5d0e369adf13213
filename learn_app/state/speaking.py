"""Speaking practice (`/study/speaking?session_id=N`): say a word or its example sentence and
see how it sounded.

The recording comes from the browser's recorder (or an uploaded file), waits in a private file
(`state/uploads.py`, only its path in state) until it is scored, and is scored in a background
handler: the checks and the database work run in a worker thread, the scoring itself in the
scoring worker process, and the page shows the seconds passing meanwhile. A refused recording
leaves nothing behind but its message.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import time
from typing import Any

import plotly.graph_objects as go
import reflex as rx
from reflex_base.event import EventSpec

from learn_app.config import get_settings
from learn_app.services.content import speech
from learn_app.services.errors import DomainError, NotFound
from learn_app.services.speaking import attempts, audio, worker
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop
from learn_app.state.uploads import discard_upload, keep_upload, read_upload

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
    phones: list[ShownMora] = dataclasses.field(default_factory=list)  # English, in IPA


def _shown_units(
    units: list[dict[str, Any]], text_key: str, fallback: int, passing: int
) -> list[ShownMora]:
    """Morae or phones as shown: their text and score (a unit without a score takes its word's)."""
    shown = []
    for unit in units:
        score = fallback if unit.get("score") is None else int(unit["score"])
        shown.append(ShownMora(str(unit.get(text_key) or ""), score, _tone(score, passing)))
    return shown


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


def _prompt_and_link(signed: Signed, word_id: int, part: str) -> tuple[attempts.Prompt, str, int]:
    session, user = signed.session, signed.user
    prompt = attempts.prompt_for(session, user, word_id, part)
    link = speech.audio_link(word_id, part, user.id, sign_in=signed.caller.session_id).url  # type: ignore[arg-type]
    return prompt, link, attempts.pass_score(session, user)


def _keep_attempt(
    signed: Signed,
    prompt: attempts.Prompt,
    recording: audio.Recording,
    scored: worker.Scored,
    study_id: int | None,
) -> tuple[dict[str, Any], str]:
    user = signed.user
    attempt = attempts.record_attempt(
        signed.session,
        user,
        prompt,
        recording,
        judgement=scored.judgement,
        evidence=scored.evidence.as_dict(),
        scoring_seconds=scored.seconds,
        study_session_id=study_id,
    )
    return attempts.attempt_view(attempt), attempts.audio_link(attempt.id or 0, user.id or 0)


def _take_pending(path: str) -> bytes:
    """The kept recording's bytes; its file is gone afterwards, scored or not."""
    try:
        return read_upload(path)
    finally:
        discard_upload(path)


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
    # Where the recording waiting to be scored is kept (a private file, not state: state is
    # persisted per client), and the most it may weigh.
    _pending_path: str = ""
    _pending_limit: int = audio.MAX_UPLOAD_BYTES

    @rx.var
    def score_tone(self) -> str:
        return _tone(self.score, self.pass_score) if self.has_result else "gray"

    @rx.var
    def rating_label(self) -> str:
        return {"good": "Good", "hard": "Hard", "again": "Again"}.get(self.rating, "")

    # ------------------------------------------------------------------------- loading

    @rx.event
    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded, self.missing, self.error = False, "", ""
        self._clear_result()
        self.study_id = id_or_zero(self.router.url.query_parameters.get("session_id", ""))
        session, user = signed.session, signed.user
        self.study_id = attempts.speaking_session(session, user, self.study_id or None)
        self._queue = attempts.words_to_practise(session, user, study_session_id=self.study_id)
        self.pass_score = attempts.pass_score(session, user)
        if not self._queue:
            raise NotFound(
                "There are no Japanese or Spanish words to say here yet. Choose a group "
                "in Study Activities."
            )
        self.total, self.position = len(self._queue), 0
        self._show_prompt(signed, self.part)

    def _show_prompt(self, signed: Signed, part: str) -> None:
        """The word at `position`, its `part` said (the word itself when it has no example
        sentence to say); the part shown changes only once the prompt is found."""
        word_id = self._queue[self.position]
        prompt, link, passing = _prompt_and_link(signed, word_id, part)
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
    @off_loop
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
    @off_loop
    def choose_part(self, part: str | list[str]) -> EventSpec | None:
        part = part[0] if isinstance(part, list) and part else str(part)
        if self.scoring or part not in attempts.PARTS or part == self.part:
            return None
        self._clear_result()
        self.error = ""
        return self._show_part(part)

    @signed_in_handler()
    def _reshow(self, signed: Signed) -> None:
        self._show_prompt(signed, self.part)

    @signed_in_handler({NotFound: "error"})
    def _show_part(self, signed: Signed, part: str) -> None:
        """The same word with the other part; a word without an example sentence keeps the
        part it shows and says why."""
        self._show_prompt(signed, part)

    @rx.event
    @signed_in_handler("error")
    def change_pass_score(self, signed: Signed, value: list[int | float]) -> None:
        chosen = int(value[0]) if value else self.pass_score
        self.pass_score = attempts.set_pass_score(signed.session, signed.user, chosen)

    @rx.event
    def play_reference(self) -> EventSpec:
        return rx.call_script(
            f"document.getElementById('{REFERENCE_AUDIO_ID}')?.play()?.catch(() => {{}})"
        )

    @rx.event
    @off_loop
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
            data = base64.b64decode(encoded, validate=False)
        except DomainError as exc:
            self.error = exc.message
            return None
        except ValueError:
            self.error = NOT_RECORDED_MESSAGE
            return None
        return self._keep_pending(data, audio.MAX_RECORDED_BYTES)

    def _keep_pending(self, data: bytes, limit: int) -> EventSpec:
        """Keep the recording in a private file until `score_pending` takes it."""
        discard_upload(self._pending_path)
        self._pending_path = keep_upload(data)
        self._pending_limit = limit
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
        return self._keep_pending(data, audio.MAX_UPLOAD_BYTES)

    @rx.event(background=True)
    @signed_in_handler("error", busy="scoring", unexpected=SCORING_FAILED_MESSAGE)
    async def score_pending(self) -> None:
        async with self:
            if self.scoring or not self._pending_path:
                return
            path, self._pending_path = self._pending_path, ""
            limit = self._pending_limit
            self.scoring, self.error, self.elapsed = True, "", "0.0"
            self._clear_result()
            token, word_id, part = self.token, self.word_id, self.part
            study_id = self.study_id or None
        started = time.perf_counter()
        data = await asyncio.to_thread(_take_pending, path)
        recording = await asyncio.to_thread(audio.load, data, limit)
        prompt, _, _ = await run_signed_in(
            token, lambda signed: _prompt_and_link(signed, word_id, part)
        )
        task = asyncio.ensure_future(
            worker.score(recording.samples, prompt.target, data_dir=get_settings().data_dir)
        )
        while not task.done():
            await asyncio.wait({task}, timeout=0.25)
            async with self:
                self.elapsed = f"{time.perf_counter() - started:.1f}"
        scored = task.result()
        view, replay = await run_signed_in(
            token, lambda signed: _keep_attempt(signed, prompt, recording, scored, study_id)
        )
        async with self:
            self._show_result(view, replay)
            self.scoring = False

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
                morae=_shown_units(w.get("morae") or [], "text", int(w["score"]), passing),
                phones=_shown_units(w.get("phones") or [], "ipa", int(w["score"]), passing),
            )
            for w in view["words"]
        ]
        self.has_pitch = bool((view.get("learner_pitch") or {}).get("times"))
        self.pitch_figure = _pitch_figure(view) if self.has_pitch else go.Figure()
        self.replay_url = replay
        self.has_result = True
