"""Study Activities, Study Sessions, Practice and resetting the study history, in the browser.

Sessions and answers are arranged through the study services, as the activities record them,
so what the pages show can be checked exactly.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

ANIMALS = [
    ("猫", "ねこ", "cat"),
    ("犬", "いぬ", "dog"),
    ("鳥", "とり", "bird"),
    ("魚", "さかな", "fish"),
    ("馬", "うま", "horse"),
]


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    word_ids: dict[str, int]  # by meaning, in the group's order
    terms: dict[str, str]


@pytest.fixture(scope="module")
def group(database_url: str) -> Group:
    """A Japanese course with one group of five published words."""
    from learn_app import db
    from learn_app.models import Course, Word, WordGroup, WordGroupMember

    n = uuid.uuid4().hex[:6]
    with db.session_scope() as session:
        course = Course(slug=f"e2e-study-{n}", language="ja", title=f"Study pages {n}")
        session.add(course)
        session.flush()
        arranged = WordGroup(
            course_id=course.id, slug=f"animals-{n}", language="ja", name=f"Animals {n}"
        )
        session.add(arranged)
        session.flush()
        word_ids: dict[str, int] = {}
        terms: dict[str, str] = {}
        for position, (term, reading, meaning) in enumerate(ANIMALS):
            word = Word(
                course_id=course.id,
                language="ja",
                term=f"{term}{n}",
                reading=reading,
                meaning=meaning,
            )
            session.add(word)
            session.flush()
            session.add(WordGroupMember(group_id=arranged.id, word_id=word.id, position=position))
            word_ids[meaning], terms[meaning] = word.id, word.term
        return Group(arranged.id, arranged.name, word_ids, terms)


def learner_of(account):
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import User

    with db.session_scope() as session:
        return session.exec(select(User).where(User.email == account.email)).one()


def start(user, slug: str, group_id: int | None, at: datetime) -> int:
    from learn_app import db
    from learn_app.services.study import activities
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        activity = activities.get_activity_by_slug(session, slug)
        return study.start_session(session, user, activity.id, group_id, now=at).id


def end(user, session_id: int, at: datetime) -> None:
    from learn_app import db
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        study.end_session(session, user, session_id, now=at)


def answer(user, session_id: int, word_id: int, at: datetime, **how) -> None:
    from learn_app import db
    from learn_app.services.study import sessions as study

    with db.session_scope() as session:
        study.record_review(session, user, session_id, word_id, now=at, **how)


def choose(page: Page, select_id: str, option: str | re.Pattern[str]) -> None:
    page.click(f"#{select_id}")
    page.get_by_role("option", name=option).click()


def signed_in(portal, account) -> Page:
    portal.sign_in(account)
    expect(portal.page).to_have_url(re.compile(r"/dashboard$"))
    return portal.page


# ------------------------------------------------------------------------------ activities


def test_launching_an_activity_on_a_chosen_group_starts_a_session_and_opens_it(
    portal, group: Group
) -> None:
    from learn_app import db
    from learn_app.services.study import session_history

    account = portal.make_account(name="Lin Learner")
    page = signed_in(portal, account)
    page.click("#nav-study-activities")
    expect(page.locator(".activity-card")).to_have_count(8)  # the eight built-in activities
    expect(page.locator(".activity-card[data-slug='flashcards'] img")).to_have_attribute(
        "src", "/activities/flashcards.svg"
    )

    page.click("#activity-launch-multiple-choice")
    expect(page.locator("#launch-dialog")).to_be_visible()
    choose(page, "launch-group", re.compile(re.escape(group.name)))
    page.click("#launch-start")

    page.wait_for_url(re.compile(rf"/study/multiple-choice\?group_id={group.id}&session_id=\d+"))
    session_id = int(re.search(r"session_id=(\d+)", page.url).group(1))
    with db.session_scope() as session:
        started = session_history.get_session(session, learner_of(account), session_id).session
    assert (started.activity_slug, started.group_id, started.review_count) == (
        "multiple-choice",
        group.id,
        0,
    )

    page.goto(f"/study-activities/{started.activity_id}")
    expect(page.locator("#page-title")).to_have_text("Multiple choice")
    rows = page.locator("#activity-sessions-table .session-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-session-id", str(session_id))
    expect(rows.first.locator(".session-group")).to_have_text(group.name)


# ------------------------------------------------------------------------------ sessions


def test_the_sessions_list_and_a_session_show_exactly_the_answers_given(
    portal, group: Group
) -> None:
    account = portal.make_account(name="Sam Learner")
    user = learner_of(account)
    now = datetime.now(UTC)
    words = group.word_ids
    earlier = start(user, "flashcards", group.id, now - timedelta(hours=2))
    for minute, (meaning, correct) in enumerate(
        [("cat", True), ("dog", False), ("cat", True), ("bird", False)]
    ):
        at = now - timedelta(hours=2) + timedelta(minutes=minute)
        answer(user, earlier, words[meaning], at, correct=correct)
    later = start(user, "typing", group.id, now - timedelta(hours=1))
    answer(user, later, words["fish"], now - timedelta(minutes=58), correct=True)
    end(user, later, now - timedelta(minutes=55))

    page = signed_in(portal, account)
    expect(page.locator("#dashboard-last-session")).to_have_text(f"Typing · {group.name}")
    expect(page.locator("#dashboard-last-session")).to_have_attribute("href", f"/sessions/{later}")
    expect(page.locator("#dashboard-study-progress")).to_have_text(
        re.compile(r"^4 of \d+ words studied$")
    )

    page.click("#nav-sessions")
    expect(page).to_have_url(re.compile(r"/sessions$"))
    rows = page.locator("#sessions-table .session-row")
    expect(rows).to_have_count(2)
    newest, oldest = rows.nth(0), rows.nth(1)
    expect(newest).to_have_attribute("data-session-id", str(later))
    expect(newest.locator(".session-activity")).to_have_text("Typing")
    expect(newest.locator(".session-reviews")).to_have_text("1")
    expect(newest.locator(".session-accuracy")).to_have_text("100%")
    expect(oldest).to_have_attribute("data-session-id", str(earlier))
    expect(oldest.locator(".session-activity")).to_have_text("Flashcards")
    expect(oldest.locator(".session-group")).to_have_text(group.name)
    expect(oldest.locator(".session-ended")).to_have_text("In progress")
    expect(oldest.locator(".session-reviews")).to_have_text("4")
    expect(oldest.locator(".session-accuracy")).to_have_text("50%")

    oldest.locator(".session-link").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{earlier}$"))
    expect(page.locator("#session-reviews")).to_have_text("4")
    expect(page.locator("#session-correct")).to_have_text("2")
    expect(page.locator("#session-wrong")).to_have_text("2")
    expect(page.locator("#session-accuracy")).to_have_text("50%")
    expect(page.locator("#session-group")).to_have_text(group.name)
    expect(page.locator("#session-continue")).to_have_attribute(
        "href", f"/study/flashcards?group_id={group.id}&session_id={earlier}"
    )
    answered = page.locator(".session-word-row")
    expect(answered).to_have_count(3)
    for n, (meaning, right, wrong) in enumerate([("cat", 2, 0), ("dog", 0, 1), ("bird", 0, 1)]):
        row = answered.nth(n)
        expect(row).to_have_attribute("data-term", group.terms[meaning])
        expect(row.locator(".session-word-correct")).to_have_text(str(right))
        expect(row.locator(".session-word-wrong")).to_have_text(str(wrong))

    answered.nth(0).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/words/{words['cat']}$"))
    expect(page.locator("#word-correct")).to_have_text("2")


# ------------------------------------------------------------------------------ practice


def test_practice_shows_todays_plan_and_starts_a_session_on_it(portal, group: Group) -> None:
    from learn_app import db
    from learn_app.services.study import session_history

    account = portal.make_account(name="Pat Learner")
    user = learner_of(account)
    _set_daily_goal(user, 3)
    now = datetime.now(UTC)
    two_days_ago = now - timedelta(days=2)
    words = group.word_ids
    first = start(user, "flashcards", group.id, two_days_ago)
    answer(user, first, words["cat"], two_days_ago, correct=False)  # due again minutes later
    answer(user, first, words["dog"], two_days_ago + timedelta(minutes=1), correct=False)
    answer(user, first, words["bird"], now - timedelta(minutes=1), correct=True, rating="easy")

    page = signed_in(portal, account)
    page.click("#nav-practice")
    expect(page.locator("#practice-due")).to_have_text("2")
    expect(page.locator("#practice-new")).to_have_text("2")  # the goal of 3, less bird today
    expect(page.locator("#practice-introduced")).to_have_text("1")
    expect(page.locator("#practice-goal")).to_have_text("3")
    queue = page.locator("#practice-queue .practice-item")
    expect(queue).to_have_count(4)
    assert [queue.nth(n).get_attribute("data-term") for n in range(4)] == [
        group.terms[m] for m in ("cat", "dog", "fish", "horse")
    ]
    plot = page.locator("#practice-forecast-chart .js-plotly-plot")
    expect(plot).to_be_visible()
    days, due = plot.evaluate("plot => [Array.from(plot.data[0].x), Array.from(plot.data[0].y)]")
    assert (len(days), days[0]) == (31, "Overdue")  # the backlog, then 30 days from today
    assert due[0] == 2  # cat and dog, due again since two days ago
    assert sum(due) == 3

    page.click("#practice-start")
    page.wait_for_url(re.compile(r"/study/flashcards\?session_id=\d+"))
    session_id = int(re.search(r"session_id=(\d+)", page.url).group(1))
    with db.session_scope() as session:
        started = session_history.get_session(session, learner_of(account), session_id).session
    assert (started.activity_slug, started.group_id) == ("flashcards", None)


def test_practice_says_so_when_nothing_is_due_and_the_goal_is_met(portal, group: Group) -> None:
    account = portal.make_account(name="Kim Learner")
    user = learner_of(account)
    _set_daily_goal(user, 1)
    now = datetime.now(UTC)
    studied = start(user, "flashcards", group.id, now - timedelta(minutes=5))
    answer(
        user,
        studied,
        group.word_ids["cat"],
        now - timedelta(minutes=4),
        correct=True,
        rating="easy",
    )

    page = signed_in(portal, account)
    page.goto("/practice")
    expect(page.locator("#practice-empty")).to_contain_text("met today's goal of 1 new words")
    expect(page.locator("#practice-next-reviews")).to_contain_text("1 review")
    expect(page.locator("#practice-start")).to_have_count(0)
    expect(page.locator("#practice-due")).to_have_text("0")


def _set_daily_goal(user, goal: int) -> None:
    from learn_app import db
    from learn_app.models import User

    with db.session_scope() as session:
        session.get(User, user.id).daily_goal = goal


# ------------------------------------------------------------------------------ reset


def test_resetting_the_study_history_after_confirming_empties_sessions_and_stats(
    portal, group: Group
) -> None:
    account = portal.make_account(name="Ray Learner")
    user = learner_of(account)
    now = datetime.now(UTC)
    studied = start(user, "flashcards", group.id, now - timedelta(minutes=10))
    answer(user, studied, group.word_ids["cat"], now - timedelta(minutes=9), correct=True)
    answer(user, studied, group.word_ids["dog"], now - timedelta(minutes=8), correct=False)

    page = signed_in(portal, account)
    expect(page.locator("#stat-reviews")).to_have_text("2")
    expect(page.locator("#stat-sessions")).to_have_text("1")
    page.click("#nav-settings")
    page.click("#reset-history")
    expect(page.locator("#reset-history-confirm")).to_be_visible()
    page.click("#reset-history-confirm")
    expect(page.locator("#reset-history-message")).to_have_text(
        "Your study history is reset: removed 2 answers, 1 study session and 2 cards."
    )

    page.click("#nav-sessions")
    expect(page.locator("#sessions-empty")).to_be_visible()
    expect(page.locator("#sessions-table")).to_have_count(0)
    page.click("#nav-dashboard")
    expect(page.locator("#stat-reviews")).to_have_text("0")
    expect(page.locator("#stat-sessions")).to_have_text("0")
    expect(page.locator("#stat-success-rate")).to_have_text("0%")
    expect(page.locator("#dashboard-no-session")).to_be_visible()
