"""Speaking practice: hear the word or sentence, say it, and see which parts to fix.

Keyboard first: hold Space (or press R to start and R again to stop) to record, P plays the
reference, T tries again, N goes to the next word, W / S switch between the word and its
example sentence. Browsers without a microphone (or pages not on https:// or localhost) can
upload a recording instead.
"""

from __future__ import annotations

import json
from typing import Any, cast

import reflex as rx
from reflex_audio_capture import AudioRecorderPolyfill
from reflex_base.components.component import field
from reflex_base.utils.imports import ImportDict, ImportVar
from reflex_base.vars.base import Var
from reflex_components_core.base.fragment import Fragment

from learn_app.components.activity_page import activity_page, feedback_card
from learn_app.components.forms import form_error
from learn_app.components.keyboard import keyboard_shortcuts
from learn_app.components.layout import template
from learn_app.services.speaking.audio import MAX_SECONDS
from learn_app.state.speaking import (
    REFERENCE_AUDIO_ID,
    SHORTCUT_KEYS,
    ShownMora,
    ShownWord,
    SpeakingState,
)

S = SpeakingState
UPLOAD_ID = "speaking-upload"
RECORDER_ID = "speaking-recorder"
TONE_COLOURS = {"green": "green", "amber": "amber", "red": "red", "gray": "gray"}
_TEXT_ENTRY = "input, textarea, select, [contenteditable=''], [contenteditable='true']"
_ACTIVATES = "button, a[href], summary, [role='button'], [role='link'], [role='option'], audio"


class HoldToRecord(Fragment):
    """Space held down records until it is released; R starts, and R again stops.

    Runs in the browser against the recorder's own start/stop functions, so recording starts
    the moment the key goes down, with no round trip to the server.
    """

    recorder_ref: str = field(default="", is_javascript_property=False)

    @classmethod
    def create(cls, recorder: AudioRecorderPolyfill) -> HoldToRecord:
        component = cast("HoldToRecord", super().create())
        component.recorder_ref = recorder.get_ref()
        return component

    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")], "$/utils/state": [ImportVar(tag="refs")]}

    def add_hooks(self) -> list[str | Var[Any]]:
        ref = json.dumps(self.recorder_ref)
        return [
            Var(
                f"""
useEffect(() => {{
    if (typeof window === 'undefined') return;
    const ref = {ref};
    const recording = () => refs['mediarecorder_state_' + ref] === 'recording';
    const start = () => {{ const go = refs['mediarecorder_start_' + ref]; if (go) go(); }};
    const stop = () => {{
        const recorder = refs['mediarecorder_' + ref];
        if (recorder && recorder.state === 'recording') {{
            recorder.stop();
            recorder.stream.getAudioTracks().forEach((track) => track.stop());
        }}
    }};
    let held = false;
    const ours = (e) => {{
        if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return false;
        const target = e.target instanceof Element ? e.target : null;
        if (target && (target.isContentEditable || target.closest("{_TEXT_ENTRY}"))) return false;
        if (e.key === ' ' && target && target.closest("{_ACTIVATES}")) return false;
        return e.key === ' ' || e.key === 'r' || e.key === 'R';
    }};
    const down = (e) => {{
        if (!ours(e)) return;
        e.preventDefault();
        if (e.repeat) return;
        if (e.key === ' ') {{ held = true; if (!recording()) start(); }}
        else if (recording()) stop();
        else start();
    }};
    const up = (e) => {{
        if (e.key !== ' ' || !held) return;
        held = false;
        e.preventDefault();
        stop();
    }};
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {{
        window.removeEventListener('keydown', down);
        window.removeEventListener('keyup', up);
    }};
}}, []);
"""
            )
        ]


def _recorder() -> AudioRecorderPolyfill:
    return AudioRecorderPolyfill.create(
        id=RECORDER_ID,
        on_data_available=S.recorded,
        on_error=S.recorder_failed,
        # WAV, encoded in the page: the MP3 encoder would fetch lamejs from a CDN.
        use_mp3=False,
    )


