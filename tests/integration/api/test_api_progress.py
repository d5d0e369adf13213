"""GET /api/progress: the caller's own figures over HTTP, counted as the page counts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from learn_app.models import Review, StudySession, Word
from learn_app.services.study import activities

pytestmark = pytest.mark.integration


def test_progress_answers_with_the_callers_own_figures(client, session, learner, new_account):
    activities.ensure_builtin_activities(session)
    word = Word(language="ja", term="猫", reading="ねこ", meaning="cat")
    session.add(word)
    session.flush()
    now = datetime.now(UTC)
    study = StudySession(user_id=learner.id, activity_id=1, started_at=now - timedelta(days=2))
    session.add(study)
    session.flush()
    for n, correct in enumerate([True, True, False, True]):
        session.add(
            Review(
                session_id=study.id,
                user_id=learner.id,
                word_id=word.id,
                rating="good" if correct else "again",
                correct=correct,
                latency_ms=4000,
                reviewed_at=now - timedelta(days=2, minutes=n),
                card_stage="review",
                elapsed_days=30,
                retrievability=0.9,
                stability=40,
            )
        )
    session.commit()
    someone_else = new_account()

    response = client.get("/api/progress", headers=learner.headers)
    other = client.get("/api/progress", headers=someone_else.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["learner_id"] == learner.id
    assert sum(day["reviews"] for day in body["answers"]["days"]) == 4
    mature_months = [r for r in body["answers"]["retention"] if r["period"] == "month"]
    assert sum(r["reviews"] for r in mature_months) == 4
    assert sum(r["passed"] for r in mature_months) == 3
    assert [(b["low"], b["reviews"], b["passed"]) for b in body["answers"]["calibration"]] == [
        (0.9, 4, 3)
    ]
    assert body["calibration_rmse"] == pytest.approx(0.15)
    assert body["forecast"]["seconds_per_review"] == pytest.approx(4.0)
    assert len(body["forecast"]["days"]) == 30
    assert body["workload"]["current"] == 0.9
    assert body["streaks"]["days_studied"] in (1, 2)  # two days ago, whatever the clock says
    assert other.status_code == 200
    assert other.json()["answers"]["days"] == []


def test_progress_needs_a_signed_in_caller(client):
    response = client.get("/api/progress")

    assert response.status_code == 401
