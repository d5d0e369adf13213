"""A learner asks the Tutor a question and reads an answer that cites the lesson."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The first question loads the embedding model in the app's process.
FIRST_ANSWER_MS = 120_000

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


def test_a_learner_asks_the_tutor_and_reopens_then_deletes_the_conversation(
    portal, onsen_lesson: Lesson
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
