"""Admin → System usage: learners active per day, answers per hour, model calls and spend.

Only admins may read it (the service refuses anyone else; REST answers 403); the figures are
those of the rows stored, with zeros for the days and hours without any.
"""

from datetime import UTC, datetime, timedelta

import pytest

from learn_app.models import Course, LlmCall, Review, Role, Word
from learn_app.services.accounts import system
from learn_app.services.errors import PermissionDenied

# Midday, so that an hour earlier and a day earlier fall on the days they seem to.
NOW = datetime.now(UTC).replace(hour=12, minute=30, second=0, microsecond=0)


@pytest.fixture
def seeded(session, make_user):
    """Three learners answering over three days, and five model calls, two of them the tutor's."""
    course = Course(slug="usage", language="ja", title="Usage")
    session.add(course)
    session.flush()
    word = Word(course_id=course.id, language="ja", term="猫", meaning="cat")
    session.add(word)
    session.flush()
    ana, ben, cho = (make_user(Role.learner) for _ in range(3))
    answers = [  # (learner, hours ago)
        (ana, 0),
        (ana, 0),
        (ben, 0),
        (cho, 1),  # today (or the hour before)
        (ana, 24),
        (ben, 25),  # yesterday
        (cho, 24 * 5),  # five days ago: outside a 3-day window
        (ana, 24 * 40),  # forty days ago: outside the default 30 days
    ]
    for learner, hours in answers:
        session.add(
            Review(
                user_id=learner.id,
                word_id=word.id,
                rating="good",
                correct=True,
                reviewed_at=NOW - timedelta(hours=hours),
            )
        )
    calls = [("tutor", 0.01, 0), ("tutor", 0.02, 0), ("explain", 0.005, 0), ("writing", None, 24)]
    calls.append(("tutor", 1.0, 24 * 45))  # outside the window
    for purpose, cost, hours in calls:
        session.add(
            LlmCall(
                provider="anthropic",
                model="claude",
                purpose=purpose,
                cost_usd=cost,
                outcome="ok",
                created_at=NOW - timedelta(hours=hours),
            )
        )
    session.commit()
    return ana


def test_an_admin_reads_learners_answers_and_model_spend_by_day(session, admin, seeded):
    usage = system.system_usage(session, admin, days=3, now=NOW)

    today, yesterday = NOW.date(), NOW.date() - timedelta(days=1)
    by_day = {day.day: day.count for day in usage.active_learners}
    assert list(by_day) == [today - timedelta(days=2), yesterday, today]
    assert by_day[today] == 3
    assert by_day[yesterday] == 2
    assert by_day[today - timedelta(days=2)] == 0

    assert len(usage.answers_per_hour) == system.ANSWER_HOURS
    assert usage.answers_per_hour[-1].count == 3  # this hour
    assert usage.answers_per_hour[-2].count == 1
    assert usage.answers_total == 6  # the five-day-old answer is outside 48 hours

    models = {day.day: day for day in usage.model_calls}
    assert (models[today].calls, models[today].tutor_calls) == (3, 2)
    assert models[today].cost_usd == pytest.approx(0.035)
    assert (models[yesterday].calls, models[yesterday].cost_usd) == (1, 0.0)
    assert usage.cost_total_usd == pytest.approx(0.035)


@pytest.mark.parametrize("role", [Role.learner, Role.teacher])
def test_nobody_but_an_admin_may_read_the_usage(session, make_user, role):
    with pytest.raises(PermissionDenied):
        system.system_usage(session, make_user(role))


def test_an_empty_portal_has_a_zero_for_every_day_and_hour(session, admin):
    usage = system.system_usage(session, admin, days=7, now=NOW)

    assert [day.count for day in usage.active_learners] == [0] * 7
    assert usage.answers_total == 0 and usage.cost_total_usd == 0
    assert all(day.calls == 0 for day in usage.model_calls)
