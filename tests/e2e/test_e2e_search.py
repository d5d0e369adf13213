"""A learner asks the Search page a question and finds the lesson that answers it."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The first search loads the embedding model in the app's process.
FIRST_SEARCH_MS = 120_000


def test_a_learner_asks_a_question_and_finds_the_lesson_that_answers_it(
    portal, onsen_lesson
) -> None:
    page = portal.page
    portal.sign_up(portal.new_account())
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#nav-search")
    expect(page).to_have_url(re.compile(r"/search$"))
    expect(page.locator("#search-language")).to_have_text("Japanese")
    expect(page.locator(".search-example").first).to_be_visible()

    question = "what must I do before I get into the bath at an onsen?"
    page.fill("#search-query", question)
    page.click("#search-submit")

    expect(page).to_have_url(re.compile(rf"/search\?q={re.escape(quote_plus(question))}&lang=ja$"))
    best = page.locator(".search-result").first
    expect(best).to_contain_text(onsen_lesson.title, timeout=FIRST_SEARCH_MS)
    expect(best.locator(".search-result-type")).to_have_text("Lesson")
    expect(best).to_contain_text("Wash your whole body at the shower stools")
    expect(best.locator("a.search-result-link")).to_have_attribute(
        "href", f"/lessons/{onsen_lesson.id}"
    )

    page.reload()
    expect(page.locator("#search-query")).to_have_value(question)
    expect(page.locator(".search-result").first).to_contain_text(onsen_lesson.title)

    page.fill("#search-query", "")
    page.click("#search-submit")
    expect(page.locator("#search-message")).to_be_visible()
    expect(page.locator(".search-result")).to_have_count(0)
    page.fill("#search-query", question)
    page.click("#search-submit")
    expect(page.locator(".search-result").first).to_contain_text(onsen_lesson.title)


def test_an_empty_search_asks_for_a_question_and_an_example_question_is_searched(
    portal, onsen_lesson
) -> None:
    account = portal.make_account()
    page = portal.page
    page.goto("/search")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsearch$"))
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/search$"))

    page.click("#search-submit")
    expect(page.locator("#search-message")).to_have_text(
        "Type a question or a few words to search for."
    )

    page.locator(".search-example", has_text="how do I say I'm sorry politely").click()
    expect(page.locator("#search-query")).to_have_value("how do I say I'm sorry politely")
    expect(page).to_have_url(re.compile(r"/search\?q=how\+do\+I\+say.*&lang=ja$"))
    expect(page.locator("#search-message")).to_have_count(0)
    expect(page.locator(".search-result").first).to_be_visible(timeout=FIRST_SEARCH_MS)

    page.click("#search-language")
    page.get_by_role("option", name="All languages").click()
    expect(page).to_have_url(re.compile(r"&lang=all$"))
    expect(page.locator("#search-query")).to_have_value("how do I say I'm sorry politely")
    expect(page.locator(".search-result").first).to_be_visible()
