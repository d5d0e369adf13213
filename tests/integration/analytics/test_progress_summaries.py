"""The day and week tables behind the Progress page give exactly what counting the answers
themselves gives — after new answers, deleted ones, a reset, a time-zone change and an
account's deletion."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import col, delete, select

from learn_app.models import Review, StudyActivity, StudySession
from learn_app.services.accounts.profile import ProfileUpdate, update_profile
from learn_app.services.study import activities
from learn_app.services.study import sessions as study
from learn_app.services.study.analytics import answers, days, known, learner_progress
from learn_app.services.study.analytics.memory import forgetting_curve
from tests.integration.analytics.conftest import NOW

pytestmark = pytest.mark.integration


def figures_both_ways(session, learner, tz: str, now: datetime = NOW):
    """(from the day tables, from the answers) over the Progress page's year."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=364)
    since = datetime.combine(first, time.min, zone)
    until = datetime.combine(today + timedelta(days=1), time.min, zone)
    summary = days.summary_figures(session, learner.id, tz, (first, today), since, until)
    counted = answers.answer_figures(session, learner.id, tz, since, until)
    return summary, counted


def assert_same(summary, counted) -> None:
    """Counts equal exactly; a mean prediction may differ in its last bit (summed per day)."""
    assert summary.days == counted.days
    assert summary.retention == counted.retention
    assert summary.accuracy == counted.accuracy
    assert summary.seconds_per_review == counted.seconds_per_review
    assert [replace(b, predicted=0.0) for b in summary.calibration] == [
        replace(b, predicted=0.0) for b in counted.calibration
    ]
    for mine, theirs in zip(summary.calibration, counted.calibration, strict=True):
        assert mine.predicted == pytest.approx(theirs.predicted, rel=1e-12)


def table_rows(session, user_id: int) -> dict[str, int]:
    return {
        table: session.execute(
            text(f"SELECT coalesce(sum(answers), 0) FROM {table} WHERE user_id = :u"),
            {"u": user_id},
        ).scalar_one()
        for table in ("review_day_count", "review_day_recall", "review_day_session")
    }


def assert_words_known_now(session, user_id: int) -> None:
    """Words known now, from each word's latest answer, is what counting the answers gives —
    also for a moment some answers come after."""
    for now in (NOW, NOW - timedelta(days=100)):
        expected = known.words_known_at(session, user_id, None, [now])[0]
        assert expected > 0
        assert known.words_known_now(session, user_id, None, now) == pytest.approx(expected)


@pytest.fixture
def year_of_answers(session, make_user, words, study_in, answer):
    """A Tokyo learner with answers of every stage and rating across a year, around midnight
    UTC (morning in Tokyo), in flashcards and typing sessions and outside any session."""
    learner = make_user(timezone="Asia/Tokyo")
    flash = study_in(learner, "flashcards")
    typing = study_in(learner, "typing")
    stages = ("new", "learning", "review", "review", "relearning", "review")
    ratings = ("again", "hard", "good", "easy")
    for n in range(120):
        at = NOW - timedelta(days=3 * n, hours=12 + n % 3, minutes=7 * n)
        stage = stages[n % len(stages)]
        rating = ratings[n % 4]
        answer(
            learner,
            words[n % 20],
            at,
            correct=rating != "again",
            rating=rating,
            stage=stage,
            elapsed_days=None if stage == "new" else (n % 40) + 0.5,
            retrievability=(n % 19) / 19 + 0.01 if stage == "review" and n % 7 else None,
            latency_ms=None if n % 11 == 0 else 900 * (n % 90),
            study=(flash, typing, None)[n % 3],
        )
    return learner


def test_the_day_tables_give_what_the_answers_give(session, year_of_answers) -> None:
    summary, counted = figures_both_ways(session, year_of_answers, "Asia/Tokyo")

    assert sum(d.reviews for d in counted.days) == 120
    assert {c.activity for c in counted.accuracy} == {"Flashcards", "Typing", "Other"}
    assert len(counted.calibration) > 5
    assert counted.seconds_per_review is not None
    assert_same(summary, counted)
    assert_words_known_now(session, year_of_answers.id)


