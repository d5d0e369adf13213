"""With Claude answering, the tutor's answer reaches the page in pieces and its citations link.

Claude is the fake Messages API (`tests/fakes/anthropic_server.py`) streaming a short reply in
small pieces with a pause between them. The app's backend runs in this process, so pointing the
settings at the fake is enough; the other browser tests keep the offline tutor.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fakes.anthropic_server import FakeAnthropic
from playwright.sync_api import Page, expect

from learn_app.config import get_settings
from learn_app.services.tutor.tutor import LESSON_PASSAGES, WORD_PASSAGES
from tests.fixtures.courses import course_text

pytestmark = pytest.mark.e2e

# The first question may load the embedding model in the app's process.
FIRST_ANSWER_MS = 120_000
QUESTION = "what must I do before I get into the bath at an onsen?"
# Every passage number the tutor can send (its lessons and words): the ones that exist are cited.
PASSAGES = LESSON_PASSAGES + WORD_PASSAGES
REPLY = (
    "Wash your whole body at the shower stools first [1], then pour hot water over "
    "yourself before you step in [2]. A hot spring is an onsen "
    + "".join(f"[{n}]" for n in range(3, PASSAGES + 1))
    + "."
)
CHUNK_CHARS = 10
CHUNK_DELAY_SECONDS = 0.15
PARTIAL_TEXTS_REQUIRED = 3

HOT_SPRING_WORDS = course_text("e2e-hot-spring.template.yaml")

# Records every text the latest answer shows (without its citation links), as React renders it.
WATCH_THE_ANSWER = """() => {
    window.__answerTexts = [];
    const answerText = () => {
        const answers = document.querySelectorAll('.tutor-answer');
        if (!answers.length) return null;
        const copy = answers[answers.length - 1].cloneNode(true);
        copy.querySelectorAll('.tutor-citations').forEach((links) => links.remove());
        return copy.innerText.trim();
    };
    new MutationObserver(() => {
        const text = answerText();
        const seen = window.__answerTexts;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


@dataclass(frozen=True)
class IndexedWord:
    id: int
    title: str


@pytest.fixture(scope="module")
def hot_spring_word(database_url: str) -> IndexedWord:
    """A published, indexed Japanese word the onsen question finds."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import Course, Word
    from learn_app.rag.indexing import sync_index
    from learn_app.services.content.course_files import parse_course_text
    from learn_app.services.content.importer import apply_import

    slug = f"ja-onsen-words-{uuid.uuid4().hex[:8]}"
    spec = parse_course_text(HOT_SPRING_WORDS.format(slug=slug), file="words.yaml", fmt="yaml")
    with db.session_scope() as session:
        apply_import(session, None, spec)
        session.commit()
        sync_index(session)
        course = session.exec(select(Course).where(Course.slug == slug)).one()
        word = session.exec(select(Word).where(Word.course_id == course.id)).one()
        assert word.id is not None
        return IndexedWord(id=word.id, title=f"{word.term} — {word.meaning}")


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic().start()
    yield server
    server.stop()


@pytest.fixture
def claude(fake_server: FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    """The app's tutor answers with Claude, served by the fake, until the test ends."""
    fake_server.reset()
    fake_server.reply = REPLY
    fake_server.chunk_chars = CHUNK_CHARS
    fake_server.chunk_delay = CHUNK_DELAY_SECONDS
    monkeypatch.delenv("LEARN_LLM_PROVIDER", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_server.base_url)
    get_settings.cache_clear()
    yield fake_server
    monkeypatch.undo()
    get_settings.cache_clear()


def sent_passage_titles(claude: FakeAnthropic) -> dict[int, str]:
    """Passage number → title, as the tutor sent them to Claude."""
    [request] = claude.requests
    content = request["body"]["messages"][-1]["content"]
    return {
        int(n): title for n, title in re.findall(r'<passage id="(\d+)" title="([^"]*)">', content)
    }


def ask(page: Page, question: str) -> None:
    page.fill("#tutor-question", question)
    page.click("#tutor-ask")


def test_claudes_answer_grows_in_the_page_piece_by_piece(
    portal, onsen_lesson, hot_spring_word, claude
) -> None:
    page = portal.page
    portal.sign_up(portal.new_account())
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto("/tutor")
    expect(page.locator("#tutor-question")).to_be_visible()
    page.evaluate(WATCH_THE_ANSWER)

    ask(page, QUESTION)

    citations = page.locator(".tutor-answer a.tutor-citation")
    expect(citations.first).to_be_visible(timeout=FIRST_ANSWER_MS)
    expect(page.locator("#tutor-offline")).to_have_count(0)
    seen: list[str] = page.evaluate("window.__answerTexts")
    final = seen[-1]
    assert final.startswith("Wash your whole body") and final.endswith(f"[{PASSAGES}].")
    partial = [text for text in seen[:-1] if final.startswith(text) and text != final]
    assert len(set(partial)) >= PARTIAL_TEXTS_REQUIRED, seen


def test_the_streamed_answers_citations_link_to_the_lesson_and_word_they_name(
    portal, onsen_lesson, hot_spring_word, claude
) -> None:
    page = portal.page
    portal.sign_up(portal.new_account())
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto("/tutor")

    ask(page, QUESTION)

    lesson_link = page.locator(f'a.tutor-citation[href="/lessons/{onsen_lesson.id}"]')
    word_link = page.locator(f'a.tutor-citation[href="/words/{hot_spring_word.id}"]')
    expect(lesson_link).to_be_visible(timeout=FIRST_ANSWER_MS)
    expect(lesson_link).to_contain_text(onsen_lesson.title)
    expect(word_link).to_be_visible()
    expect(word_link).to_contain_text(hot_spring_word.title)
    # Each link is numbered as the passage was numbered in what Claude was sent.
    titles = sent_passage_titles(claude)
    links = page.locator(".tutor-answer a.tutor-citation")
    expect(links).to_have_count(len(titles))
    for n, title in titles.items():
        link = links.nth(n - 1)
        expect(link).to_have_text(f"[{n}] {title}")
        expect(link).to_have_attribute("href", re.compile(r"^/(lessons|words)/\d+$"))
