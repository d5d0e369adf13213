"""The built-in study activities in Chromium, answered with the keyboard alone.

A small published group is imported as the portal's loader does it; sessions are started
through the study service, as the Study Activities launch does, and every answer is then given
by key presses on the activity's page.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

# term, reading, romaji, meaning, example, translation — in the group's order.
WORDS = [
    (
        "図書館",
        "としょかん",
        "toshokan",
        "library",
        "{t}で本を読みます。",
        "I read in the library.",
    ),
    ("先生", "せんせい", "sensei", "teacher", "{t}は優しいです。", "The teacher is kind."),
    ("学校", "がっこう", "gakkou", "school", "{t}に行きます。", "I go to school."),
    ("病院", "びょういん", "byouin", "hospital", "{t}は駅の近くです。", "The hospital is near."),
]


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    terms: list[str]  # in the group's order
    meanings: dict[str, str]  # by term
    readings: dict[str, str]  # by term
    word_ids: dict[str, int]  # by term

    def term_meaning(self, prompt: str) -> tuple[str, str]:
        """The term and meaning of the word a question shows `prompt` for (either way round)."""
        for term in self.terms:
            if prompt in (term, self.meanings[term]):
                return term, self.meanings[term]
        raise AssertionError(f"no word for the prompt {prompt!r}")


@pytest.fixture(scope="module")
def group(database_url: str) -> Group:
    """A Japanese course with one group of four published nouns, imported from YAML."""
    from sqlmodel import col, select

    from learn_app import db
    from learn_app.models import Word, WordGroup, WordGroupMember
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    terms = [f"{term}{n}" for term, *_ in WORDS]
    entries = "".join(
        f"""
      - term: {t}
        reading: {reading}
        romaji: {romaji}
        meaning: {meaning}
        part_of_speech: noun
        example_sentence: {example.format(t=t)}
        example_translation: {translation}"""
        for t, (_, reading, romaji, meaning, example, translation) in zip(terms, WORDS, strict=True)
    )
    text = f"""\
slug: e2e-study-run-{n}
language: ja
native_language: en
title: Study run {n}
level: JLPT N5
groups:
  - slug: places-{n}
    name: Places {n}
    words:{entries}
"""
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
        found = session.exec(select(WordGroup).where(WordGroup.slug == f"places-{n}")).one()
        by_term = dict(
            session.exec(
                select(Word.term, Word.id)
                .join(WordGroupMember, col(WordGroupMember.word_id) == col(Word.id))
                .where(WordGroupMember.group_id == found.id)
            ).all()
        )
        return Group(
            id=found.id or 0,
            name=found.name,
            terms=terms,
            meanings={t: entry[3] for t, entry in zip(terms, WORDS, strict=True)},
            readings={t: entry[1] for t, entry in zip(terms, WORDS, strict=True)},
            word_ids={t: by_term[t] for t in terms},
        )


def start_session(email: str, slug: str, group_id: int) -> int:
    """Start a session of the activity for the learner, as the Launch button does."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        activity = study.get_activity_by_slug(session, slug)
        return study.start_session(session, user, activity.id or 0, group_id).id or 0


def reviews_of(email: str) -> list[tuple[int, int, str, bool, str]]:
    """The learner's reviews in order: session, word, rating, correct, response."""
    from sqlmodel import col, select

    from learn_app import db
    from learn_app.models import Review, User

    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        rows = session.exec(
            select(Review).where(Review.user_id == user.id).order_by(col(Review.id))
        ).all()
        assert all(row.latency_ms is not None and row.latency_ms >= 0 for row in rows)
        return [(r.session_id or 0, r.word_id, r.rating, r.correct, r.response) for r in rows]


def open_activity(page: Page, slug: str, group: Group, session_id: int) -> None:
    page.goto(f"/study/{slug}?group_id={group.id}&session_id={session_id}")
    expect(page.locator("#study-card")).to_be_visible()


def prompt_text(page: Page) -> str:
    prompt = page.locator("#question-prompt")
    expect(prompt).not_to_be_empty()
    return prompt.inner_text().strip()


