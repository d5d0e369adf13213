"""A learner asks the Search page a question and finds the lesson that answers it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The first search loads the embedding model in the app's process.
FIRST_SEARCH_MS = 120_000

COURSE = """\
slug: {slug}
language: ja
native_language: en
title: Travel manners in Japan
level: JLPT N5
lessons:
  - slug: {slug}-onsen
    title: Bathing at a hot spring
    level: JLPT N5
    summary: What to do before, in and after the bath at an onsen (温泉).
    body: |
      ## Before you get in
      Wash your whole body at the shower stools first: sit down, soap up and rinse off
      completely. Pour a bowl of hot water over yourself (かけ湯, kakeyu) before you step in.
      The bath is for soaking, never for washing.

      ## In the bath
      Your small towel stays out of the water — fold it on your head. Don't swim or splash.

      ## Useful words
      - 温泉 (おんせん, onsen): hot spring
      - お風呂 (おふろ, ofuro): bath
  - slug: {slug}-shinkansen
    title: Riding the Shinkansen
    level: JLPT N5
    summary: Reserved seats, unreserved cars and luggage on the bullet train.
    body: |
      ## Seats
      指定席 (shiteiseki) are reserved seats; 自由席 (jiyuuseki) cars are first come, first
      served. Large suitcases need a reservation for the oversized luggage area.
"""


@dataclass(frozen=True)
class Lesson:
    id: int
    title: str


@pytest.fixture(scope="module")
def onsen_lesson(database_url: str) -> Lesson:
    """A published Japanese course, imported and indexed as the portal does it."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import Course, Document
    from learn_app.rag.indexing import sync_index
    from learn_app.services.course_format import parse_course_text
    from learn_app.services.importer import apply_import

    slug = f"ja-travel-{uuid.uuid4().hex[:8]}"
    spec = parse_course_text(COURSE.format(slug=slug), file="travel.yaml", fmt="yaml")
    with db.session_scope() as session:
        apply_import(session, None, spec)
        session.commit()
        sync_index(session)
        course = session.exec(select(Course).where(Course.slug == slug)).one()
        lesson = session.exec(
            select(Document).where(
                Document.course_id == course.id, Document.slug == f"{slug}-onsen"
            )
        ).one()
        assert lesson.id is not None
        return Lesson(id=lesson.id, title=lesson.title)


def test_a_learner_asks_a_question_and_finds_the_lesson_that_answers_it(
    portal, onsen_lesson: Lesson
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
    portal, onsen_lesson: Lesson
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
