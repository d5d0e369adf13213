"""The API as a service: health, documentation, and JSON answers for every kind of mistake."""

from learn_app import db


def test_health_reports_the_database_reachable(client):
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


def test_health_reports_an_unreachable_database_as_unavailable(client, monkeypatch):
    def refuse() -> bool:
        raise OSError("connection refused")

    monkeypatch.setattr(db, "ping", refuse)

    response = client.get("/api/health")

    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": False}


def test_the_openapi_document_lists_every_endpoint(client):
    document = client.get("/api/openapi.json").json()

    assert set(document["paths"]) == {
        "/api/auth/register",
        "/api/auth/token",
        "/api/auth/logout",
        "/api/me",
        "/api/me/password",
        "/api/me/sessions",
        "/api/me/sessions/{session_id}",
        "/api/me/sessions/revoke-others",
        "/api/me/stats",
        "/api/me/export",
        "/api/me/tokens",
        "/api/me/tokens/{token_id}",
        "/api/me/achievements",
        "/api/me/xp",
        "/api/me/levels",
        "/api/me/motivation",
        "/api/classes/{class_id}/league",
        "/api/admin/users",
        "/api/admin/users/{user_id}",
        "/api/admin/study_activities",
        "/api/admin/system/usage",
        "/api/classes",
        "/api/classes/{class_id}",
        "/api/classes/{class_id}/progress",
        "/api/classes/{class_id}/learners",
        "/api/classes/{class_id}/learners/{learner_id}",
        "/api/classes/{class_id}/invitations",
        "/api/classes/{class_id}/invitations/{invitation_id}",
        "/api/classes/{class_id}/join-code",
        "/api/me/classes",
        "/api/me/classes/{class_id}",
        "/api/me/invitations",
        "/api/me/invitations/{invitation_id}/accept",
        "/api/me/invitations/{invitation_id}/decline",
        "/api/classes/{class_id}/dashboard",
        "/api/classes/{class_id}/learners/{user_id}/progress",
        "/api/classes/{class_id}/missed-words/group",
        "/api/classes/{class_id}/assignments",
        "/api/classes/{class_id}/assignments/completion",
        "/api/classes/{class_id}/assignments/{assignment_id}",
        "/api/me/assignments",
        "/api/me/assignments/{assignment_id}/start",
        "/api/courses",
        "/api/courses/{course_id}/export",
        "/api/courses/{course_id}/owner",
        "/api/courses/{course_id}/editors",
        "/api/courses/{course_id}/editors/{user_id}",
        "/api/words",
        "/api/words/{word_id}",
        "/api/groups",
        "/api/groups/{group_id}",
        "/api/groups/{group_id}/words",
        "/api/groups/{group_id}/words/{word_id}",
        "/api/groups/{group_id}/export",
        "/api/lessons",
        "/api/lessons/{lesson_id}",
        "/api/content/import/preview",
        "/api/content/import",
        "/api/vocabulary/proposals",
        "/api/vocabulary/import",
        "/api/examples/drafts",
        "/api/examples/drafts/{draft_id}",
        "/api/examples/drafts/{draft_id}/publish",
        "/api/examples/drafts/{draft_id}/reject",
        "/api/search",
        "/api/audio/{word_id}",
        "/api/audio/{word_id}/link",
        "/api/groups/{group_id}/study_sessions",
        "/api/study_activities",
        "/api/study_activities/{activity_id}",
        "/api/study_activities/{activity_id}/study_sessions",
        "/api/study_sessions",
        "/api/study_sessions/{session_id}",
        "/api/study_sessions/{session_id}/words",
        "/api/study_sessions/{session_id}/words/{word_id}/review",
        "/api/study_sessions/{session_id}/end",
        "/api/sentences/next",
        "/api/sentences/{item_id}/hints/{level}",
        "/api/sentences/{item_id}/attempts",
        "/api/sentences/{item_id}/reveal",
        "/api/dashboard/last_study_session",
        "/api/dashboard/study_progress",
        "/api/dashboard/quick-stats",
        "/api/reset_history",
        "/api/full_reset",
        "/api/plan/today",
        "/api/plan/forecast",
        "/api/progress",
        "/api/tutor/ask",
        "/api/tutor/explain",
        "/api/tutor/conversations",
        "/api/tutor/conversations/{conversation_id}",
        "/api/writing/prompt",
        "/api/writing/submissions",
        "/api/writing/submissions/{submission_id}",
        "/api/writing/submissions/{submission_id}/comments",
        "/api/teacher/writing",
        "/api/speaking/attempts",
        "/api/speaking/attempts/{attempt_id}",
        "/api/speaking/attempts/{attempt_id}/audio",
        "/api/health",
    }


