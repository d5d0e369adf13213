"""The production backend as monitoring sees it: liveness, readiness, metrics, request ids.

Two backend workers share their state in the Redis the portal starts, so a scrape adds up
what both workers counted.
"""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from sqlmodel import Session

from learn_app.models import Course, Word, WordGroup, WordGroupMember
from learn_app.services.study import activities
from tests.integration.serving.conftest import FIRST_START_SECONDS, Portal, shared_port, shut_down

TOKEN = "metrics-token-for-the-test"
PASSWORD = "a long passphrase"


@pytest.fixture
def group(session: Session) -> dict[str, object]:
    course = Course(slug="ja-ops", language="ja", title="Ops course")
    session.add(course)
    session.flush()
    group = WordGroup(course_id=course.id, slug="animals", language="ja", name="Animals")
    session.add(group)
    session.flush()
    words = []
    for n, (term, meaning) in enumerate((("猫", "cat"), ("犬", "dog"), ("鳥", "bird"))):
        word = Word(course_id=course.id, language="ja", term=term, reading="", meaning=meaning)
        session.add(word)
        session.flush()
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=n))
        words.append(word.id)
    activity = activities.get_activity_by_slug(session, "flashcards")
    session.commit()
    return {"group": group.id, "words": words, "activity": activity.id}


@pytest.fixture(scope="module")
def served(tmp_path_factory, production_build, database_url):
    portal = Portal(
        data_dir=tmp_path_factory.mktemp("ops") / "data",
        frontend_port=shared_port("frontend"),
        backend_port=shared_port("backend"),
        extra_env={
            "DATABASE_URL": database_url,
            "LEARN_WORKERS": "2",
            "LEARN_METRICS_TOKEN": TOKEN,
            "LEARN_LOG_JSON": "true",
        },
    )
    portal.start()
    try:
        portal.wait_serving(FIRST_START_SECONDS)
        yield portal
    finally:
        shut_down(portal)


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(r"^([a-zA-Z_:]+)(?:\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(match.group(3))
    return total


def test_health_ready_and_metrics_count_what_learners_did(served, group):
    api = httpx.Client(base_url=f"http://127.0.0.1:{served.backend_port}", timeout=30)

    assert api.get("/health").json() == {"status": "ok"}
    ready = api.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "redis": True}

    registered = api.post(
        "/api/auth/register",
        json={"email": "ops@example.com", "password": PASSWORD, "display_name": "Ops"},
    )
    assert registered.status_code == 201, registered.text
    wrong = api.post("/api/auth/token", data={"username": "ops@example.com", "password": "nope!"})
    assert wrong.status_code == 401
    signed_in = api.post(
        "/api/auth/token", data={"username": "ops@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    sitting = api.post(
        "/api/study_activities",
        json={"group_id": group["group"], "study_activity_id": group["activity"]},
        headers=headers,
    )
    assert sitting.status_code == 201, sitting.text
    for word_id, rating in zip(group["words"], ("good", "good", "again"), strict=True):
        answered = api.post(
            f"/api/study_sessions/{sitting.json()['id']}/words/{word_id}/review",
            json={"correct": rating != "again", "rating": rating},
            headers=headers,
        )
        assert answered.status_code == 201, answered.text

    # Both workers answer scrapes; each must report the whole backend.
    for _ in range(4):
        text = api.get("/metrics").text
        assert metric(text, "learn_app_reviews_recorded_total", rating="good") == 2
        assert metric(text, "learn_app_reviews_recorded_total", rating="again") == 1
        assert metric(text, "learn_app_sign_ins_total", outcome="success") == 1
        assert metric(text, "learn_app_sign_ins_total", outcome="failure") == 1
        assert (
            metric(
                text,
                "learn_app_http_request_duration_seconds_count",
                route="/api/study_sessions/{session_id}/words/{word_id}/review",
                status="201",
            )
            == 3
        )
        assert metric(text, "learn_app_db_connections_open") >= 1


def test_metrics_are_refused_through_a_proxy_without_the_token(served):
    url = f"http://127.0.0.1:{served.backend_port}/metrics"
    proxied = httpx.get(url, headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403
    assert "metrics token" in proxied.json()["detail"]

    wrong = httpx.get(url, headers={"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer x"})
    assert wrong.status_code == 403
    allowed = httpx.get(
        url, headers={"X-Forwarded-For": "203.0.113.9", "Authorization": f"Bearer {TOKEN}"}
    )
    assert allowed.status_code == 200
    assert "learn_app_http_request_duration_seconds_bucket" in allowed.text


def test_every_request_has_an_id_in_its_answer_and_in_the_json_log(served):
    base = f"http://127.0.0.1:{served.backend_port}"
    missing = httpx.get(f"{base}/api/auth/not-here", headers={"X-Request-ID": "proxy-id-42"})
    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] == "proxy-id-42"
    fresh = httpx.get(f"{base}/api/health")
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["X-Request-ID"])

    time.sleep(0.5)  # the log line is written as the answer leaves
    logged = [json.loads(line) for line in served.lines if line.startswith("{")]
    ours = [entry for entry in logged if entry.get("request_id") == "proxy-id-42"]
    assert ours and ours[-1]["event"] == "http.request"
    assert ours[-1]["status"] == 404 and ours[-1]["path"] == "/api/auth/not-here"
