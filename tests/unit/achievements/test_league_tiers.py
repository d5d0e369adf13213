"""Promotion and demotion in a class league: how many move in a class of each size, ties, the
ends of the tier ladder, and when a week has ended for a class spread over time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from learn_app.services.achievements.league_tiers import (
    TIERS,
    Standing,
    moves,
    places,
    week_closed_for_everyone,
)


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, (0, 0)), (1, (0, 0)), (2, (1, 0)), (4, (1, 0)), (5, (1, 1)), (9, (1, 1)), (10, (2, 2)),
     (30, (6, 6))],
)  # fmt: skip
def test_a_fifth_moves_each_way_and_a_small_class_only_moves_up(size, expected) -> None:
    assert places(size) == expected


def league(*xp: int, tier: int = 2) -> list[Standing]:
    return [Standing(n, points, tier) for n, points in enumerate(xp, start=1)]


def test_in_a_class_of_ten_the_top_two_move_up_and_the_bottom_two_down() -> None:
    result = moves(league(100, 90, 80, 70, 60, 50, 40, 30, 20, 10))
    assert [result[n] for n in range(1, 11)] == [1, 1, 0, 0, 0, 0, 0, 0, -1, -1]


def test_learners_level_at_the_top_edge_all_move_up_and_at_the_bottom_edge_all_stay() -> None:
    result = moves(league(100, 50, 50, 40, 30, 20, 10, 5, 5, 1))
    assert [result[n] for n in range(1, 11)] == [1, 1, 1, 0, 0, 0, 0, 0, 0, -1]
    level_at_the_bottom = moves(league(90, 80, 70, 60, 50, 40, 30, 0, 0, 0))
    assert [level_at_the_bottom[n] for n in (8, 9, 10)] == [0, 0, 0]


def test_nobody_moves_up_for_a_week_without_xp() -> None:
    assert set(moves(league(0, 0, 0)).values()) == {0}


def test_two_learners_the_better_moves_up_and_nobody_down() -> None:
    assert moves(league(30, 10)) == {1: 1, 2: 0}


def test_bronze_cannot_go_down_and_diamond_cannot_go_up() -> None:
    bottom = moves(league(50, 40, 30, 20, 10, tier=0))
    assert bottom[5] == 0 and bottom[1] == 1
    top = moves(league(50, 40, 30, 20, 10, tier=len(TIERS) - 1))
    assert top[1] == 0 and top[5] == -1


def test_a_week_has_ended_for_the_class_only_when_it_has_ended_in_every_zone() -> None:
    zones = ["Asia/Tokyo", "America/New_York"]
    # Monday 9 March 00:30 in Tokyo is still Sunday 8 March in New York.
    tokyo_monday = datetime(2026, 3, 8, 15, 30, tzinfo=UTC)
    assert week_closed_for_everyone(zones, tokyo_monday) == date(2026, 2, 23)
    # Monday 00:30 in New York (EDT since 8 March: UTC-4).
    new_york_monday = datetime(2026, 3, 9, 4, 30, tzinfo=UTC)
    assert week_closed_for_everyone(zones, new_york_monday) == date(2026, 3, 2)
    just_before = datetime(2026, 3, 9, 3, 59, tzinfo=UTC)  # 23:59 on Sunday in New York
    assert week_closed_for_everyone(zones, just_before) == date(2026, 2, 23)