def test_the_openapi_document_declares_bearer_sign_in(client):
    document = client.get("/api/openapi.json").json()

    scheme = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/auth/token"
    assert document["paths"]["/api/me"]["get"]["security"] == [{"OAuth2PasswordBearer": []}]


def test_the_openapi_document_never_mentions_private_fields(client):
    text = client.get("/api/openapi.json").text

    assert "password_hash" not in text
    assert "failed_logins" not in text
    assert "locked_until" not in text


def test_the_interactive_docs_are_served(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert "/api/openapi.json" in response.text
    assert "/api/docs/oauth2-redirect" in response.text


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/no/such/thing")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no API endpoint at /api/no/such/thing.",
        "field": None,
    }


def test_a_wrong_method_on_a_known_path_is_a_json_405(client):
    response = client.put("/api/me", json={})

    assert response.status_code == 405
    assert response.headers["Allow"] == "DELETE, GET, PATCH"
    assert response.json()["detail"] == "PUT is not allowed on /api/me; use DELETE or GET or PATCH."


def test_an_unexpected_failure_is_a_json_500_without_internals(client, learner, monkeypatch):
    from learn_app.services.study import stats

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals: /srv/app/stats.py line 42")

    monkeypatch.setattr(stats, "quick_stats", broken)

    response = client.get("/api/me/stats", headers=learner.headers)

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side. Please try again.",
        "field": None,
    }
    assert "secret" not in response.text


def test_the_next_request_after_an_unexpected_failure_is_answered(client, learner, monkeypatch):
    from learn_app.services.study import stats

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(stats, "quick_stats", broken)
    failed = client.get("/api/me/stats", headers=learner.headers)

    assert failed.headers["Connection"] == "close"
    assert client.get("/api/me", headers=learner.headers).status_code == 200


def test_the_bare_api_prefix_is_a_json_404(client):
    response = client.get("/api")

    assert response.status_code == 404
    assert response.json()["detail"] == "There is no API endpoint at /api."


def test_a_streamed_body_past_the_size_limit_is_refused(client):
    def chunks():
        yield b'{"email": "a@example.com", "display_name": "A", "password": "'
        for _ in range(300):
            yield b"x" * 10_000
        yield b'"}'

    response = client.post(
        "/api/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is too large for the API.",
        "field": None,
    }


def test_a_body_not_sent_as_json_is_refused_clearly(client):
    response = client.post(
        "/api/auth/register",
        content=b'{"email": "a@example.com"}',
        headers={"Content-Type": "text/plain"},
    )

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "The request body must be a JSON object, sent as application/json."
    )


def test_a_control_character_in_a_name_is_refused_with_a_clear_message(client, teacher):
    response = client.post(
        "/api/classes", json={"name": "Nul\u0000class", "language": "ja"}, headers=teacher.headers
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Class names can't contain control characters or invisible formatting "
        "characters (such as right-to-left overrides or zero-width spaces).",
        "field": "name",
    }


def test_more_requests_at_once_than_threads_and_connections_all_get_their_answer(api_url, learner):
    """Each request holds its connection across hops through the worker threads; 80 at once
    (more than the 40 threads and 30 connections together) once left every one of them
    waiting on another until the pool gave up, and all failed with a 500."""
    import asyncio

    import httpx

    async def all_at_once() -> list[int]:
        limits = httpx.Limits(max_connections=80)
        async with httpx.AsyncClient(
            base_url=api_url, limits=limits, timeout=60, trust_env=False
        ) as http:
            responses = await asyncio.gather(
                *(http.get("/api/me", headers=learner.headers) for _ in range(80))
            )
        return [response.status_code for response in responses]

    assert asyncio.run(all_at_once()) == [200] * 80
