"""A learner asks the Tutor a question and reads an answer that cites the lesson."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The first question loads the embedding model in the app's process.
FIRST_ANSWER_MS = 120_000


def test_a_learner_asks_the_tutor_and_reopens_then_deletes_the_conversation(
    portal, onsen_lesson
) -> None:
    page = portal.page
    portal.sign_up(portal.new_account())
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#nav-tutor")
    expect(page).to_have_url(re.compile(r"/tutor$"))

    page.click("#tutor-ask")
    expect(page.locator("#tutor-error")).to_have_text("Type a question for the tutor.")

    question = "what must I do before I get into the bath at an onsen?"
    page.fill("#tutor-question", question)
    page.press("#tutor-question", "Enter")

    expect(page.locator(".tutor-learner")).to_have_text(question)
    lesson_citation = page.locator(f'a.tutor-citation[href="/lessons/{onsen_lesson.id}"]')
    expect(lesson_citation.first).to_be_visible(timeout=FIRST_ANSWER_MS)
    expect(page.locator(".tutor-answer")).to_contain_text(onsen_lesson.title)
    expect(page.locator("#tutor-offline")).to_have_text(
        "Offline tutor — answers quote the course directly"
    )
    expect(page.locator("#tutor-question")).to_have_value("")
    conversation = page.locator(".tutor-conversation")
    expect(conversation).to_have_count(1)

    page.click("#tutor-new")
    expect(page.locator(".tutor-message")).to_have_count(0)
    conversation.click()
    expect(page).to_have_url(re.compile(r"/tutor\?c=\d+$"))
    expect(page.locator(".tutor-learner")).to_have_text(question)
    expect(lesson_citation.first).to_be_visible()
    expect(page.locator("#tutor-offline")).to_be_visible()

    page.locator(".tutor-delete").click()
    expect(page.locator(".tutor-conversation")).to_have_count(0)
    expect(page.locator(".tutor-message")).to_have_count(0)


def test_a_question_asked_from_practice_opens_the_tutor_answering_it(portal, onsen_lesson) -> None:
    page = portal.page
    portal.sign_up(portal.new_account())
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-practice")

    question = "Do I wash before the bath at an onsen?"
    page.fill("#practice-ask-question", question)
    page.click("#practice-ask")

    expect(page.locator(".tutor-learner")).to_have_text(question)
    lesson_citation = page.locator(f'a.tutor-citation[href="/lessons/{onsen_lesson.id}"]')
    expect(lesson_citation.first).to_be_visible(timeout=FIRST_ANSWER_MS)
    # The address now names the conversation: a reload reopens it rather than asking again.
    expect(page).to_have_url(re.compile(r"/tutor\?c=\d+$"))
    page.reload()
    expect(page.locator(".tutor-learner")).to_have_count(1)
    expect(page.locator(".tutor-conversation")).to_have_count(1)


def test_a_link_with_a_question_fills_the_box_without_asking(portal, onsen_lesson, app_url) -> None:
    """Opening /tutor?q=… must not spend the learner's budget: the question waits in the box."""
    page = portal.page
    portal.sign_up(portal.new_account())
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    question = "Do I wash before the bath at an onsen?"

    page.goto(f"{app_url}/tutor?{urlencode({'q': question})}")

    expect(page.locator("#tutor-question")).to_have_value(question)
    page.wait_for_timeout(1500)
    expect(page.locator(".tutor-learner")).to_have_count(0)
    expect(page.locator(".tutor-conversation")).to_have_count(0)
    page.click("#tutor-ask")
    expect(page.locator(".tutor-learner")).to_have_text(question)
