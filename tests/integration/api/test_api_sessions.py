"""/api/me/sessions: the devices signed in to an account, and signing them out."""


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_sessions_list_every_device_and_mark_the_current_one(client, learner, new_token):
    new_token(learner.email, user_agent="Safari on an iPad")

    response = client.get("/api/me/sessions", headers=learner.headers)

    assert response.status_code == 200
    sessions = response.json()
    assert len(sessions) == 2
    assert [s["current"] for s in sessions].count(True) == 1
    assert {s["user_agent"] for s in sessions} == {"pytest", "Safari on an iPad"}
    assert {s["ip"] for s in sessions} == {"127.0.0.1"}
    assert set(sessions[0]) == {
        "id",
        "created_at",
        "last_seen_at",
        "expires_at",
        "user_agent",
        "ip",
        "current",
    }


def test_sessions_show_only_the_callers_own(client, learner, new_account):
    new_account()

    sessions = client.get("/api/me/sessions", headers=learner.headers).json()

    assert len(sessions) == 1


def test_revoking_a_session_signs_that_device_out(client, learner, new_token):
    ipad = bearer(new_token(learner.email, user_agent="iPad"))
    ipad_session = next(
        s
        for s in client.get("/api/me/sessions", headers=learner.headers).json()
        if not s["current"]
    )

    response = client.delete(f"/api/me/sessions/{ipad_session['id']}", headers=learner.headers)

    assert response.status_code == 204
    assert client.get("/api/me", headers=ipad).status_code == 401
    assert client.get("/api/me", headers=learner.headers).status_code == 200


def test_another_persons_session_cannot_be_revoked(client, learner, new_account):
    stranger = new_account()
    theirs = client.get("/api/me/sessions", headers=stranger.headers).json()[0]["id"]

    response = client.delete(f"/api/me/sessions/{theirs}", headers=learner.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "That sign-in session does not exist."
    assert client.get("/api/me", headers=stranger.headers).status_code == 200


def test_revoking_an_unknown_session_is_not_found(client, learner):
    response = client.delete("/api/me/sessions/no-such-session", headers=learner.headers)

    assert response.status_code == 404


def test_revoking_all_other_sessions_keeps_only_this_one(client, learner, new_token):
    others = [bearer(new_token(learner.email)) for _ in range(3)]

    response = client.post("/api/me/sessions/revoke-others", headers=learner.headers)

    assert response.status_code == 200
    assert response.json() == {"revoked": 3}
    assert all(client.get("/api/me", headers=h).status_code == 401 for h in others)
    remaining = client.get("/api/me/sessions", headers=learner.headers).json()
    assert [s["current"] for s in remaining] == [True]


def test_sessions_need_a_token(client):
    assert client.get("/api/me/sessions").status_code == 401
    assert client.post("/api/me/sessions/revoke-others").status_code == 401