def test_a_new_learner_studies_a_group_with_flashcards_and_multiple_choice_by_keyboard(
    portal, group
) -> None:
    page = portal.page
    account = portal.make_account(name="Kei Keyboard")
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    # Flashcards: Space reveals, R shows the reading, 1 / 3 / 4 rate Again / Good / Easy.
    flashcards = start_session(account.email, "flashcards", group.id)
    open_activity(page, "flashcards", group, flashcards)
    expect(page.locator("#page-title")).to_have_text("Flashcards")
    expect(page.locator("#study-group")).to_have_text(group.name)
    for number, key in enumerate(["1", "3", "4", "3"], 1):
        if number == 3:  # a reload goes on with the next word not yet answered
            page.reload()
        term = group.terms[number - 1]
        expect(page.locator("#study-progress")).to_have_text(f"{number} of 4")
        expect(page.locator("#question-prompt")).to_have_text(term)
        if number == 1:
            expect(page.locator("#question-reading")).to_have_count(0)
            page.keyboard.press("r")
            expect(page.locator("#question-reading")).to_have_text(group.readings[term])
        page.keyboard.press(key)  # rating before the card is turned does nothing
        page.keyboard.press("Space")
        expect(page.locator("#answer-meaning")).to_have_text(group.meanings[term])
        page.keyboard.press(key)
        if number < 4:
            expect(page.locator("#study-progress")).to_have_text(f"{number + 1} of 4")

    summary = page.locator("#session-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#summary-accuracy")).to_have_text("75%")
    expect(page.locator("#summary-answers")).to_have_text("4 (3 right)")
    missed = page.locator(".summary-word")
    expect(missed).to_have_text([group.terms[0]])
    expect(missed).to_have_attribute("href", f"/words/{group.word_ids[group.terms[0]]}")
    expect(page.locator("#summary-session-link")).to_have_attribute(
        "href", f"/sessions/{flashcards}"
    )
    page.reload()  # an ended session shows its summary
    expect(page.locator("#summary-accuracy")).to_have_text("75%")

    # Multiple choice: keys 1-4 pick an option, Enter goes on; the second answer is wrong.
    multiple = start_session(account.email, "multiple-choice", group.id)
    open_activity(page, "multiple-choice", group, multiple)
    picked: list[str] = []
    asked: list[str] = []  # the order is the cards' due order now, not the group's
    for number in range(1, 5):
        expect(page.locator("#study-progress")).to_have_text(f"{number} of 4")
        shown = prompt_text(page)
        term, meaning = group.term_meaning(shown)
        answer = meaning if shown == term else term
        asked.append(term)
        options = page.locator(".choice-text")
        expect(options).to_have_count(4)
        texts = [text.strip() for text in options.all_inner_texts()]
        right = texts.index(answer) + 1
        choice = right if number != 2 else right % 4 + 1
        picked.append(texts[choice - 1])
        page.keyboard.press(str(choice))
        feedback = page.locator("#feedback")
        expect(feedback).to_have_attribute("data-correct", "true" if number != 2 else "false")
        if number == 2:
            expect(page.locator("#feedback-expected")).to_have_text(answer)
            expect(page.locator(f"#choice-{choice}")).to_contain_text(texts[choice - 1])
        page.keyboard.press("Enter")
    expect(page.locator("#summary-accuracy")).to_have_text("75%")

    page.goto("/dashboard")
    expect(page.locator("#stat-reviews")).to_have_text("8")
    expect(page.locator("#stat-success-rate")).to_have_text("75%")
    expect(page.locator("#stat-sessions")).to_have_text("2")

    ids = [group.word_ids[t] for t in group.terms]
    recorded = reviews_of(account.email)
    assert recorded[:4] == [
        (flashcards, ids[0], "again", False, "again"),
        (flashcards, ids[1], "good", True, "good"),
        (flashcards, ids[2], "easy", True, "easy"),
        (flashcards, ids[3], "good", True, "good"),
    ]
    assert [(s, w, rating, correct) for s, w, rating, correct, _ in recorded[4:]] == [
        (multiple, group.word_ids[asked[0]], "good", True),
        (multiple, group.word_ids[asked[1]], "again", False),
        (multiple, group.word_ids[asked[2]], "good", True),
        (multiple, group.word_ids[asked[3]], "good", True),
    ]
    assert [response for *_, response in recorded[4:]] == picked


def test_a_typing_answer_with_a_small_typo_counts_and_shows_the_expected_answer(
    portal, group
) -> None:
    page = portal.page
    account = portal.make_account(name="Tara Typist")
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    typing = start_session(account.email, "typing", group.id)
    open_activity(page, "typing", group, typing)
    expect(page.locator("#question-prompt")).to_have_text(group.terms[0])
    answer = page.locator("#answer")
    expect(answer).to_be_focused()
    # Letters and digits typed into the answer are text, never shortcuts.
    page.keyboard.type("libary 1")
    expect(answer).to_have_value("libary 1")
    answer.fill("libary")
    page.keyboard.press("Enter")
    expect(page.locator("#feedback-verdict")).to_have_text("Accepted, nearly.")
    expect(page.locator("#feedback-expected")).to_have_text("library")
    expect(page.locator("#feedback-note")).to_contain_text("small typo")
    page.keyboard.press("Enter")

    # The second word asks for its reading: romaji counts as kana.
    expect(page.locator("#study-progress")).to_have_text("2 of 4")
    expect(page.locator("#question-prompt")).to_have_text(group.terms[1])
    expect(page.locator("#question-label")).to_have_text("How is this word read?")
    expect(page.locator("#answer")).to_be_focused()
    page.keyboard.type("sensei")
    page.keyboard.press("Enter")
    expect(page.locator("#feedback-verdict")).to_have_text("Right!")
    page.click("#end-session")
    expect(page.locator("#summary-answers")).to_have_text("2 (2 right)")

    ids = group.word_ids
    assert reviews_of(account.email) == [
        (typing, ids[group.terms[0]], "hard", True, "libary"),
        (typing, ids[group.terms[1]], "good", True, "sensei"),
    ]