def _prompt() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.segmented_control.root(
                rx.segmented_control.item("Word (W)", value="term"),
                rx.segmented_control.item("Sentence (S)", value="example"),
                value=S.part,
                on_change=S.choose_part,
                id="speaking-part",
            ),
            rx.spacer(),
            rx.text(S.position + 1, " of ", S.total, size="2", color_scheme="gray"),
            width="100%",
            align="center",
        ),
        rx.text(S.text, id="speaking-target", size="8", weight="bold", lang=S.language),
        rx.cond(S.reading, rx.text(S.reading, size="4", color_scheme="gray", lang="ja")),
        rx.text(S.meaning, size="3", id="speaking-meaning"),
        rx.hstack(
            rx.button(
                rx.icon("volume-2", size=16),
                "Listen (P)",
                on_click=S.play_reference,
                variant="soft",
                id="speaking-listen",
            ),
            rx.el.audio(src=S.reference_url, id=REFERENCE_AUDIO_ID, preload="none"),
            align="center",
        ),
        spacing="2",
        width="100%",
    )


def _record_controls(recorder: AudioRecorderPolyfill) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(
                recorder.is_recording,
                rx.button(
                    rx.icon("square", size=16),
                    "Stop (release Space, or R)",
                    on_click=recorder.stop(),
                    color_scheme="red",
                    size="3",
                    id="speaking-stop",
                ),
                rx.button(
                    rx.icon("mic", size=16),
                    "Record (hold Space, or R)",
                    on_click=recorder.start(),
                    size="3",
                    disabled=S.scoring,
                    id="speaking-record",
                ),
            ),
            rx.cond(
                recorder.is_recording,
                rx.badge("Recording…", color_scheme="red", id="speaking-recording"),
            ),
            align="center",
        ),
        rx.text(
            f"Say it once, at your own pace; up to {MAX_SECONDS:.0f} seconds.",
            size="1",
            color_scheme="gray",
        ),
        rx.upload(
            rx.hstack(
                rx.icon("upload", size=16),
                rx.text("No microphone? Drop or choose a recording (WAV, WebM, OGG, MP3, M4A)"),
                align="center",
            ),
            id=UPLOAD_ID,
            accept={"audio/*": [".wav", ".webm", ".ogg", ".oga", ".mp3", ".m4a", ".opus"]},
            multiple=False,
            max_files=1,
            on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="8px",
            padding="0.75rem",
            width="100%",
            cursor="pointer",
            aria_label="Upload a recording",
        ),
        spacing="2",
        width="100%",
    )


def _progress() -> rx.Component:
    return rx.cond(
        S.scoring,
        rx.hstack(
            rx.spinner(size="2"),
            rx.text(
                "Scoring your recording: listening, lining up the sounds, comparing the pitch… ",
                S.elapsed,
                " s",
                size="2",
            ),
            id="speaking-scoring",
            align="center",
            aria_live="polite",
        ),
    )


def _mora(mora: ShownMora) -> rx.Component:
    return rx.tooltip(
        rx.text(
            mora.text,
            as_="span",
            size="5",
            color=rx.match(
                mora.tone,
                ("green", rx.color("green", 11)),
                ("amber", rx.color("amber", 11)),
                rx.color("red", 11),
            ),
            class_name="speaking-mora",
            data_score=mora.score,
        ),
        content=mora.score.to_string() + " / 100",
    )


def _word(word: ShownWord) -> rx.Component:
    return rx.vstack(
        rx.text(word.text, size="2", color_scheme="gray"),
        rx.cond(
            word.morae.length() > 0,
            rx.hstack(rx.foreach(word.morae, _mora), spacing="0"),
            rx.text(word.text, size="5", weight="bold"),
        ),
        rx.cond(word.ipa, rx.text("/", word.ipa, "/", size="1", color_scheme="gray")),
        rx.cond(
            word.phones.length() > 0,
            rx.hstack(rx.foreach(word.phones, _mora), spacing="1", class_name="speaking-phones"),
        ),
        rx.badge(
            word.score,
            color_scheme=rx.match(word.tone, ("green", "green"), ("amber", "amber"), "red"),
            class_name="speaking-word-score",
        ),
        align="center",
        spacing="1",
        class_name="speaking-word",
        padding="0.25rem 0.5rem",
        border_radius="6px",
        background=rx.match(
            word.tone,
            ("green", rx.color("green", 3)),
            ("amber", rx.color("amber", 3)),
            rx.color("red", 3),
        ),
    )


