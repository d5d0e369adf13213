"""A teacher opens a class dashboard: the roster flags the learner who stopped studying, the
Plotly charts draw the class's own numbers (read back from the figures in the page), and the
drill-down into a learner of another class is refused."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class ClassWorld:
    class_id: int
    ana_id: int
    ben_id: int
    outsider_id: int
    answers_today: int
    answers_in_window: int
    group_id: int
    ana: Any  # Ana's account, to sign in as her


def _figure_data(page: Page, chart_id: str) -> list[dict]:
    """The traces Plotly drew in the chart's element (what the browser actually shows)."""
    plot = page.locator(f"#{chart_id}-chart .js-plotly-plot")
    expect(plot).to_be_visible()
    page.wait_for_function(
        "id => { const el = document.querySelector(`#${id}-chart .js-plotly-plot`);"
        " return el && el.data && el.data.length > 0; }",
        arg=chart_id,
    )
    return plot.evaluate("el => el.data.map(t => ({x: t.x, y: t.y, z: t.z, type: t.type}))")


@pytest.fixture
def class_world(portal) -> tuple[ClassWorld, object]:
    """A class of Ana (studied today and yesterday, missing 猫 twice) and Ben (last seen ten
    days ago), taught by a new teacher; Olga is in another teacher's class."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import (
        Classroom,
        Course,
        Enrollment,
        Review,
        User,
        Word,
        WordGroup,
        WordGroupMember,
    )

    teacher = portal.make_account("teacher", name="Tomoko Teacher")
    other_teacher = portal.make_account("teacher", name="Tara Teacher")
    names = {n: portal.make_account("learner", name=n) for n in ("Ana", "Ben", "Olga")}
    now = datetime.now(UTC)
    n = uuid.uuid4().hex[:6]
    with db.session_scope() as session:
        users = {
            account.display_name: session.exec(
                select(User).where(User.email == account.email)
            ).one()
            for account in (teacher, other_teacher, *names.values())
        }
        course = Course(slug=f"e2e-class-{n}", language="ja", title=f"Class course {n}")
        session.add(course)
        session.flush()
        group = WordGroup(course_id=course.id, slug="animals", language="ja", name="Animals")
        session.add(group)
        session.flush()
        words = []
        for position, (term, meaning) in enumerate((("猫", "cat"), ("犬", "dog"))):
            word = Word(
                course_id=course.id,
                language="ja",
                term=f"{term}{n}",
                reading=term,
                meaning=meaning,
            )
            session.add(word)
            session.flush()
            session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
            words.append(word)
        classroom = Classroom(
            teacher_id=users["Tomoko Teacher"].id, name=f"Japanese {n}", language="ja"
        )
        other = Classroom(teacher_id=users["Tara Teacher"].id, name=f"Other {n}", language="ja")
        session.add_all([classroom, other])
        session.flush()
        session.add_all(
            [
                Enrollment(classroom_id=classroom.id, learner_id=users["Ana"].id),
                Enrollment(classroom_id=classroom.id, learner_id=users["Ben"].id),
                Enrollment(classroom_id=other.id, learner_id=users["Olga"].id),
            ]
        )
        cat, dog = words
        answers = [
            # Ana today: 猫 wrong twice, 犬 right; yesterday: both right.
            (users["Ana"], cat, now - timedelta(minutes=3), False),
            (users["Ana"], cat, now - timedelta(minutes=2), False),
            (users["Ana"], dog, now - timedelta(minutes=1), True),
            (users["Ana"], cat, now - timedelta(days=1), True),
            (users["Ana"], dog, now - timedelta(days=1), True),
            (users["Ben"], dog, now - timedelta(days=10), True),
        ]
        for user, word, at, correct in answers:
            session.add(
                Review(
                    user_id=user.id,
                    word_id=word.id,
                    rating="good" if correct else "again",
                    correct=correct,
                    reviewed_at=at,
                    card_stage="review",
                )
            )
        session.flush()
        world = ClassWorld(
            class_id=classroom.id,
            ana_id=users["Ana"].id,
            ben_id=users["Ben"].id,
            outsider_id=users["Olga"].id,
            answers_today=3,
            answers_in_window=6,
            group_id=group.id,
            ana=names["Ana"],
        )
    return world, teacher


def test_the_class_dashboard_flags_ben_and_draws_the_classs_numbers(portal, class_world) -> None:
    world, teacher = class_world
    page = portal.page
    portal.sign_in(teacher)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"/teacher/classes/{world.class_id}")

    ben = page.locator(f".roster-row[data-learner='{world.ben_id}']")
    ana = page.locator(f".roster-row[data-learner='{world.ana_id}']")
    expect(ben).to_have_attribute("data-at-risk", "true")
    expect(ben.locator(".at-risk-reason")).to_have_text("Inactive 10 days")
    expect(ana).to_have_attribute("data-at-risk", "false")
    expect(page.locator("#roster-at-risk")).to_have_text("1 of 2 at risk.")

    reviews = _figure_data(page, "class-reviews")
    assert reviews[0]["type"] == "bar"
    assert len(reviews[0]["x"]) == 30
    assert sum(reviews[0]["y"]) == world.answers_in_window
    assert reviews[0]["y"][-1] == world.answers_today

    active = _figure_data(page, "class-activity")
    assert active[0]["y"][-1] == 1  # only Ana today
    assert sum(active[0]["y"]) == 3  # Ana today and yesterday, Ben ten days ago

    missed = _figure_data(page, "class-missed")
    assert missed[0]["type"] == "heatmap"
    assert missed[0]["y"][0].startswith("猫")
    assert missed[0]["x"] == ["Ana"]
    assert missed[0]["z"] == [[2]]
    expect(page.locator(".missed-word-link").first).to_have_attribute(
        "href", re.compile(r"^/words/\d+$")
    )

    with page.expect_download() as download:
        page.click("#roster-download")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Ben," in csv_text and "Inactive 10 days" in csv_text

    page.locator(f".roster-row[data-learner='{world.ana_id}'] .roster-learner-link").click()
    expect(page).to_have_url(re.compile(rf"/learners/{world.ana_id}$"))
    expect(page.locator("#page-title")).to_have_text("Ana")
    expect(page.locator("#reviews-chart .js-plotly-plot")).to_be_visible()


def test_the_drill_down_of_a_learner_outside_the_class_is_refused(portal, class_world) -> None:
    world, teacher = class_world
    page = portal.page
    portal.sign_in(teacher)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"/teacher/classes/{world.class_id}/learners/{world.outsider_id}")

    expect(page.locator("#learner-missing")).to_contain_text("That learner is not in this class.")
    expect(page.locator(".progress-chart")).to_have_count(0)
    expect(page.locator("#page-title")).to_have_text("Learner")


def test_an_assignment_set_on_the_dashboard_reaches_the_learner_who_starts_it(
    portal, class_world
) -> None:
    world, teacher = class_world
    page = portal.page
    portal.sign_in(teacher)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto(f"/teacher/classes/{world.class_id}")
    expect(page.locator("#assign-group option")).not_to_have_count(0)

    page.select_option("#assign-group", str(world.group_id))
    due = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#assign-due", due)
    page.fill("#assign-note", "Before Friday")
    page.click("#assign-submit")

    expect(page.locator("#assign-message")).to_contain_text("“Animals” assigned")
    ana_row = page.locator(".grid-row", has_text="Ana")
    expect(ana_row.locator(".grid-cell")).to_have_attribute("data-state", "not_started")
    expect(ana_row.locator(".grid-cell")).to_contain_text("0 of 2 words")

    page.click("#sign-out")
    portal.sign_in(world.ana)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    mine = page.locator("#my-assignments .my-assignment")
    expect(mine).to_have_count(1)
    expect(mine.locator(".my-assignment-group")).to_have_text("Animals")
    expect(mine.locator(".my-assignment-state")).to_have_text("Not started")
    expect(mine).to_contain_text("Before Friday")
    mine.locator(".my-assignment-start").click()
    expect(page).to_have_url(
        re.compile(rf"/study/flashcards\?group_id={world.group_id}&session_id=\d+$")
    )
