"""Teachers' AI helpers for vocabulary: a theme becomes a word group (generate a list, untick a
row, import the rest), and drafted example sentences become words' examples once published.

Claude is the fake Messages API (`tests/fakes/anthropic_server.py`). The app's backend runs in
this process, so pointing the settings at the fake reaches it; they are restored afterwards.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator

import pytest
from fakes.anthropic_server import FakeAnthropic
from playwright.sync_api import Page, expect

from learn_app.config import get_settings
from tests.fixtures.courses import course_text

pytestmark = pytest.mark.e2e

# The first proposal may load the embedding model in the app's process.
FIRST_LIST_MS = 120_000

COURSE = course_text("e2e-vocabulary.template.yaml")


@pytest.fixture(scope="module")
def station_course(database_url: str) -> str:
    """A Japanese course for the new group to belong to."""
    from learn_app import db
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    text = COURSE.format(slug=f"e2e-vocabulary-{n}", n=n)
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
    return n


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic().start()
    yield server
    server.stop()


@pytest.fixture
def claude(fake_server: FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    """The app's word lists come from Claude, served by the fake, until the test ends."""
    fake_server.reset()
    monkeypatch.delenv("LEARN_LLM_PROVIDER", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_server.base_url)
    get_settings.cache_clear()
    yield fake_server
    monkeypatch.undo()
    get_settings.cache_clear()


def station_words() -> list[dict[str, str]]:
    """Three words no other test has: the digits make each term new to the course."""
    n = random.randint(100_000, 999_999)
    return [
        {
            "term": f"切符{n}",
            "reading": "きっぷ",
            "meaning": "ticket",
            "part_of_speech": "noun",
            "example_sentence": "切符を買います。",
            "example_translation": "I buy a ticket.",
        },
        {
            "term": f"改札{n}",
            "reading": "かいさつ",
            "meaning": "ticket gate",
            "part_of_speech": "noun",
            "example_sentence": "改札で会いましょう。",
            "example_translation": "Let's meet at the ticket gate.",
        },
        {
            "term": f"電車{n}",
            "reading": "でんしゃ",
            "meaning": "train",
            "part_of_speech": "noun",
            "example_sentence": "電車に乗ります。",
            "example_translation": "I take the train.",
        },
    ]


def choose(page: Page, select_id: str, option: str | re.Pattern[str]) -> None:
    page.click(f"#{select_id}")
    page.get_by_role("option", name=option).click()


def test_a_teacher_imports_the_words_they_keep_into_a_new_group(
    portal, station_course, claude
) -> None:
    page = portal.page
    ticket, gate, train = station_words()
    claude.reply_next(json.dumps({"words": [ticket, gate, train]}, ensure_ascii=False))
    portal.sign_in(portal.make_account("teacher", name="Tomoko Teacher", edits_courses=True))
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#nav-vocabulary")
    expect(page).to_have_url(re.compile(r"/vocabulary$"))
    choose(page, "vocab-language", "Japanese")
    page.fill("#vocab-theme", "at the train station")
    page.click("#vocab-generate")

    rows = page.locator(".vocab-row")
    expect(rows).to_have_count(3, timeout=FIRST_LIST_MS)
    expect(rows.nth(1).get_by_role("textbox", name="Word")).to_have_value(gate["term"])
    expect(page.locator("#vocab-notice")).to_have_count(0)
    rows.nth(1).locator(".vocab-keep").click()
    expect(rows.nth(1).locator(".vocab-keep")).to_have_attribute("aria-checked", "false")

    group_name = f"At the station {station_course}"
    page.fill("#vocab-group-name", group_name)
    choose(page, "vocab-course", f"Station Japanese {station_course}")
    page.click("#vocab-import")

    expect(page.locator("#vocab-result")).to_contain_text(f"2 added to “{group_name}”")
    page.click("#vocab-group-link")
    expect(page).to_have_url(re.compile(r"/groups/\d+$"))
    expect(page.locator("#page-title")).to_have_text(group_name)
    words = page.locator(".group-word-row")
    expect(words).to_have_count(2)
    expect(words.filter(has_text=ticket["term"])).to_have_count(1)
    expect(words.filter(has_text=train["term"])).to_have_count(1)
    expect(words.filter(has_text=gate["term"])).to_have_count(0)
    assert len(claude.requests) == 1


def test_a_teacher_edits_and_publishes_a_drafted_example_sentence(
    portal, station_course, claude
) -> None:
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import Word

    with db.session_scope() as session:
        word_id = session.exec(select(Word.id).where(Word.term == f"線{station_course}")).one()
    sentence = f"三番線{station_course}はどこですか。"
    claude.reply_next(
        json.dumps(
            {
                "examples": [
                    {
                        "word_id": word_id,
                        "sentence": sentence,
                        "reading": "さんばんせんはどこですか。",
                        "translation": "Where is track three?",
                    }
                ]
            },
            ensure_ascii=False,
        )
    )
    page = portal.page
    portal.sign_in(portal.make_account("teacher", name="Tomoko Teacher", edits_courses=True))
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#nav-examples")
    choose(page, "examples-group", re.compile(f"Platform words {station_course}"))
    page.click("#examples-generate")

    draft = page.locator(".example-draft", has_text=f"線{station_course}")
    expect(draft).to_have_count(1, timeout=FIRST_LIST_MS)
    expect(draft.get_by_role("textbox", name=re.compile("^Sentence"))).to_have_value(sentence)
    draft.get_by_role("textbox", name=re.compile("^Translation")).fill("Which way to track three?")
    draft.locator(".example-publish").click()

    expect(page.locator("#examples-message")).to_contain_text("Published")
    expect(draft).to_have_count(0)
    page.goto(f"/words/{word_id}")
    expect(page.locator("#word-example-sentence")).to_have_text(sentence)
    expect(page.locator("#word-example-translation")).to_have_text("Which way to track three?")
