"""A learner's Progress figures, worked out by hand from known answers and cards."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from learn_app.figures import memory as memory_figures
from learn_app.figures import progress as figures
from learn_app.models import Role
from learn_app.services.errors import NotFound
from learn_app.services.study.analytics import learner_progress
from learn_app.services.study.analytics.memory import forgetting_curve
from tests.integration.analytics.conftest import NOW

pytestmark = pytest.mark.integration


def report_for(session, learner, viewer=None, now=NOW):
    return learner_progress(session, viewer or learner, learner.id, now=now)


def test_true_retention_counts_review_stage_answers_young_and_mature(
    session, learner, words, answer
) -> None:
    this_week = NOW - timedelta(hours=2)
    for n in range(10):  # mature: a month since the previous answer; 9 of 10 remembered
        answer(learner, words[n], this_week, correct=n != 0, elapsed_days=30)
    for n in range(5):  # young: 3 days; 3 of 5 remembered
        answer(learner, words[10 + n], this_week, correct=n < 3, elapsed_days=3)
    for n in range(4):  # learning and new answers are not retention
        answer(learner, words[15 + n], this_week, correct=n % 2 == 0, stage="learning")
    answer(learner, words[19], this_week, correct=False, stage="new")
    last_week = NOW - timedelta(days=7)
    for n in range(4):  # the week before: 2 of 4 mature remembered
        answer(learner, words[n], last_week, correct=n < 2, elapsed_days=40)

    report = report_for(session, learner)

    weekly = {
        (r.start, r.mature): (r.reviews, r.passed)
        for r in report.answers.retention
        if r.period == "week"
    }
    assert weekly == {
        (date(2026, 3, 9), True): (10, 9),
        (date(2026, 3, 9), False): (5, 3),
        (date(2026, 3, 2), True): (4, 2),
    }
    monthly = {
        (r.start, r.mature): r.retention for r in report.answers.retention if r.period == "month"
    }
    assert monthly == {(date(2026, 3, 1), True): 11 / 14, (date(2026, 3, 1), False): 3 / 5}
    assert figures.retention_chart(report, "week").reading == (
        "You remembered 90% of mature cards this week; you asked for 90%."
    )
    assert figures.retention_chart(report, "month").reading == (
        "You remembered 79% of mature cards this month; you asked for 90%."
    )


def test_calibration_bins_hold_their_answers_and_give_rmse(session, learner, words, answer) -> None:
    at = NOW - timedelta(days=1)
    for n in range(4):  # predicted 92%: 3 of 4 recalled
        answer(learner, words[n], at, correct=n < 3, retrievability=0.92, elapsed_days=5)
    answer(learner, words[4], at, correct=True, retrievability=0.83, elapsed_days=5)
    answer(learner, words[5], at, correct=False, retrievability=0.84, elapsed_days=5)
    for n in range(4):  # predicted 97%: all recalled
        answer(learner, words[6 + n], at, retrievability=0.97, elapsed_days=9)
    # Not calibrated: a learning step, and an answer stored before predictions were kept.
    answer(learner, words[10], at, correct=False, stage="learning", retrievability=0.5)
    answer(learner, words[11], at, correct=False, retrievability=None, elapsed_days=5)

    report = report_for(session, learner)

    bins = [(b.low, b.reviews, round(b.predicted, 4), b.passed) for b in report.answers.calibration]
    assert bins == [(0.8, 2, 0.835, 1), (0.9, 4, 0.92, 3), (0.95, 4, 0.97, 4)]
    expected = math.sqrt((2 * 0.335**2 + 4 * 0.17**2 + 4 * 0.03**2) / 10)
    assert report.calibration_rmse == pytest.approx(expected)
    view = figures.calibration_chart(report)
    assert f"RMSE(bins) {100 * expected:.1f}%" in view.figure.layout.title.text
    assert view.reading.startswith("When FSRS expected you to recall 92%, you recalled 75%")


def test_due_forecast_counts_the_backlog_each_day_and_the_minutes_from_answer_times(
    session, learner, words, answer, card
) -> None:
    today_start = datetime(2026, 3, 10, tzinfo=NOW.tzinfo)
    for n, due in enumerate(
        [
            NOW - timedelta(days=2),  # backlog
            today_start - timedelta(minutes=1),  # backlog: due yesterday
            NOW - timedelta(hours=1),  # today
            NOW + timedelta(hours=5),  # today
            NOW + timedelta(days=1),  # tomorrow
            NOW + timedelta(days=29),  # the 30th day
            NOW + timedelta(days=30),  # beyond the window
        ]
    ):
        card(learner, words[n], due=due)
    answer(learner, words[0], NOW - timedelta(days=3), latency_ms=6000, elapsed_days=4)
    answer(learner, words[1], NOW - timedelta(days=3), latency_ms=12000, elapsed_days=4)
    answer(learner, words[2], NOW - timedelta(days=3), latency_ms=90000, stage="new")

    report = report_for(session, learner)

    due = report.forecast.due
    assert due.backlog == 2
    assert len(due.days) == 30
    assert due.days[0].day == date(2026, 3, 10)
    assert [d.cards for d in due.days[:2]] == [2, 1]
    assert due.days[29].cards == 1
    assert sum(d.cards for d in due.days) == 4
    # The mean of the review answers (6 s and 12 s); new words' first answers are not reviews.
    assert report.forecast.seconds_per_review == pytest.approx(9.0)
    assert report.forecast.minutes(4) == pytest.approx(0.6)
    view = figures.forecast_chart(report)
    assert view.figure.data[0].y[:3] == (2, 2, 1)
    assert view.reading.startswith("Today: 2 reviews plus 2 overdue")


def test_answers_are_counted_on_the_learners_own_calendar(
    session, make_user, words, answer
) -> None:
    learner = make_user(timezone="Asia/Tokyo")
    answer(learner, words[0], datetime(2026, 3, 9, 16, 0, tzinfo=NOW.tzinfo))  # 01:00 on the 10th
    answer(learner, words[1], datetime(2026, 3, 9, 14, 0, tzinfo=NOW.tzinfo))  # 23:00 on the 9th
    answer(learner, words[2], datetime(2026, 3, 9, 14, 30, tzinfo=NOW.tzinfo), stage="new")

    report = report_for(session, learner)

    per_day = {(d.day, d.kind): d.reviews for d in report.answers.days}
    assert per_day == {
        (date(2026, 3, 9), "new"): 1,
        (date(2026, 3, 9), "review"): 1,
        (date(2026, 3, 10), "review"): 1,
    }
    view = figures.reviews_chart(report, 30, "kind")
    assert view.figure.layout.title.text == "Answers per day, last 30 days (Asia/Tokyo)"
    assert view.figure.data[0].name == "New"
    assert view.figure.data[0].y[-2:] == (1, 0)
    assert view.figure.data[2].y[-2:] == (1, 1)
    assert view.rows == [
        ["2026-03-09", "1", "0", "1", "0", "2"],
        ["2026-03-10", "0", "0", "1", "0", "1"],
    ]


def test_streaks_count_runs_of_study_days(session, learner, words, answer) -> None:
    for days_ago in (0, 1, 2, 5, 6, 7, 8, 9):
        answer(learner, words[0], NOW - timedelta(days=days_ago, hours=1))

    report = report_for(session, learner)

    assert (report.streaks.current, report.streaks.longest, report.streaks.days_studied) == (
        3,
        5,
        8,
    )
    # A day without an answer yet keeps yesterday's streak going.
    tomorrow = report_for(session, learner, now=NOW + timedelta(days=1))
    assert tomorrow.streaks.current == 3
    assert report_for(session, learner, now=NOW + timedelta(days=2)).streaks.current == 0


def test_accuracy_splits_by_activity_and_what_the_question_asked(
    session, learner, words, answer, study_in
) -> None:
    typing = study_in(learner, "typing")
    # Typing asks the meaning, then every second kanji word its reading: right, wrong, right, right.
    for position, correct in enumerate([True, False, True, True]):
        answer(
            learner,
            words[position],
            NOW - timedelta(minutes=10 - position),
            correct=correct,
            study=typing,
        )
    flashcards = study_in(learner, "flashcards")
    answer(learner, words[5], NOW, study=flashcards)
    answer(learner, words[6], NOW, correct=False, study=flashcards)
    cloze = study_in(learner, "cloze")
    answer(learner, words[7], NOW, study=cloze)

    report = report_for(session, learner)

    cells = {(c.activity, c.item_type): (c.reviews, c.correct) for c in report.answers.accuracy}
    assert cells == {
        ("Typing", "meaning"): (2, 2),
        ("Typing", "reading"): (2, 1),
        ("Flashcards", "meaning"): (2, 1),
        ("Cloze", "cloze"): (1, 1),
    }
    assert figures.accuracy_chart(report).reading == (
        "Your strongest: Typing · meaning at 100%; the one to practise: Flashcards · meaning "
        "at 50%."
    )


def test_memory_distributions_and_words_known_follow_the_forgetting_curve(
    session, learner, words, card
) -> None:
    card(learner, words[0], due=NOW, stability=0.5, last_review=NOW - timedelta(hours=1))
    card(
        learner,
        words[1],
        due=NOW,
        stability=10,
        difficulty=2.5,
        last_review=NOW - timedelta(days=5),
    )
    card(
        learner,
        words[2],
        due=NOW,
        stability=100,
        difficulty=9.5,
        last_review=NOW - timedelta(days=5),
    )

    report = report_for(session, learner)

    factor, decay = forgetting_curve(None)
    recall = [1.0, (1 + factor * 5 / 10) ** -decay, (1 + factor * 5 / 100) ** -decay]
    memory = report.memory
    assert memory.cards == 3
    assert memory.words_known == pytest.approx(sum(recall))
    assert {(b.low, b.cards) for b in memory.stability if b.cards} == {(0, 1), (7, 1), (90, 1)}
    assert {(b.low, b.cards) for b in memory.difficulty if b.cards} == {
        (2.0, 1),
        (5.0, 1),
        (9.0, 1),
    }
    expected_bins = sorted(min(int(r * 20), 19) for r in recall)
    assert sorted(i for i, b in enumerate(memory.retrievability) for _ in range(b.cards)) == (
        expected_bins
    )


def test_words_known_over_time_uses_the_memory_each_answer_left(
    session, learner, words, answer
) -> None:
    answer(learner, words[0], NOW - timedelta(days=14), stability=10, stage="new")
    answer(learner, words[0], NOW - timedelta(days=3), stability=30, elapsed_days=11)

    report = report_for(session, learner)

    factor, decay = forgetting_curve(None)
    by_time = {p.at: p.words_known for p in report.words_known}
    # The points are the starts of the last 52 weeks (Mondays, 00:00) and now, a Tuesday noon.
    assert by_time[NOW] == pytest.approx((1 + factor * 3 / 30) ** -decay)
    monday = datetime(2026, 3, 9, tzinfo=UTC)
    assert by_time[monday] == pytest.approx((1 + factor * 1 / 30) ** -decay)  # 1.5 days after
    week_before = monday - timedelta(weeks=1)  # 5.5 days after the first answer
    assert by_time[week_before] == pytest.approx((1 + factor * 5 / 10) ** -decay)
    assert by_time[monday - timedelta(weeks=2)] == 0
    assert len(report.words_known) == 53
    assert report.words_known[0].at == monday - timedelta(weeks=51)


def test_hardest_words_are_the_most_forgotten_then_the_least_recalled(
    session, learner, words, card
) -> None:
    card(learner, words[0], due=NOW, lapses=2, stability=30)
    card(learner, words[1], due=NOW, lapses=5)
    card(learner, words[2], due=NOW, lapses=2, stability=2)
    card(learner, words[3], due=NOW, lapses=0)

    report = report_for(session, learner)

    assert [(w.term, w.lapses) for w in report.hardest] == [("語1", 5), ("語2", 2), ("語0", 2)]


def test_workload_rises_with_retention_and_marks_the_learners_setting(session, make_user) -> None:
    learner = make_user(desired_retention=0.88, daily_goal=10)

    report = report_for(session, learner)

    w = report.workload
    assert w.current == 0.88
    assert 0.88 in [p.retention for p in w.points]
    minutes = [p.minutes_per_day for p in w.points]
    assert minutes == sorted(minutes)
    assert w.points[-1].reviews_per_day > 1.5 * w.points[0].reviews_per_day
    view = memory_figures.workload_chart(report)
    assert view.figure.data[1].x == (88,)
    assert view.reading.startswith("At your 88%, 10 new words a day take about")


def test_a_learner_with_no_answers_gets_an_empty_state_that_says_what_to_do(
    session, learner
) -> None:
    report = report_for(session, learner)

    assert report.is_empty
    assert report.hardest == []
    for build in (
        figures.calibration_chart,
        figures.forecast_chart,
        figures.calendar_chart,
        memory_figures.memory_chart,
        memory_figures.known_chart,
        figures.accuracy_chart,
    ):
        view = build(report)
        assert view.empty and view.reading == ""
    assert "Practice" in figures.reviews_chart(report).empty
    assert "earlier day" in figures.retention_chart(report).empty


def test_figures_stay_small(session, learner, words, answer, card) -> None:
    for days_ago in range(365):
        answer(
            learner,
            words[days_ago % 20],
            NOW - timedelta(days=days_ago),
            retrievability=0.9,
            elapsed_days=days_ago % 40,
        )
    for n in range(20):
        card(learner, words[n], due=NOW + timedelta(days=n), lapses=n % 3)
    report = report_for(session, learner)
    views = [
        figures.reviews_chart(report, 365, "kind"),
        figures.retention_chart(report, "week"),
        figures.calibration_chart(report),
        figures.forecast_chart(report),
        figures.calendar_chart(report),
        memory_figures.memory_chart(report),
        memory_figures.known_chart(report),
        figures.accuracy_chart(report),
        memory_figures.workload_chart(report),
    ]
    assert sum(len(v.figure.to_json()) for v in views) < 300_000


def test_teachers_see_only_learners_in_their_own_classes(session, make_user, classroom_of) -> None:
    learner, stranger = make_user(), make_user()
    teacher, other_teacher = make_user(role=Role.teacher), make_user(role=Role.teacher)
    admin = make_user(role=Role.admin)
    classroom_of(teacher, [learner])

    assert learner_progress(session, teacher, learner.id, now=NOW).learner_id == learner.id
    assert learner_progress(session, admin, learner.id, now=NOW).learner_id == learner.id
    for viewer, whom in (
        (other_teacher, learner.id),
        (teacher, stranger.id),
        (stranger, learner.id),
        (learner, 999_999),
    ):
        with pytest.raises(NotFound):
            learner_progress(session, viewer, whom, now=NOW)