def test_listening_plays_real_audio_and_cloze_blanks_the_word_in_its_example(portal, group) -> None:
    page = portal.page
    account = portal.make_account(name="Clo Listener")
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    # Listening first: a learner with no cards yet hears the group's first word first.
    listening = start_session(account.email, "listening", group.id)
    open_activity(page, "listening", group, listening)
    audio = page.locator("#study-audio")
    expect(audio).to_have_attribute("src", re.compile(r"^https?://[^/]+/api/audio/\d+\?part=term"))
    response = page.request.get(audio.get_attribute("src") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.body()[:4] == b"RIFF"
    expect(page.locator(".choice-text")).to_have_count(4)
    texts = [text.strip() for text in page.locator(".choice-text").all_inner_texts()]
    page.keyboard.press(str(texts.index("library") + 1))
    expect(page.locator("#feedback")).to_have_attribute("data-correct", "true")
    expect(page.locator("#listening-transcript")).to_contain_text(group.terms[0])
    page.keyboard.press("Enter")
    expect(page.locator("#study-progress")).to_have_text("2 of 4")

    # New words come before the one just heard (its card is not due yet).
    cloze = start_session(account.email, "cloze", group.id)
    open_activity(page, "cloze", group, cloze)
    expect(page.locator("#cloze-sentence")).to_have_text("＿＿＿は優しいです。")
    expect(page.locator("#cloze-hint")).to_have_text("The teacher is kind.")
    page.fill("#answer", group.terms[1])
    page.press("#answer", "Enter")
    expect(page.locator("#feedback")).to_have_attribute("data-correct", "true")
    page.keyboard.press("Enter")
    expect(page.locator("#cloze-sentence")).to_have_text("＿＿＿に行きます。")
    page.fill("#answer", "byouin")
    page.press("#answer", "Enter")
    expect(page.locator("#feedback")).to_have_attribute("data-correct", "false")
    expect(page.locator("#feedback-expected")).to_contain_text(group.terms[2])


def test_someone_elses_session_is_not_found(portal, group) -> None:
    page = portal.page
    owner = portal.make_account(name="Owner")
    visitor = portal.make_account(name="Visitor")
    theirs = start_session(owner.email, "flashcards", group.id)
    portal.sign_in(visitor)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto(f"/study/flashcards?session_id={theirs}")
    expect(page.locator("#study-missing")).to_contain_text("does not exist")
    expect(page.locator("#study-card")).to_have_count(0)


def test_one_learners_slow_answer_keeps_no_other_learner_waiting(
    browser: Browser, app_url: str, portal, group, monkeypatch
) -> None:
    """An answer's database work runs beside the backend's event loop: while one learner's
    answer is stuck in it, another learner's card still turns at once."""
    from learn_app.services.study import plan

    slow_seconds = 5.0
    slow, quick = portal.make_account(name="Slow Sam"), portal.make_account(name="Quick Quinn")
    stuck = threading.Event()
    slowing = threading.Event()
    real_queue = plan.session_queue

    def slow_queue(session: Any, user: Any, *args: Any, **kwargs: Any) -> Any:
        if slowing.is_set() and user.email == slow.email:
            stuck.set()
            time.sleep(slow_seconds)  # a slow query, as far as the worker can tell
        return real_queue(session, user, *args, **kwargs)

    monkeypatch.setattr(plan, "session_queue", slow_queue)
    pages: dict[str, Page] = {}
    for account, page in ((slow, portal.page), (quick, browser.new_page(base_url=app_url))):
        type(portal)(page).sign_in(account)
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        session_id = start_session(account.email, "flashcards", group.id)
        open_activity(page, "flashcards", group, session_id)
        expect(page.locator("#question-prompt")).to_have_text(group.terms[0])
        pages[account.email] = page
    slow_page, quick_page = pages[slow.email], pages[quick.email]
    try:
        slow_page.keyboard.press("Space")
        expect(slow_page.locator("#answer-meaning")).to_be_visible()
        slowing.set()
        answered_at = time.perf_counter()
        slow_page.keyboard.press("3")
        assert stuck.wait(10), "the slow answer never reached its database work"

        turned_at = time.perf_counter()
        quick_page.keyboard.press("Space")
        expect(quick_page.locator("#answer-meaning")).to_have_text(group.meanings[group.terms[0]])
        turned = time.perf_counter() - turned_at

        expect(slow_page.locator("#study-progress")).to_have_text("2 of 4", timeout=20_000)
        answered = time.perf_counter() - answered_at
    finally:
        quick_page.context.close()
    assert answered >= slow_seconds
    assert turned < slow_seconds / 4, f"the other card took {turned:.2f} s to turn"
    assert [(word, rating) for _, word, rating, *_ in reviews_of(slow.email)] == [
        (group.word_ids[group.terms[0]], "good")
    ]