def test_new_answers_are_counted_in_the_same_transaction(session, learner, words) -> None:
    activity = activities.get_activity_by_slug(session, "flashcards")
    started = study.start_session(session, learner, activity.id, None, now=NOW)
    for n in range(3):
        study.record_review(
            session, learner, started.id, words[n].id, correct=n != 1, latency_ms=4000, now=NOW
        )
    # Not committed yet: the day tables already hold them.
    assert table_rows(session, learner.id)["review_day_count"] == 3
    later = NOW + timedelta(days=2)
    again = study.start_session(session, learner, activity.id, None, now=later)
    study.record_review(session, learner, again.id, words[0].id, correct=True, now=later)
    session.commit()

    summary, counted = figures_both_ways(session, learner, "UTC", later)

    per_day: dict[date, int] = {}
    for d in summary.days:
        per_day[d.day] = per_day.get(d.day, 0) + d.reviews
    assert per_day == {date(2026, 3, 10): 3, date(2026, 3, 12): 1}
    assert summary.accuracy == [answers.AccuracyCell("Flashcards", "meaning", 4, 3)]
    assert_same(summary, counted)


def test_deleted_answers_and_a_reset_leave_nothing_behind(session, year_of_answers) -> None:
    learner = year_of_answers
    oldest = session.exec(
        select(Review).where(Review.user_id == learner.id).order_by(col(Review.reviewed_at))
    ).all()[:30]
    session.exec(delete(Review).where(col(Review.id).in_([r.id for r in oldest])))
    session.commit()

    summary, counted = figures_both_ways(session, learner, "Asia/Tokyo")
    assert sum(d.reviews for d in summary.days) == 90
    assert_same(summary, counted)
    assert_words_known_now(session, learner.id)

    study.reset_history(session, learner)
    session.commit()

    assert table_rows(session, learner.id) == {
        "review_day_count": 0,
        "review_day_recall": 0,
        "review_day_session": 0,
    }
    summary, counted = figures_both_ways(session, learner, "Asia/Tokyo")
    assert summary.days == [] and summary.accuracy == [] and summary.calibration == []
    assert_same(summary, counted)
    assert known.words_known_now(session, learner.id, None, NOW) == 0


def test_a_deleted_session_moves_its_answers_to_other(session, year_of_answers) -> None:
    learner = year_of_answers
    typing = session.exec(
        select(StudySession)
        .join(StudyActivity, col(StudyActivity.id) == col(StudySession.activity_id))
        .where(StudySession.user_id == learner.id, StudyActivity.slug == "typing")
    ).one()
    session.exec(delete(StudySession).where(col(StudySession.id) == typing.id))
    session.commit()

    summary, counted = figures_both_ways(session, learner, "Asia/Tokyo")
    assert {c.activity for c in summary.accuracy} == {"Flashcards", "Other"}
    assert_same(summary, counted)
    assert_words_known_now(session, learner.id)


