"""The Progress page in a browser: its Plotly charts carry the learner's own numbers."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

WORDS = [
    ("猫", "ねこ", "cat"),
    ("犬", "いぬ", "dog"),
    ("鳥", "とり", "bird"),
    ("魚", "さかな", "fish"),
]


@pytest.fixture(scope="module")
def word_ids(database_url: str) -> list[int]:
    from learn_app import db
    from learn_app.models import Course, Word

    n = uuid.uuid4().hex[:6]
    with db.session_scope() as session:
        course = Course(slug=f"e2e-progress-{n}", language="ja", title=f"Progress {n}")
        session.add(course)
        session.flush()
        ids = []
        for term, reading, meaning in WORDS:
            word = Word(
                course_id=course.id,
                language="ja",
                term=f"{term}{n}",
                reading=reading,
                meaning=meaning,
            )
            session.add(word)
            session.flush()
            ids.append(word.id)
        return ids


def _study(email: str, word_ids: list[int]) -> None:
    """Ten days ago every word is learned (Good, then Good ten minutes later); five days ago
    the first word is forgotten and the others remembered."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User
    from learn_app.services.study import activities
    from learn_app.services.study import sessions as study

    now = datetime.now(UTC)
    with db.session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        flashcards = activities.get_activity_by_slug(session, "flashcards").id
        for days_ago, outcomes in ((10, None), (5, [False, True, True, True])):
            at = now - timedelta(days=days_ago)
            sitting = study.start_session(session, user, flashcards, None, now=at)
            for n, word_id in enumerate(word_ids):
                if outcomes is None:
                    for step in (0, 10):
                        study.record_review(
                            session,
                            user,
                            sitting.id,
                            word_id,
                            correct=True,
                            rating="good",
                            now=at + timedelta(minutes=step + n),
                            latency_ms=4000,
                        )
                else:
                    study.record_review(
                        session,
                        user,
                        sitting.id,
                        word_id,
                        correct=outcomes[n],
                        now=at + timedelta(minutes=n),
                        latency_ms=6000,
                    )


def _figure(page: Page, chart_id: str) -> dict:
    plot = page.locator(f"#{chart_id}-chart .js-plotly-plot")
    # The first chart waits for Plotly's script, which the dev server prepares on first use.
    expect(plot).to_be_visible(timeout=90_000)
    return plot.evaluate(
        "plot => ({title: plot.layout.title.text, traces: plot.data.map(t => "
        "({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])}))})"
    )


def test_progress_draws_the_learners_answers_due_reviews_and_hardest_words(
    portal, word_ids: list[int]
) -> None:
    account = portal.make_account(name="Pia Progress")
    _study(account.email, word_ids)
    portal.sign_in(account)
    page = portal.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#nav-progress")
    expect(page).to_have_url(re.compile(r"/progress$"))
    reviews = _figure(page, "reviews")
    assert reviews["title"].startswith("Answers per day, last 30 days")
    assert [t["name"] for t in reviews["traces"]] == ["New", "Learning", "Review", "Relearn"]
    assert all(len(t["x"]) == 30 for t in reviews["traces"])
    # 8 answers ten days ago (4 first answers, 4 learning steps), 4 reviews five days ago.
    by_name = {t["name"]: sum(t["y"]) for t in reviews["traces"]}
    assert by_name == {"New": 4, "Learning": 4, "Review": 4, "Relearn": 0}
    expect(page.locator("#reviews-reading")).to_contain_text("You answered 12 times")

    forecast = _figure(page, "forecast")
    assert forecast["traces"][0]["x"][0] == "Overdue"
    assert len(forecast["traces"][0]["x"]) == 31
    assert sum(forecast["traces"][0]["y"]) == 4  # every card falls due somewhere

    calibration = _figure(page, "calibration")
    points = calibration["traces"][1]
    assert len(points["x"]) >= 1  # the four reviews five days ago had FSRS predictions
    expect(page.locator("#calibration-reading")).to_contain_text("RMSE(bins)")

    page.click("#reviews-days >> text=90 days")
    expect(page.locator("#reviews-chart .js-plotly-plot")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('#reviews-chart .js-plotly-plot').data[0].x.length === 90"
    )

    hardest = page.locator("#hardest-table .hard-word")
    expect(hardest).to_have_count(1)
    expect(hardest.first).to_contain_text("cat")
    expect(hardest.first.locator("a")).to_have_attribute("href", f"/words/{word_ids[0]}")
    page.click("#hardest-study")
    page.wait_for_url(re.compile(r"/study/flashcards\?session_id=\d+"))
    session_id = int(re.search(r"session_id=(\d+)", page.url).group(1))

    from learn_app import db
    from learn_app.models import StudySession

    with db.session_scope() as session:
        assert session.get(StudySession, session_id).word_ids == [word_ids[0]]


def test_progress_tells_a_new_learner_what_to_do(portal) -> None:
    account = portal.make_account(name="Nia New")
    portal.sign_in(account)
    page = portal.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto("/progress")
    expect(page.locator("#progress-empty")).to_contain_text("Start today's plan on Practice")
    expect(page.locator("#reviews-empty")).to_contain_text("Practice")
    expect(page.locator("#calibration-empty")).to_be_visible()
    expect(page.locator("#reviews-chart")).to_have_count(0)
    # The workload simulation needs no history: it is drawn from FSRS's default model.
    workload = _figure(page, "workload")
    assert workload["traces"][1]["x"] == [90]
