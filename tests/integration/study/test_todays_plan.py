"""Today's plan: due reviews first, then new words up to the daily goal; and the forecast."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learn_app.models import WordGroupMember
from learn_app.services.study import plan
from learn_app.services.study import sessions as study

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TOKYO = ZoneInfo("Asia/Tokyo")


def kinds_and_meanings(todays) -> list[tuple[str, str]]:
    return [(item.kind, item.meaning) for item in todays.items]


def test_a_new_learner_starts_with_new_words_from_their_course_in_order(
    session, learner, words
) -> None:
    todays = plan.todays_plan(session, learner, now=NOW)
    assert (todays.due_count, todays.new_count) == (0, 7)
    assert [m for _, m in kinds_and_meanings(todays)] == [
        "cat",
        "dog",
        "bird",
        "fish",
        "water",
        "rice",
        "meat",
    ]


def test_due_reviews_come_first_the_most_overdue_first_then_new_words(
    session, learner, words, give_card
) -> None:
    give_card(learner, words["dog"], due=NOW - timedelta(hours=1))
    give_card(learner, words["water"], due=NOW - timedelta(days=3))
    give_card(learner, words["rice"], due=NOW + timedelta(hours=1))  # not due yet
    todays = plan.todays_plan(session, learner, now=NOW)
    assert (todays.due_count, todays.new_count) == (2, 4)
    assert kinds_and_meanings(todays) == [
        ("review", "water"),
        ("review", "dog"),
        ("new", "cat"),
        ("new", "bird"),
        ("new", "fish"),
        ("new", "meat"),
    ]
    assert todays.items[0].due == NOW - timedelta(days=3)


def test_new_words_stop_at_the_daily_goal(session, make_learner, words) -> None:
    learner = make_learner(daily_goal=3)
    todays = plan.todays_plan(session, learner, now=NOW)
    assert todays.new_count == 3
    assert [m for _, m in kinds_and_meanings(todays)] == ["cat", "dog", "bird"]


def test_words_introduced_today_count_against_the_daily_goal(
    session, make_learner, words, give_card
) -> None:
    learner = make_learner(daily_goal=3)
    give_card(learner, words["cat"], due=NOW + timedelta(days=1), introduced_at=NOW)
    give_card(learner, words["dog"], due=NOW + timedelta(days=1), introduced_at=NOW)
    todays = plan.todays_plan(session, learner, now=NOW)
    assert (todays.new_introduced_today, todays.new_count) == (2, 1)
    assert kinds_and_meanings(todays) == [("new", "bird")]


def test_the_daily_goal_resets_at_midnight_in_the_learners_time_zone(
    session, make_learner, words, give_card
) -> None:
    learner = make_learner(daily_goal=3, timezone="Asia/Tokyo")
    now = datetime(2026, 3, 10, 9, 0, tzinfo=TOKYO)
    # 23:30 on the 9th in Tokyo is yesterday there (though the same UTC day as 00:30 the 10th).
    give_card(
        learner,
        words["cat"],
        due=now + timedelta(days=2),
        introduced_at=now.replace(day=9, hour=23, minute=30),
    )
    give_card(
        learner,
        words["dog"],
        due=now + timedelta(days=2),
        introduced_at=now.replace(hour=0, minute=30),
    )
    todays = plan.todays_plan(session, learner, now=now)
    assert (todays.new_introduced_today, todays.new_count) == (1, 2)


def test_once_the_goal_is_met_only_reviews_remain(session, make_learner, words, give_card) -> None:
    learner = make_learner(daily_goal=1)
    give_card(learner, words["cat"], due=NOW - timedelta(minutes=5), introduced_at=NOW)
    todays = plan.todays_plan(session, learner, now=NOW)
    assert (todays.due_count, todays.new_count) == (1, 0)
    assert kinds_and_meanings(todays) == [("review", "cat")]


def test_new_words_come_from_the_groups_the_learner_studies_most_recent_first(
    session, learner, words, groups, flashcards
) -> None:
    study.start_session(
        session, learner, flashcards.id, groups["animals"].id, now=NOW - timedelta(days=2)
    )
    study.start_session(
        session, learner, flashcards.id, groups["food"].id, now=NOW - timedelta(days=1)
    )
    session.commit()
    todays = plan.todays_plan(session, learner, now=NOW)
    assert todays.group_ids == [groups["food"].id, groups["animals"].id]
    assert [m for _, m in kinds_and_meanings(todays)][:4] == ["water", "rice", "meat", "cat"]


def test_only_groups_the_learner_studies_give_new_words_once_they_study_one(
    session, learner, words, groups, flashcards
) -> None:
    study.start_session(session, learner, flashcards.id, groups["food"].id, now=NOW)
    session.commit()
    todays = plan.todays_plan(session, learner, now=NOW)
    assert [m for _, m in kinds_and_meanings(todays)] == ["water", "rice", "meat"]


def test_a_word_in_two_studied_groups_is_planned_once(
    session, learner, words, groups, flashcards
) -> None:
    session.add(WordGroupMember(group_id=groups["food"].id, word_id=words["fish"].id, position=5))
    study.start_session(session, learner, flashcards.id, groups["food"].id, now=NOW)
    study.start_session(
        session, learner, flashcards.id, groups["animals"].id, now=NOW - timedelta(days=1)
    )
    session.commit()
    meanings = [m for _, m in kinds_and_meanings(plan.todays_plan(session, learner, now=NOW))]
    assert meanings == ["water", "rice", "meat", "fish", "cat", "dog", "bird"]


def test_draft_words_and_words_already_studied_are_never_new(
    session, learner, words, give_card
) -> None:
    give_card(learner, words["cat"], due=NOW + timedelta(days=3))
    meanings = [m for _, m in kinds_and_meanings(plan.todays_plan(session, learner, now=NOW))]
    assert "cat" not in meanings and "bear" not in meanings


def test_a_learner_of_another_language_gets_no_new_words_from_this_course(
    session, make_learner, words
) -> None:
    learner = make_learner(target_language="es")
    assert plan.todays_plan(session, learner, now=NOW).new_count == 0


def test_the_plan_lists_at_most_the_limit_but_counts_everything(
    session, learner, words, give_card
) -> None:
    for n, meaning in enumerate(["cat", "dog", "bird"]):
        give_card(learner, words[meaning], due=NOW - timedelta(minutes=n + 1))
    todays = plan.todays_plan(session, learner, now=NOW, limit=2)
    assert (todays.due_count, todays.new_count, todays.total) == (3, 4, 7)
    assert kinds_and_meanings(todays) == [("review", "bird"), ("review", "dog")]


def test_answering_a_planned_word_takes_it_off_todays_plan(
    session, learner, words, flashcards
) -> None:
    started = study.start_session(session, learner, flashcards.id, None, now=NOW)
    study.record_review(
        session, learner, started.id, words["cat"].id, correct=True, rating="easy", now=NOW
    )
    session.commit()
    todays = plan.todays_plan(session, learner, now=NOW + timedelta(minutes=1))
    assert (todays.due_count, todays.new_introduced_today, todays.new_count) == (0, 1, 6)
    assert "cat" not in [m for _, m in kinds_and_meanings(todays)]


# ------------------------------------------------------------------------------ forecast


def test_the_forecast_counts_cards_due_on_each_of_the_next_thirty_days(
    session, learner, words, give_card
) -> None:
    give_card(learner, words["cat"], due=NOW - timedelta(days=2))  # overdue: counts today
    give_card(learner, words["dog"], due=NOW + timedelta(hours=6))  # today, 18:00
    give_card(learner, words["bird"], due=NOW + timedelta(days=1))
    give_card(learner, words["fish"], due=NOW + timedelta(days=1, hours=3))
    give_card(learner, words["water"], due=NOW + timedelta(days=29))
    give_card(learner, words["rice"], due=NOW + timedelta(days=30))  # beyond the window
    days = plan.forecast(session, learner, now=NOW)
    assert len(days) == 30
    assert days[0].day == date(2026, 3, 10) and days[-1].day == date(2026, 4, 8)
    counts = {d.day: d.due_count for d in days if d.due_count}
    assert counts == {date(2026, 3, 10): 2, date(2026, 3, 11): 2, date(2026, 4, 8): 1}


def test_the_forecast_splits_days_at_the_learners_midnight(
    session, make_learner, words, give_card
) -> None:
    learner = make_learner(timezone="Asia/Tokyo")
    now = datetime(2026, 3, 10, 9, 0, tzinfo=TOKYO)
    give_card(learner, words["cat"], due=datetime(2026, 3, 10, 23, 30, tzinfo=TOKYO))
    give_card(learner, words["dog"], due=datetime(2026, 3, 11, 0, 30, tzinfo=TOKYO))
    days = plan.forecast(session, learner, 7, now=now)
    assert [(d.day, d.due_count) for d in days[:2]] == [
        (date(2026, 3, 10), 1),
        (date(2026, 3, 11), 1),
    ]
    assert len(days) == 7


def test_a_new_learner_has_an_empty_forecast(session, learner) -> None:
    assert [d.due_count for d in plan.forecast(session, learner, now=NOW)] == [0] * 30