def test_a_new_time_zone_counts_the_days_again(session, make_user, words, answer) -> None:
    learner = make_user(timezone="UTC")
    # 23:30 UTC on the 8th: the 8th in London, the 9th in Tokyo.
    answer(learner, words[0], datetime(2026, 3, 8, 23, 30, tzinfo=UTC))
    answer(learner, words[1], datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    report = learner_progress(session, learner, learner.id, now=NOW)
    assert [(d.day, d.reviews) for d in report.answers.days] == [
        (date(2026, 3, 8), 1),
        (date(2026, 3, 9), 1),
    ]

    update_profile(session, learner, ProfileUpdate(timezone="Asia/Tokyo"))
    session.commit()

    report = learner_progress(session, learner, learner.id, now=NOW)
    assert report.timezone == "Asia/Tokyo"
    assert [(d.day, d.reviews) for d in report.answers.days] == [(date(2026, 3, 9), 2)]
    # This week began on Monday in Tokyo (15:00 UTC on the 8th), before both answers.
    assert [(p.at.isoformat(), p.words_known > 0) for p in report.words_known[-2:]] == [
        ("2026-03-09T00:00:00+09:00", False),
        (NOW.astimezone(ZoneInfo("Asia/Tokyo")).isoformat(), True),
    ]
    assert_same(*figures_both_ways(session, learner, "Asia/Tokyo"))


def test_a_deleted_account_leaves_no_counted_days(session, year_of_answers) -> None:
    learner_id = year_of_answers.id
    learner_progress(session, year_of_answers, learner_id, now=NOW)
    session.commit()
    session.execute(text('DELETE FROM "user" WHERE id = :u'), {"u": learner_id})
    session.commit()

    for table in (
        "review_day_count",
        "review_day_recall",
        "review_day_session",
        "review_day_zone",
        "review_word_latest",
        "words_known_week",
    ):
        left = session.execute(
            text(f"SELECT count(*) FROM {table} WHERE user_id = :u"), {"u": learner_id}
        ).scalar_one()
        assert (table, left) == (table, 0)


def test_words_known_weeks_are_kept_and_dropped_when_older_answers_change(
    session, learner, words, answer
) -> None:
    answer(learner, words[0], NOW - timedelta(days=40), stability=10, stage="new")
    answer(learner, words[1], NOW - timedelta(days=20), stability=5, stage="new")
    starts = known.week_starts(ZoneInfo("UTC"), NOW)

    first = known.words_known_history(session, learner.id, None, ZoneInfo("UTC"), NOW)
    session.commit()

    assert [p.at for p in first[:-1]] == starts
    assert [p.words_known for p in first[:-1]] == pytest.approx(
        known.words_known_at(session, learner.id, None, starts)
    )
    kept = session.execute(
        text("SELECT count(*) FROM words_known_week WHERE user_id = :u"), {"u": learner.id}
    ).scalar_one()
    assert kept == 52

    # An answer from 30 days ago arrives late: the weeks since then are worked out again.
    answer(learner, words[2], NOW - timedelta(days=30), stability=50, stage="new")
    kept = session.execute(
        text("SELECT count(*) FROM words_known_week WHERE user_id = :u"), {"u": learner.id}
    ).scalar_one()
    assert kept == sum(1 for at in starts if at < NOW - timedelta(days=30))

    second = known.words_known_history(session, learner.id, None, ZoneInfo("UTC"), NOW)
    factor, decay = forgetting_curve(None)
    monday = datetime(2026, 3, 9, tzinfo=UTC)  # 38.5, 18.5 and 28.5 days after the answers
    expected = sum(
        (1 + factor * days_since / stability) ** -decay
        for days_since, stability in ((38, 10), (18, 5), (28, 50))
    )
    assert dict((p.at, p.words_known) for p in second)[monday] == pytest.approx(expected)
    assert [p.words_known for p in second[:-1]] == pytest.approx(
        known.words_known_at(session, learner.id, None, starts)
    )
    assert second[-1].words_known == pytest.approx(
        known.words_known_at(session, learner.id, None, [NOW])[0]
    )

    # Parameters fitted again (another decay): the kept weeks are worked out again.
    fitted = [0.5] * 20 + [0.3]
    third = known.words_known_history(session, learner.id, fitted, ZoneInfo("UTC"), NOW)
    assert [p.words_known for p in third[:-1]] == pytest.approx(
        known.words_known_at(session, learner.id, fitted, starts)
    )
    decays = session.execute(
        text("SELECT DISTINCT decay FROM words_known_week WHERE user_id = :u"), {"u": learner.id}
    ).scalars()
    assert list(decays) == [pytest.approx(0.3)]
