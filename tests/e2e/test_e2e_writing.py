"""Writing practice in Chromium: a learner launches Writing from Study Activities, writes a
sentence with the words given and reads the offline checks; their teacher comments on it,
and the learner reads the comment beside their sentence.

The portal has no AI provider here, so the offline checks grade and say so.
"""

from __future__ import annotations

import random
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

# The first grading loads the embedding model (for the course passages) in the app's process.
FIRST_GRADING_MS = 120_000
# The dev server compiles a page the first time it is asked for it.
FIRST_PAGE_MS = 120_000
# Katakana: a suffix that keeps the terms unique in the shared test database and Japanese.
SUFFIX = "".join(random.choice("アイウエオカキクケコサシスセソ") for _ in range(6))
WORDS = [
    (f"図書館{SUFFIX}", "としょかん", "toshokan", "library"),
    (f"先生{SUFFIX}", "せんせい", "sensei", "teacher"),
]


@pytest.fixture(scope="module")
def group_name(database_url: str) -> str:
    """A published Japanese group of two words, imported as the portal's loader does it."""
    from learn_app import db
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    entries = "".join(
        f"""
      - term: {term}
        reading: {reading}
        romaji: {romaji}
        meaning: {meaning}
        part_of_speech: noun"""
        for term, reading, romaji, meaning in WORDS
    )
    text = f"""\
slug: e2e-writing-{n}
language: ja
native_language: en
title: Writing {n}
level: JLPT N5
groups:
  - slug: writing-{n}
    name: Writing words {n}
    words:{entries}
"""
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
    return f"Writing words {n}"


def enrol(teacher_email: str, learner_email: str) -> None:
    """The teacher's class, with the learner in it (invited and accepted), arranged through the
    class services."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User
    from learn_app.services.accounts import classes
    from tests.fixtures.classes import enrol as enrol_by_invitation

    with db.session_scope() as session:
        teacher = session.exec(select(User).where(User.email == teacher_email)).one()
        learner = session.exec(select(User).where(User.email == learner_email)).one()
        room = classes.create_classroom(session, teacher, name="Japanese 1", language="ja")
        session.commit()
        enrol_by_invitation(session, teacher, room.id or 0, learner)


def sign_in_as(portal, account) -> Page:
    portal.sign_in(account)
    expect(portal.page).to_have_url(re.compile(r"/dashboard$"))
    return portal.page


def test_a_learner_writes_a_sentence_and_reads_the_teachers_comment(portal, group_name) -> None:
    learner = portal.make_account("learner", name="Lin Learner")
    teacher = portal.make_account("teacher", name="Tomoko Teacher")
    enrol(teacher.email, learner.email)
    page = sign_in_as(portal, learner)

    page.click("#nav-study-activities")
    page.click("#activity-launch-writing")
    page.click("#launch-group")
    page.get_by_role("option", name=re.compile(re.escape(group_name))).click()
    page.click("#launch-start")

    expect(page).to_have_url(re.compile(r"/study/writing\?group_id=\d+&session_id=\d+$"))
    expect(page.locator(".writing-word-term")).to_have_text(
        [term for term, *_ in WORDS], timeout=FIRST_PAGE_MS
    )
    expect(page.locator(".writing-word").first).to_contain_text("としょかん")
    expect(page.locator(".writing-word").first).to_contain_text("library")

    page.click("#writing-submit")
    expect(page.locator("#writing-error")).to_have_text("Write a sentence that uses the words.")
    page.fill("#writing-text", "toshokan no sensei")
    page.click("#writing-submit")
    expect(page.locator("#writing-error")).to_contain_text("Write the sentence in Japanese")
    expect(page.locator("#writing-text")).to_have_value("toshokan no sensei")

    sentence = f"{WORDS[0][0]}で{WORDS[1][0]}に会いました"
    page.fill("#writing-text", sentence)
    page.click("#writing-submit")

    result = page.locator("#writing-result")
    expect(result).to_be_visible(timeout=FIRST_GRADING_MS)
    expect(page.locator("#writing-sentence")).to_have_text(sentence)
    expect(page.locator("#writing-offline")).to_have_text("Checked offline — no score")
    expect(page.locator("#writing-notice")).to_contain_text("Full feedback needs an AI provider.")
    expect(page.locator("#writing-text")).to_have_value(sentence)
    checks = result.locator(".writing-word-check")
    expect(checks).to_have_count(2)
    expect(checks.nth(0)).to_contain_text(f"{WORDS[0][0]} — Used")
    expect(checks.nth(1)).to_contain_text(f"{WORDS[1][0]} — Used")
    expect(result.locator(".writing-check")).to_contain_text(
        ["Written in Japanese script.", "End the sentence with 。"]
    )
    expect(page.locator(".writing-history-item")).to_have_count(1)

    page.click("#sign-out")
    sign_in_as(portal, teacher)
    page.click("#nav-teacher")
    page.click("#teacher-writing-link")
    expect(page).to_have_url(re.compile(r"/teacher/writing$"))
    item = page.locator(".writing-submission-item")
    expect(item).to_have_count(1, timeout=FIRST_PAGE_MS)
    expect(item).to_contain_text("Lin Learner")
    expect(page.locator("#writing-selected-sentence")).to_have_text(sentence)

    page.click("#writing-comment-submit")
    expect(page.locator("#writing-comment-error")).to_have_text("Write a comment first.")
    page.fill("#writing-comment-text", "Good! End it with 。 next time.")
    page.click("#writing-comment-submit")
    expect(page.locator("#writing-comments .writing-comment")).to_contain_text(
        "Good! End it with 。 next time."
    )
    expect(page.locator("#writing-comment-text")).to_have_value("")

    page.click("#sign-out")
    sign_in_as(portal, learner)
    page.goto("/study/writing")
    history = page.locator(".writing-history-item")
    expect(history).to_have_count(1)
    expect(history.locator(".writing-comment")).to_contain_text("Tomoko Teacher")
    expect(history.locator(".writing-comment")).to_contain_text("Good! End it with 。 next time.")
