"""Achievements in Chromium: finishing a first session is announced once and shown on the
Achievements page with its date, also after a reload."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FIRST_LOAD_MS = 120_000  # the dev server compiles a page the first time it is asked for


def a_group_of_two_words() -> int:
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import WordGroup
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    text = f"""\
slug: e2e-achievements-{n}
language: ja
native_language: en
title: Achievements {n}
level: JLPT N5
groups:
  - slug: colours-{n}
    name: Colours {n}
    words:
      - term: 赤{n}
        reading: あか
        romaji: aka
        meaning: red
        part_of_speech: noun
      - term: 青{n}
        reading: あお
        romaji: ao
        meaning: blue
        part_of_speech: noun
"""
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
        return session.exec(select(WordGroup.id).where(WordGroup.slug == f"colours-{n}")).one()


def start_flashcards(email: str, group_id: int) -> int:
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        activity = study.get_activity_by_slug(session, "flashcards")
        return study.start_session(session, user, activity.id or 0, group_id).id or 0


def test_the_last_card_of_a_first_session_is_announced_and_the_badge_shown_once(portal) -> None:
    page = portal.page
    account = portal.make_account(name="Fumi First")
    group_id = a_group_of_two_words()
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    study = start_flashcards(account.email, group_id)

    page.goto(f"/study/flashcards?group_id={group_id}&session_id={study}")
    expect(page.locator("#study-card")).to_be_visible()
    for number in (1, 2):
        expect(page.locator("#study-progress")).to_have_text(f"{number} of 2")
        page.keyboard.press("Space")
        expect(page.locator("#answer-meaning")).to_be_visible()
        page.keyboard.press("3")
    expect(page.locator("#session-summary")).to_be_visible()
    toast = page.get_by_text("Achievement unlocked: First session", exact=True)
    expect(toast).to_be_visible()

    page.goto("/achievements")
    badge = page.locator("#badge-first-session")
    expect(badge).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(badge).to_have_class(re.compile(r"\bbadge-earned\b"))
    expect(badge.locator(".badge-earned-on")).to_have_text(re.compile(r"^Earned \d{1,2} \w{3}"))
    expect(page.locator("#earned .badge-name")).to_contain_text(["First steps", "First session"])

    page.reload()
    expect(page.locator("#badge-first-session")).to_have_count(1)
    expect(page.locator("#earned .badge-name")).to_have_text(["First steps", "First session"])
    expect(page.locator("#locked #badge-first-session")).to_have_count(0)
    # Announced once: the page loaded twice and showed no toast for it again.
    page.wait_for_timeout(1000)
    expect(page.get_by_text("Achievement unlocked: First session", exact=True)).to_have_count(0)
