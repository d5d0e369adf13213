"""The REST API over real HTTP: the caller's achievements and XP, their settings, and class
leagues — ranked by the week's XP from each learner's own Monday, seen only by the class."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn
from sqlmodel import Session

from learn_app.db import session_scope
from learn_app.models import Role, User
from learn_app.services.accounts import auth, classes
from learn_app.services.achievements import clock
from tests.fixtures.classes import enrol

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def api_url(database_url: str) -> Iterator[str]:
    from learn_app.api.app import api_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(api_app, host="127.0.0.1", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def client(api_url: str, engine) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30, trust_env=False) as http:
        yield http


@pytest.fixture
def account(session: Session, client: httpx.Client) -> Callable[..., tuple[User, dict]]:
    numbers = iter(range(1, 100))

    def account(
        name: str, *, role: Role = Role.learner, timezone: str = "UTC"
    ) -> tuple[User, dict]:
        email = f"{name.lower()}{next(numbers)}@example.com"
        user = auth.register(
            session,
            email=email,
            password=PASSWORD,
            display_name=name,
            role=role,
            rate_limited=False,
        )
        user.timezone = timezone
        session.add(user)
        session.commit()
        token = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
        return user, {"Authorization": f"Bearer {token.json()['access_token']}"}

    return account


def test_achievements_list_earned_and_locked_with_progress(
    client, account, words, start, answer
) -> None:
    user, headers = account("Ana")
    study = start(user)
    answer(user, study, words[0], at=clock.moment())
    body = client.get("/api/me/achievements", headers=headers).json()
    assert body["total"] >= 14 and body["earned"] == 1
    by_slug = {item["slug"]: item for item in body["items"]}
    first = by_slug["first-review"]
    assert first["earned"] and first["earned_at"] and first["percent"] == 100
    hundred = by_slug["reviews-100"]
    assert (hundred["earned"], hundred["current"], hundred["percent"]) == (False, 1, 1)
    assert hundred["progress_label"] == "1 of 100 reviews"


def test_xp_today_and_this_week_with_the_streak_and_goal(
    client, account, words, start, answer
) -> None:
    user, headers = account("Ben")
    study = start(user, "typing")
    now = clock.moment()
    answer(user, study, words[0], at=now)
    answer(user, study, words[1], at=now, correct=False)
    body = client.get("/api/me/xp", headers=headers).json()
    assert (body["today"], body["this_week"], body["total"]) == (17, 17, 17)
    assert body["streak"]["days"] == 1 and body["streak"]["studied_today"]
    assert body["weekly_goal"] | {"week_starts": None} == {
        "kind": "xp",
        "target": 300,
        "done": 17,
        "percent": 6,
        "met": False,
        "week_starts": None,
    }
    assert len(body["last_7_days"]) == 7 and body["last_7_days"][-1]["xp"] == 17


def test_motivation_settings_change_and_bad_values_are_refused(client, account) -> None:
    _, headers = account("Cleo")
    bad = client.patch(
        "/api/me/motivation", headers=headers, json={"weekly_goal_target": 1_000_000}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "target"
    unknown = client.patch("/api/me/motivation", headers=headers, json={"goal": 5})
    assert unknown.status_code == 422
    good = client.patch(
        "/api/me/motivation",
        headers=headers,
        json={"weekly_goal_kind": "minutes", "weekly_goal_target": 90, "vacation": True},
    )
    assert good.status_code == 200, good.text
    body = good.json()
    assert (body["weekly_goal"]["kind"], body["weekly_goal"]["target"]) == ("minutes", 90)
    assert body["streak"]["on_vacation"] is True


def test_a_class_league_ranks_the_weeks_xp_from_each_learners_monday(
    client, account, session, words, start, answer
) -> None:
    teacher, teacher_headers = account("Tomás", role=Role.teacher)
    # Sunday 15 March 2026, 20:00 UTC: already Monday 16 March in Tokyo, still Sunday in Lisbon.
    sunday_night = datetime(2026, 3, 15, 20, 0, tzinfo=UTC)
    tokyo, tokyo_headers = account("Kenji", timezone="Asia/Tokyo")
    lisbon, _ = account("Inês", timezone="Europe/Lisbon")
    _, outsider_headers = account("Otto")
    classroom = classes.create_classroom(session, teacher, name="Japanese 1", language="ja")
    session.commit()
    for learner in (tokyo, lisbon):
        enrol(session, teacher, classroom.id, learner)
    for learner in (tokyo, lisbon):
        study = start(learner, at=sunday_night)
        for n in range(3):
            answer(learner, study, words[n], at=sunday_night + timedelta(minutes=n))
    url = f"/api/classes/{classroom.id}/league"

    closed = client.get(url, headers=tokyo_headers)
    assert closed.status_code == 404 and "no league" in closed.json()["detail"]
    assert client.put(url, headers=tokyo_headers, json={"enabled": True}).status_code == 403
    turned_on = client.put(url, headers=teacher_headers, json={"enabled": True})
    assert turned_on.status_code == 200 and turned_on.json()["enabled"] is True

    from learn_app.services.achievements import leagues

    with session_scope() as s:
        viewer = s.get(User, tokyo.id)
        ranking = leagues.class_league(
            s, viewer, classroom.id, now=sunday_night + timedelta(hours=1)
        )
    # Kenji's week began on his Monday, with these answers in it; Inês's week holds them too.
    assert [(r.display_name, r.xp, r.is_you) for r in ranking.rows] == [
        ("Inês", 30, False),
        ("Kenji", 30, True),
    ]
    assert [r.rank for r in ranking.rows] == [1, 1]
    with session_scope() as s:
        viewer = s.get(User, tokyo.id)
        next_day = leagues.class_league(
            s, viewer, classroom.id, now=sunday_night + timedelta(days=1)
        )
    # Monday 16 March in Lisbon too: a new week for both; Kenji's Tokyo Monday began with
    # his answers, Inês's Lisbon Monday after hers.
    assert [(r.display_name, r.xp) for r in next_day.rows] == [("Kenji", 30), ("Inês", 0)]

    assert client.get(url, headers=tokyo_headers).status_code == 200
    assert client.get(url, headers=outsider_headers).status_code == 404
    assert client.get("/api/classes/999999/league", headers=teacher_headers).status_code == 404


def test_reading_achievements_needs_a_sign_in(client) -> None:
    assert client.get("/api/me/achievements").status_code == 401
    assert client.get("/api/me/xp").status_code == 401


def test_a_full_reset_leaves_no_xp_streak_or_badges_from_the_answers(
    client, account, words, start, answer
) -> None:
    user, headers = account("Reset")
    now = clock.moment()
    study = start(user, at=now)
    answer(user, study, words[0], at=now, end=True)
    assert client.get("/api/me/xp", headers=headers).json()["total"] == 10

    assert client.post("/api/full_reset", headers=headers).status_code == 200

    body = client.get("/api/me/xp", headers=headers).json()
    assert (body["today"], body["this_week"], body["total"]) == (0, 0, 0)
    assert body["streak"]["days"] == 0 and not body["streak"]["studied_today"]
    achievements = client.get("/api/me/achievements", headers=headers).json()
    assert achievements["earned"] == 0
    stats = client.get("/api/dashboard/quick-stats", headers=headers).json()
    assert (stats["total_reviews"], stats["study_streak_days"]) == (0, 0)
