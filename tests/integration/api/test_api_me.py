"""GET and PATCH /api/me, and GET /api/me/stats: a learner's own profile and figures."""

from datetime import timedelta

import pytest

from learn_app.models import Review, StudyActivity, StudySession, Word
from learn_app.models.base import utcnow
from learn_app.services.achievements import backfill


def test_me_shows_the_signed_in_profile_with_its_defaults(client, learner):
    response = client.get("/api/me", headers=learner.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == learner.id
    assert body["email"] == learner.email
    assert body["display_name"] == "Lena Learner"
    assert body["role"] == "learner"
    assert (body["native_language"], body["target_language"]) == ("en", "ja")
    assert (body["daily_goal"], body["desired_retention"], body["timezone"]) == (20, 0.9, "UTC")


def test_profile_changes_persist(client, learner):
    changes = {
        "display_name": "Lena L.",
        "native_language": "de",
        "target_language": "es",
        "daily_goal": 35,
        "desired_retention": 0.85,
        "timezone": "Europe/Madrid",
    }

    response = client.patch("/api/me", json=changes, headers=learner.headers)

    assert response.status_code == 200
    shown = client.get("/api/me", headers=learner.headers).json()
    assert {key: shown[key] for key in changes} == changes


def test_only_the_fields_sent_change(client, learner):
    client.patch("/api/me", json={"daily_goal": 5}, headers=learner.headers)

    shown = client.get("/api/me", headers=learner.headers).json()
    assert shown["daily_goal"] == 5
    assert shown["timezone"] == "UTC"
    assert shown["display_name"] == "Lena Learner"


def test_a_retention_outside_the_allowed_range_is_refused_with_its_field(client, learner):
    response = client.patch("/api/me", json={"desired_retention": 0.5}, headers=learner.headers)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Desired retention must be between 0.70 and 0.97.",
        "field": "desired_retention",
    }


def test_an_unknown_time_zone_is_refused(client, learner):
    response = client.patch("/api/me", json={"timezone": "Mars/Olympus"}, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "timezone"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"daily_goal": 500}, "daily_goal"),
        ({"daily_goal": "many"}, "daily_goal"),
        ({"desired_retention": "high"}, "desired_retention"),
        ({"native_language": "xx"}, "native_language"),
        ({"target_language": "fr"}, "target_language"),
        ({"display_name": ""}, "display_name"),
    ],
)
def test_each_invalid_field_is_named(client, learner, changes, field):
    response = client.patch("/api/me", json=changes, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_one_invalid_field_changes_nothing(client, learner):
    client.patch(
        "/api/me",
        json={"display_name": "Changed", "timezone": "Mars/Olympus"},
        headers=learner.headers,
    )

    assert client.get("/api/me", headers=learner.headers).json()["display_name"] == "Lena Learner"


def test_the_role_cannot_be_changed_through_the_profile(client, learner):
    response = client.patch("/api/me", json={"role": "admin"}, headers=learner.headers)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "role is not a field you can send here.",
        "field": "role",
    }
    assert client.get("/api/me", headers=learner.headers).json()["role"] == "learner"


def test_a_body_that_is_not_json_is_refused_clearly(client, learner):
    response = client.patch(
        "/api/me",
        content=b"{not json",
        headers={**learner.headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json() == {"detail": "The request body is not valid JSON.", "field": None}


def test_the_profile_needs_a_token(client):
    assert client.patch("/api/me", json={"daily_goal": 5}).status_code == 401


def test_a_new_learner_has_empty_stats(client, learner):
    response = client.get("/api/me/stats", headers=learner.headers)

    assert response.status_code == 200
    assert response.json() == {
        "total_reviews": 0,
        "correct_reviews": 0,
        "success_rate": 0.0,
        "study_sessions": 0,
        "streak_days": 0,
        "active_groups": 0,
    }


def test_stats_count_the_learners_reviews(client, learner, session):
    word = Word(language="ja", term="猫", meaning="cat")
    activity = StudyActivity(slug="flashcards", name="Flashcards", kind="flashcards")
    session.add_all([word, activity])
    session.flush()
    study = StudySession(user_id=learner.id, activity_id=activity.id)
    session.add(study)
    session.flush()
    now = utcnow()
    for correct, minutes_ago in ((True, 2), (False, 1)):
        session.add(
            Review(
                session_id=study.id,
                user_id=learner.id,
                word_id=word.id,
                rating="good" if correct else "again",
                correct=correct,
                reviewed_at=now - timedelta(minutes=minutes_ago),
            )
        )
    session.commit()
    backfill.backfill_learner(session, learner.id)  # counted, as recorded answers are
    session.commit()

    stats = client.get("/api/me/stats", headers=learner.headers).json()

    assert stats["total_reviews"] == 2
    assert stats["correct_reviews"] == 1
    assert stats["success_rate"] == 50.0
    assert stats["study_sessions"] == 1
    assert stats["streak_days"] == 1


def test_stats_need_a_token(client):
    assert client.get("/api/me/stats").status_code == 401
