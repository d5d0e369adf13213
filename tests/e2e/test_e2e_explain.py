"""Explain my answer: from a wrong answer in a study activity, one click opens the tutor on it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The first explanation may load the embedding model in the app's process.
FIRST_ANSWER_MS = 120_000


@dataclass(frozen=True)
class Station:
    group_id: int
    lesson_title: str


@pytest.fixture(scope="module")
def station(database_url: str) -> Station:
    """A group of three published words and a lesson about one of them, imported and indexed."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import WordGroup
    from learn_app.rag.indexing import sync_index
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    text = f"""\
slug: e2e-explain-{n}
language: ja
native_language: en
title: Getting about {n}
level: JLPT N5
groups:
  - slug: town-{n}
    name: Town {n}
    words:
      - term: 駅{n}
        reading: えき
        meaning: station
        part_of_speech: noun
        example_sentence: 駅{n}はどこですか。
        example_translation: Where is the station?
      - term: 空港{n}
        reading: くうこう
        meaning: airport
        part_of_speech: noun
      - term: 港{n}
        reading: みなと
        meaning: harbour
        part_of_speech: noun
lessons:
  - slug: at-the-station-{n}
    title: At the station {n}
    level: JLPT N5
    body: |
      ## Finding your way
      駅{n} (えき) is a railway station; ask 駅{n}はどこですか to find one.
"""
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
        session.commit()
        sync_index(session)
        group = session.exec(select(WordGroup).where(WordGroup.slug == f"town-{n}")).one()
        return Station(group_id=group.id or 0, lesson_title=f"At the station {n}")


def start_typing_session(email: str, group_id: int) -> int:
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        activity = study.get_activity_by_slug(session, "typing")
        return study.start_session(session, user, activity.id or 0, group_id).id or 0


def test_a_wrong_typed_answer_is_explained_by_the_tutor_and_the_session_carries_on(
    portal, station
) -> None:
    page = portal.page
    account = portal.new_account()
    portal.sign_up(account)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    session_id = start_typing_session(account.email, station.group_id)
    page.goto(f"/study/typing?session_id={session_id}")
    expect(page.locator("#study-progress")).to_have_text("1 of 3")

    page.fill("#answer", "banana")
    page.press("#answer", "Enter")
    expect(page.locator("#feedback-verdict")).to_have_text("Not quite.")
    expected = page.locator("#feedback-expected").inner_text()
    page.click("#explain-answer")

    expect(page).to_have_url(re.compile(r"/tutor\?c=\d+$"), timeout=FIRST_ANSWER_MS)
    expect(page.locator(".tutor-learner")).to_contain_text("Why not “banana” for ")
    answer = page.locator(".tutor-answer")
    expect(answer).to_contain_text(
        f"You answered “banana”; the expected answer is “{expected}”.", timeout=FIRST_ANSWER_MS
    )
    expect(page.locator("#tutor-offline")).to_be_visible()
    expect(page.locator("a.tutor-citation", has_text=station.lesson_title)).to_be_visible()
    expect(page.locator(".tutor-conversation").first).to_contain_text("Why not “banana” for ")

    page.click("#tutor-back-to-study")
    expect(page).to_have_url(re.compile(rf"/study/typing\?session_id={session_id}$"))
    expect(page.locator("#study-progress")).to_have_text("2 of 3")

    page.go_back()
    expect(page.locator(".tutor-answer")).to_contain_text(f"the expected answer is “{expected}”")
