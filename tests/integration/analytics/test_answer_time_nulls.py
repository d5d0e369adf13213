"""An answer stored without a time (a REST client that sends none, an imported review log)
adds no time to the Progress page's figures: it is not counted as a full minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy
from sqlalchemy import text
from sqlmodel import Session

from alembic import command
from learn_app import db
from learn_app.models import Course, Review, User, Word
from learn_app.services.study import activities
from learn_app.services.study import sessions as study
from learn_app.services.study.analytics import learner_progress
from tests.integration.analytics.conftest import NOW
from tests.integration.analytics.test_progress_summaries import assert_same, figures_both_ways
from tests.integration.test_migrations import empty_database_url  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def day_count_times(connection, user_id: int) -> tuple[int, int, int]:
    """(answers, ms_sum, ms_n) of the learner's day rows."""
    row = connection.execute(
        text(
            "SELECT sum(answers), sum(ms_sum), sum(ms_n) FROM review_day_count WHERE user_id = :u"
        ),
        {"u": user_id},
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def test_an_answer_without_a_time_leaves_seconds_per_answer_alone(
    session, make_user, words, answer
) -> None:
    learner = make_user(timezone="Europe/Berlin")
    for n, latency in enumerate((4000, 6000, None)):
        answer(
            learner,
            words[n],
            NOW - timedelta(hours=n),
            stage="review",
            elapsed_days=3.0,
            latency_ms=latency,
        )

    summary, counted = figures_both_ways(session, learner, "Europe/Berlin")
    report = learner_progress(session, learner, learner.id, now=NOW)

    assert counted.seconds_per_review == pytest.approx(5.0)
    assert report.answers.seconds_per_review == pytest.approx(5.0)
    assert report.forecast.seconds_per_review == pytest.approx(5.0)
    assert sum(d.seconds for d in report.answers.days) == pytest.approx(10.0)
    assert sum(d.reviews for d in report.answers.days) == 3
    assert_same(summary, counted)
    assert day_count_times(session, learner.id) == (3, 10_000, 2)


def test_an_answer_recorded_without_a_time_adds_no_seconds(session, learner, words) -> None:
    activity = activities.get_activity_by_slug(session, "flashcards")
    started = study.start_session(session, learner, activity.id, None, now=NOW)
    for n, latency in enumerate((4000, 6000, None)):
        study.record_review(
            session, learner, started.id, words[n].id, correct=True, latency_ms=latency, now=NOW
        )
    session.commit()

    summary, counted = figures_both_ways(session, learner, "UTC")

    assert sum(d.seconds for d in summary.days) == pytest.approx(10.0)
    assert sum(d.reviews for d in summary.days) == 3
    assert_same(summary, counted)
    assert day_count_times(session, learner.id) == (3, 10_000, 2)


def mature_answers(engine, user_id: int, word_id: int, latencies: list[int | None]) -> None:
    """Answers to a mature card, a minute apart, stored with these times (None: no time)."""
    with Session(engine) as session:
        for n, latency in enumerate(latencies):
            session.add(
                Review(
                    user_id=user_id,
                    word_id=word_id,
                    rating="good",
                    correct=True,
                    latency_ms=latency,
                    reviewed_at=NOW - timedelta(minutes=n),
                    card_stage="review",
                    elapsed_days=30.0,
                )
            )
        session.commit()


def test_the_migration_counts_the_times_again_and_the_downgrade_back(
    empty_database_url,  # noqa: F811
) -> None:
    config = db.alembic_config(empty_database_url)
    command.upgrade(config, "0018")
    engine = sqlalchemy.create_engine(empty_database_url, poolclass=sqlalchemy.NullPool)
    try:
        with Session(engine) as session:
            user = User(
                email="a@example.com", display_name="A", password_hash="x", timezone="Asia/Tokyo"
            )
            course = Course(slug="ja-times", language="ja", title="Times")
            session.add_all([user, course])
            session.flush()
            word = Word(course_id=course.id, language="ja", term="語", reading="ご", meaning="w")
            session.add(word)
            session.commit()
            user_id, word_id = user.id, word.id
        mature_answers(engine, user_id, word_id, [4000, 6000, None, 90_000])

        def times() -> tuple[int, int, int]:
            with engine.connect() as connection:
                return day_count_times(connection, user_id)

        assert times() == (4, 130_000, 4)  # the old count: no time taken as a full minute
        command.upgrade(config, "0019")
        assert times() == (4, 70_000, 3)  # 4 + 6 + 60 (90 s capped at a minute)
        mature_answers(engine, user_id, word_id, [None])
        assert times() == (5, 70_000, 3)
        command.downgrade(config, "0018")
        assert times() == (5, 190_000, 5)
        command.upgrade(config, "head")
        command.check(config)
        assert times() == (5, 70_000, 3)
    finally:
        engine.dispose()
