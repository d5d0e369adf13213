"""The sentence constructor in Chromium: hints one after another, a wrong attempt, a right one.

The portal has no AI provider here, so the course's rules give the hints and the feedback, and
the page says so.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

FIRST_LOAD_MS = 120_000  # the dev server compiles the page the first time it is asked for


@dataclass(frozen=True)
class Group:
    id: int
    word_id: int


@pytest.fixture(scope="module")
def group(database_url: str) -> Group:
    """A Japanese group of three words; 読む's example sentence is the one to build."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import Word, WordGroup
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    text = f"""\
slug: e2e-sentences-{n}
language: ja
native_language: en
title: Sentences {n}
level: JLPT N5
groups:
  - slug: reading-{n}
    name: Reading {n}
    words:
      - term: 読む
        reading: よむ
        romaji: yomu
        meaning: to read
        part_of_speech: verb
        verb_class: godan
        example_sentence: 電車で本を読みます。
        example_reading: でんしゃでほんをよみます。
        example_translation: I read books on the train.
      - term: 電車
        reading: でんしゃ
        romaji: densha
        meaning: train
        part_of_speech: noun
      - term: 本
        reading: ほん
        romaji: hon
        meaning: book
        part_of_speech: noun
"""
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
        found = session.exec(select(WordGroup).where(WordGroup.slug == f"reading-{n}")).one()
        verb = session.exec(select(Word).where(Word.term == "読む")).one()
        return Group(id=found.id or 0, word_id=verb.id or 0)


def start_session(email: str, group_id: int) -> int:
    """A sentence-builder session for the learner, as the Launch button starts it."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        activity = study.get_activity_by_slug(session, "sentence-builder")
        return study.start_session(session, user, activity.id or 0, group_id).id or 0


def reviews_of(email: str) -> list[tuple[int, str, bool]]:
    from sqlmodel import col, select

    from learn_app import db
    from learn_app.models import Review, User

    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        rows = session.exec(
            select(Review).where(Review.user_id == user.id).order_by(col(Review.id))
        ).all()
        return [(r.word_id, r.rating, r.correct) for r in rows]


def open_sentences(page: Page, group: Group, session_id: int) -> None:
    page.goto(f"/study/sentence-builder?group_id={group.id}&session_id={session_id}")
    expect(page.locator("#sentence-card")).to_be_visible(timeout=FIRST_LOAD_MS)


def test_a_learner_takes_the_hints_in_order_and_builds_the_sentence(portal, group) -> None:
    page = portal.page
    account = portal.make_account(name="Sana Sentences")
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    open_sentences(page, group, start_session(account.email, group.id))
    expect(page.locator("#page-title")).to_have_text("Sentence constructor")
    expect(page.locator("#sentence-english")).to_have_text("I read books on the train.")
    expect(page.locator("#sentence-progress")).to_have_text("1 of 1")
    expect(page.locator("#hint-2")).to_be_disabled()
    expect(page.locator("#hint-3")).to_be_disabled()

    page.click("#hint-1")
    expect(page.locator("#hint-panel-1 .vocabulary-term")).to_have_text(["電車", "本", "読む"])
    expect(page.locator("#hint-3")).to_be_disabled()
    page.click("#hint-2")
    expect(page.locator("#sentence-structure")).to_have_text(
        "[place or means] で [object] を [verb]"
    )
    page.click("#hint-3")
    expect(page.locator("#sentence-clues")).to_contain_text("を marks the direct object")
    expect(page.locator("#sentence-notice")).to_contain_text("Offline hints and feedback.")
    expect(page.locator("#sentence-answer")).to_have_count(0)

    page.fill("#sentence-attempt", "本を読みました")
    page.click("#sentence-check")
    feedback = page.locator("#sentence-feedback")
    expect(feedback).to_have_attribute("data-verdict", "wrong")
    expect(feedback).to_contain_text("Not yet — try again.")
    expect(feedback).to_contain_text("Missing: 電車 (train).")
    expect(page.locator("#sentence-answer")).to_have_count(0)
    assert reviews_of(account.email) == []

    page.fill("#sentence-attempt", "densha de hon o yomimasu")
    page.keyboard.press("Enter")
    expect(feedback).to_have_attribute("data-verdict", "exact")
    expect(page.locator("#sentence-verdict")).to_have_text("Right!")
    expect(page.locator("#sentence-answer")).to_have_text("電車で本を読みます。")
    assert reviews_of(account.email) == [(group.word_id, "hard", True)]

    page.click("#sentence-next")
    expect(page.locator("#sentence-summary")).to_be_visible()
    expect(page.locator("#summary-answers")).to_have_text("1 (1 right)")


def test_the_answer_is_shown_only_when_confirmed_and_counts_as_missed(portal, group) -> None:
    page = portal.page
    account = portal.make_account(name="Ren Reveal")
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    open_sentences(page, group, start_session(account.email, group.id))

    page.click("#sentence-reveal")
    page.click("#sentence-reveal-cancel")
    expect(page.locator("#sentence-answer")).to_have_count(0)
    page.click("#sentence-reveal")
    page.click("#sentence-reveal-confirm")

    expect(page.locator("#sentence-answer")).to_have_text("電車で本を読みます。")
    expect(page.locator("#sentence-feedback")).to_have_attribute("data-verdict", "revealed")
    assert reviews_of(account.email) == [(group.word_id, "again", False)]
