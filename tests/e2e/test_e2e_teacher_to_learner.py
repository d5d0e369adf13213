"""What a teacher publishes in the browser, a learner finds by asking Search in plain English."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.courses import course_text

pytestmark = pytest.mark.e2e

# Indexing runs in the background after the teacher saves, and the first search loads the model.
INDEXED_WITHIN_S = 120
ASKED_AGAIN_AFTER_S = 1
COURSE = course_text("e2e-eating.template.yaml")


@pytest.fixture(scope="module")
def course_title(database_url: str) -> str:
    """An empty Japanese course for the teacher to fill."""
    from learn_app import db
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    title = f"Eating out in Japan {n}"
    text = COURSE.format(slug=f"e2e-eating-{n}", title=title)
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
    return title


def choose(page: Page, select_id: str, option: str | re.Pattern[str]) -> None:
    page.click(f"#{select_id}")
    page.get_by_role("option", name=option).click()


def ask_until_found(page: Page, question: str, title: str) -> None:
    """Ask on the Search page until `title` is among the results (the index catches up)."""
    page.goto("/search")
    choose(page, "search-language", "All languages")
    results = page.locator(".search-result")
    for _attempt in range(INDEXED_WITHIN_S // ASKED_AGAIN_AFTER_S):
        page.fill("#search-query", question)
        page.click("#search-submit")
        expect(results.first).to_be_visible(timeout=INDEXED_WITHIN_S * 1000)
        if results.filter(has_text=title).count():
            return
        page.wait_for_timeout(ASKED_AGAIN_AFTER_S * 1000)
    raise AssertionError(f"{title!r} was never found by {question!r}")


def test_a_lesson_and_a_word_a_teacher_publishes_are_found_by_a_learners_question(
    portal, course_title: str
) -> None:
    page = portal.page
    n = course_title.rsplit(" ", 1)[1]
    lesson_title = f"Buying a meal ticket at a ramen shop {n}"
    word_term = f"食券{n}"

    portal.sign_in(portal.make_account("teacher", name="Tomoko Teacher", edits_courses=True))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-lessons")
    page.click("#lesson-new")
    choose(page, "lesson-course", re.compile(course_title))
    page.fill("#lesson-title", lesson_title)
    page.fill(
        "#lesson-body",
        "## The ticket machine\n\n"
        "Many ramen shops sell a **食券** (しょっけん, meal ticket) from a vending machine by "
        "the door. Put the money in first, press the button for your bowl, take the ticket "
        "and hand it to the cook at the counter. Toppings have their own buttons.\n",
    )
    page.click("#lesson-publish")
    expect(page).to_have_url(re.compile(r"/lessons/\d+$"))
    lesson_path = re.sub(r"^https?://[^/]+", "", page.url)

    page.click("#nav-words")
    page.click("#word-new")
    choose(page, "word-course", re.compile(course_title))
    page.fill("#word-term", word_term)
    page.fill("#word-reading", "しょっけん")
    page.fill("#word-romaji", "shokken")
    page.fill("#word-meaning", "meal ticket; food voucher")
    page.click("#word-save")
    expect(page).to_have_url(re.compile(r"/words/\d+$"))
    word_path = re.sub(r"^https?://[^/]+", "", page.url)

    page.click("#sign-out")
    portal.sign_in(portal.make_account("learner", name="Lin Learner"))
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    ask_until_found(page, "how do I pay at a ramen shop's vending machine?", lesson_title)
    lesson = page.locator(".search-result", has_text=lesson_title)
    expect(lesson.locator(".search-result-type")).to_have_text("Lesson")
    expect(lesson.locator("a.search-result-link")).to_have_attribute("href", lesson_path)

    ask_until_found(page, "meal ticket", word_term)
    word = page.locator(".search-result", has_text=word_term).first
    expect(word.locator(".search-result-type")).to_have_text("Word")
    expect(word.locator("a.search-result-link")).to_have_attribute("href", word_path)

    word.locator("a.search-result-link").click()
    expect(page).to_have_url(re.compile(re.escape(word_path) + "$"))
    expect(page.locator("#word-meaning")).to_have_text("meal ticket; food voucher")