def _feedback() -> rx.Component:
    return feedback_card(
        S.has_result,
        rx.hstack(
            rx.heading(S.score, " / 100", size="7", id="speaking-score"),
            rx.badge(
                S.rating_label,
                color_scheme=rx.match(S.score_tone, ("green", "green"), ("amber", "amber"), "red"),
                size="3",
                id="speaking-rating",
            ),
            rx.text("pass mark ", S.pass_score, size="2", color_scheme="gray"),
            align="center",
            spacing="3",
        ),
        rx.hstack(rx.foreach(S.words, _word), wrap="wrap", spacing="2", id="speaking-words"),
        rx.text(
            "We heard: ",
            rx.text(S.heard, as_="span", weight="bold", id="speaking-heard"),
            rx.cond(S.heard_kana, rx.text(" (", S.heard_kana, ")", as_="span")),
            size="3",
        ),
        rx.text(
            "Clear to a listener: ",
            S.intelligibility,
            " / 100",
            rx.cond(
                S.pitch_score >= 0,
                rx.text(" · pitch accent: ", S.pitch_score, " / 100", as_="span"),
            ),
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            S.has_pitch,
            rx.box(rx.plotly(data=S.pitch_figure), width="100%", id="speaking-pitch"),
        ),
        rx.hstack(
            rx.text("Your recording", size="2"),
            rx.el.audio(src=S.replay_url, controls=True, id="speaking-replay"),
            align="center",
            wrap="wrap",
        ),
        rx.hstack(
            rx.button("Try again (T)", on_click=S.try_again, id="speaking-try-again"),
            rx.button("Next (N)", on_click=S.next_word, variant="soft", id="speaking-next"),
        ),
        card_id="speaking-feedback",
    )


def _pass_mark() -> rx.Component:
    return rx.hstack(
        rx.text("Pass mark", size="2"),
        rx.slider(
            value=[S.pass_score],
            on_value_commit=S.change_pass_score,
            min=40,
            max=95,
            step=5,
            width="12rem",
            id="speaking-pass-mark",
        ),
        rx.text(S.pass_score, size="2"),
        rx.text(
            "Good at or above it, Hard within 15 points below, Again under that.",
            size="1",
            color_scheme="gray",
        ),
        align="center",
        wrap="wrap",
    )


def _practice() -> rx.Component:
    recorder = _recorder()
    return rx.vstack(
        recorder,
        HoldToRecord.create(recorder),
        keyboard_shortcuts(on_key=S.shortcut, keys=SHORTCUT_KEYS),
        rx.card(
            rx.vstack(
                _prompt(),
                rx.divider(),
                _record_controls(recorder),
                _progress(),
                form_error(S.error, error_id="speaking-error"),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        _feedback(),
        _pass_mark(),
        rx.text(
            "Keys: hold Space or press R to record, P listens, T tries again, N next, "
            "W word, S sentence.",
            size="1",
            color_scheme="gray",
            id="speaking-keys",
        ),
        spacing="4",
        width="100%",
    )


@template(route="/study/speaking", title="Speaking", on_load=SpeakingState.load)
def study_speaking() -> rx.Component:
    return activity_page(
        "Speaking",
        "Say the word or sentence, and see which sounds to work on.",
        prefix="speaking",
        loaded=S.loaded,
        missing=S.missing,
        practice=_practice(),
        max_width="52rem",
        margin_x="auto",
    )


__all__ = ["study_speaking"]
