"""Every achievement on its boundary: one short of the target earns nothing, the target earns it;
XP, levels and retention on theirs."""

from __future__ import annotations

import pytest

from learn_app.models import User
from learn_app.models.achievements import LearnerMotivation
from learn_app.services.achievements import xp
from learn_app.services.achievements.awards import newly_reached
from learn_app.services.achievements.levels import Level
from learn_app.services.achievements.measures import Measures, Retention
from learn_app.services.achievements.rules import (
    ACHIEVEMENTS,
    BY_SLUG,
    QUERIED_MEASURES,
    RETENTION_MIN_REVIEWS,
    Achievement,
    Measure,
)
from learn_app.services.study.activities import BUILTIN_SLUGS

COUNTER_FIELDS = {
    Measure.reviews: "total_reviews",
    Measure.finished_sessions: "finished_sessions",
    Measure.best_streak: "streak_best",
    Measure.flawless_sessions: "flawless_sessions",
    Measure.weekends: "weekends_both_days",
    Measure.backlog_clear_run: "backlog_best_run",
    Measure.sentences_without_hints: "sentences_without_hints",
    Measure.best_writing_score: "best_writing_score",
    Measure.weekly_goals_met: "weekly_goals_met",
}
LEARNER = User(id=1, timezone="UTC", desired_retention=0.9)


def measures_at(achievement: Achievement, value: int) -> Measures:
    state = LearnerMotivation(user_id=1, activities_tried=[])
    mature, retention = 0, Retention(0, 0, 0.9)
    if achievement.measure in COUNTER_FIELDS:
        setattr(state, COUNTER_FIELDS[achievement.measure], value)
    elif achievement.measure is Measure.activities_tried:
        state.activities_tried = list(BUILTIN_SLUGS[:value])
    elif achievement.measure is Measure.mature_words:
        mature = value
    elif achievement.measure is Measure.retention_met:
        retention = Retention(RETENTION_MIN_REVIEWS, RETENTION_MIN_REVIEWS if value else 0, 0.9)
    return Measures(None, LEARNER, state, mature=mature, retention=retention)


def test_there_are_at_least_fourteen_achievements_each_declared_once() -> None:
    assert len(ACHIEVEMENTS) >= 14
    assert len(BY_SLUG) == len(ACHIEVEMENTS)
    assert all(a.rule.endswith(".") and a.name for a in ACHIEVEMENTS)


@pytest.mark.parametrize("achievement", ACHIEVEMENTS, ids=lambda a: a.slug)
def test_one_short_of_the_target_earns_nothing_and_the_target_earns_it(
    achievement: Achievement,
) -> None:
    short = newly_reached(measures_at(achievement, achievement.target - 1), set())
    reached = newly_reached(measures_at(achievement, achievement.target), set())
    assert achievement not in short
    assert achievement in reached


@pytest.mark.parametrize("achievement", ACHIEVEMENTS, ids=lambda a: a.slug)
def test_an_earned_achievement_is_not_reached_again(achievement: Achievement) -> None:
    assert achievement not in newly_reached(
        measures_at(achievement, achievement.target), {achievement.slug}
    )


def test_after_an_answer_only_running_counts_are_checked() -> None:
    mature = BY_SLUG["mature-50"]
    assert mature.measure in QUERIED_MEASURES
    assert mature not in newly_reached(measures_at(mature, 50), set(), queried=False)


def test_streak_tiers_are_3_7_30_100_and_365_days() -> None:
    tiers = [a.target for a in ACHIEVEMENTS if a.measure is Measure.best_streak]
    assert tiers == [3, 7, 30, 100, 365]


def test_retention_needs_200_reviews_and_the_learners_target() -> None:
    assert not Retention(199, 199, 0.9).met
    assert Retention(200, 180, 0.9).met
    assert not Retention(200, 179, 0.9).met
    assert Retention(200, 170, 0.85).met


def test_typing_and_sentences_earn_more_than_recognising() -> None:
    assert xp.review_points("flashcards", correct=True, repeated=False) == 10
    assert xp.review_points("typing", correct=True, repeated=False) == 15
    assert xp.review_points("speaking", correct=True, repeated=False) == 15
    assert xp.review_points("sentence-builder", correct=True, repeated=False) == 20
    assert xp.ACTIVITY_POINTS["sentence-builder"] < xp.WRITING_POINTS


def test_a_wrong_answer_earns_a_little_and_a_repeat_in_the_session_nothing() -> None:
    assert xp.review_points("typing", correct=False, repeated=False) == 2
    assert xp.review_points("typing", correct=True, repeated=True) == 0


def test_answer_time_is_capped_at_two_minutes() -> None:
    assert xp.review_seconds(None) == 10
    assert xp.review_seconds(1499) == 1
    assert xp.review_seconds(1500) == 2
    assert xp.review_seconds(10 * 60 * 1000) == 120


def test_a_level_passes_at_90_percent_of_its_words() -> None:
    assert Level(1, [], 20, 17, True).passed is False
    assert Level(1, [], 20, 18, True).passed is True
    assert Level(1, [], 11, 9, True).passed is False  # 90% of 11 rounds up to 10
    assert Level(1, [], 11, 10, True).passed is True
    assert Level(1, [], 0, 0, True).passed is False
