"""Speaking in Chromium: a learner launches Speaking on a group, uploads a recording of the
word, and reads its feedback; then records by holding Space (Chromium's fake microphone plays
a synthesised recording) and gets the next attempt scored."""

from __future__ import annotations

import io
import re
import uuid
import wave
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Portal

pytestmark = pytest.mark.e2e

# The first attempt starts the scoring worker and loads its models; a page compiles on first use.
FIRST_SCORE_MS = 240_000
FIRST_PAGE_MS = 120_000


def _wav_file(path: Path, samples: np.ndarray) -> Path:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def group_name(database_url: str) -> str:
    """A published Spanish group holding one word with an example sentence."""
    from learn_app import db
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    text = f"""\
slug: e2e-speaking-{n}
language: es
native_language: en
title: Speaking {n}
level: A1
groups:
  - slug: speaking-{n}
    name: Speaking words {n}
    words:
      - term: gato
        meaning: cat
        part_of_speech: noun
        gender: masculine
        example_sentence: El gato duerme en la casa.
        example_translation: The cat sleeps in the house.
"""
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
    return f"Speaking words {n}"


def _launch(page: Page, group_name: str) -> None:
    page.click("#nav-study-activities")
    page.click("#activity-launch-speaking")
    page.click("#launch-group")
    page.get_by_role("option", name=re.compile(re.escape(group_name))).click()
    page.click("#launch-start")
    expect(page).to_have_url(re.compile(r"/study/speaking\?group_id=\d+&session_id=\d+$"))
    expect(page.locator("#speaking-target")).to_have_text("gato", timeout=FIRST_PAGE_MS)


def test_an_uploaded_recording_is_scored_and_shown_word_by_word(
    portal: Portal, group_name: str, tmp_path: Path
) -> None:
    from learn_app.services.speaking import voices

    learner = portal.make_account("learner", name="Sol Speaker")
    portal.sign_in(learner)
    page = portal.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    _launch(page, group_name)

    recording = _wav_file(tmp_path / "gato.wav", voices.learner("es", "gato", 0))
    page.set_input_files("#speaking-upload input[type=file]", str(recording))

    expect(page.locator("#speaking-scoring")).to_be_visible()
    feedback = page.locator("#speaking-feedback")
    expect(feedback).to_be_visible(timeout=FIRST_SCORE_MS)
    score = int(page.locator("#speaking-score").inner_text().split("/")[0])
    assert score >= 70
    expect(page.locator("#speaking-rating")).to_have_text("Good")
    expect(page.locator(".speaking-word")).to_have_count(1)
    expect(page.locator(".speaking-word")).to_contain_text("gato")
    expect(page.locator("#speaking-heard")).to_contain_text(re.compile("gato", re.I))
    expect(page.locator("#speaking-replay")).to_have_attribute(
        "src", re.compile(r"/api/speaking/attempts/\d+/audio\?")
    )

    page.keyboard.press("t")
    expect(feedback).to_be_hidden()
    page.keyboard.press("s")
    expect(page.locator("#speaking-target")).to_have_text("El gato duerme en la casa.")

    silent = _wav_file(tmp_path / "silent.wav", np.zeros(32_000, dtype=np.float32))
    page.set_input_files("#speaking-upload input[type=file]", str(silent))
    expect(page.locator("#speaking-error")).to_contain_text("Nothing could be heard")
    expect(feedback).to_be_hidden()


def test_holding_space_records_from_the_microphone(
    playwright, browser, app_url: str, group_name: str, tmp_path: Path
) -> None:
    """`browser` is the shared one: asking for it has the dev server compile every page first."""
    from learn_app.services.speaking import voices

    said = voices.learner("es", "gato", 1)
    microphone = _wav_file(tmp_path / "mic.wav", np.concatenate([said, np.zeros(48_000)]))
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone}",
        ],
    )
    try:
        context = browser.new_context(base_url=app_url, permissions=["microphone"])
        page = context.new_page()
        page.set_default_timeout(FIRST_PAGE_MS)
        portal = Portal(page)
        learner = portal.make_account("learner", name="Mia Mic")
        portal.sign_in(learner)
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        _launch(page, group_name)

        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.down(" ")
        expect(page.locator("#speaking-recording")).to_be_visible()
        page.wait_for_timeout(2_000)
        page.keyboard.up(" ")
        expect(page.locator("#speaking-recording")).to_be_hidden()

        expect(page.locator("#speaking-feedback")).to_be_visible(timeout=FIRST_SCORE_MS)
        expect(page.locator(".speaking-word")).to_contain_text("gato")
        assert page.locator("#speaking-heard").inner_text().strip()
    finally:
        browser.close()
