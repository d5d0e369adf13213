"""/api/admin/users: admins find people and change their role or access; nobody else may."""

from sqlmodel import select

from learn_app.models import AuditEvent, Role


def test_a_learner_cannot_list_users(client, learner):
    response = client.get("/api/admin/users", headers=learner.headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "You don't have permission to do that.", "field": None}


def test_a_teacher_cannot_list_users(client, teacher):
    assert client.get("/api/admin/users", headers=teacher.headers).status_code == 403


def test_a_learner_cannot_make_themselves_admin(client, learner):
    response = client.patch(
        f"/api/admin/users/{learner.id}", json={"role": "admin"}, headers=learner.headers
    )

    assert response.status_code == 403
    assert client.get("/api/me", headers=learner.headers).json()["role"] == "learner"


def test_an_admin_lists_users_newest_first_with_pagination(client, admin, new_account):
    first = new_account(display_name="First")
    second = new_account(display_name="Second")

    response = client.get("/api/admin/users", headers=admin.headers)

    assert response.status_code == 200
    body = response.json()
    assert [u["id"] for u in body["items"]] == [second.id, first.id, admin.id]
    assert body["pagination"] == {
        "current_page": 1,
        "total_pages": 1,
        "total_items": 3,
        "items_per_page": 25,
    }
    assert all(user["is_active"] for user in body["items"])
    assert "password_hash" not in response.text
    assert "failed_logins" not in response.text


def test_an_admin_searches_by_name_or_email(client, admin, new_account):
    new_account(display_name="Zoë Zeta")
    new_account(display_name="Yuki")

    response = client.get("/api/admin/users", params={"search": "zoë"}, headers=admin.headers)

    assert [u["display_name"] for u in response.json()["items"]] == ["Zoë Zeta"]


def test_search_wildcards_are_taken_literally(client, admin, new_account):
    new_account(display_name="100% Learner")
    new_account(display_name="Plain Learner")

    response = client.get("/api/admin/users", params={"search": "%"}, headers=admin.headers)

    assert [u["display_name"] for u in response.json()["items"]] == ["100% Learner"]


def test_pages_split_long_lists(client, admin, new_account):
    for number in range(26):
        new_account(display_name=f"Learner {number}")

    second = client.get("/api/admin/users", params={"page": 2}, headers=admin.headers).json()

    assert len(second["items"]) == 2
    assert second["pagination"]["current_page"] == 2
    assert second["pagination"]["total_pages"] == 2
    assert second["pagination"]["total_items"] == 27


def test_a_page_beyond_the_last_shows_the_last(client, admin):
    body = client.get("/api/admin/users", params={"page": 99}, headers=admin.headers).json()

    assert body["pagination"]["current_page"] == 1


def test_an_admin_makes_a_learner_a_teacher(client, admin, learner, session):
    response = client.patch(
        f"/api/admin/users/{learner.id}", json={"role": "teacher"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["role"] == "teacher"
    assert client.get("/api/me", headers=learner.headers).json()["role"] == "teacher"
    events = session.exec(select(AuditEvent).where(AuditEvent.event == "user.role_changed")).all()
    assert [(e.user_id, e.actor_id) for e in events] == [(learner.id, admin.id)]


def test_an_unknown_role_is_refused(client, admin, learner):
    response = client.patch(
        f"/api/admin/users/{learner.id}", json={"role": "superuser"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert response.json()["field"] == "role"


def test_an_empty_change_is_refused(client, admin, learner):
    response = client.patch(f"/api/admin/users/{learner.id}", json={}, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["detail"] == "Send a role or is_active to change."


def test_the_last_admin_cannot_step_down(client, admin):
    response = client.patch(
        f"/api/admin/users/{admin.id}", json={"role": "learner"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert "at least one admin" in response.json()["detail"]


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(client, admin, learner, sign_in):
    response = client.patch(
        f"/api/admin/users/{learner.id}", json={"is_active": False}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert client.get("/api/me", headers=learner.headers).status_code == 401
    assert sign_in(learner.email, learner.password).status_code == 401


def test_a_re_enabled_account_can_sign_in_again(client, admin, learner, sign_in):
    url = f"/api/admin/users/{learner.id}"
    client.patch(url, json={"is_active": False}, headers=admin.headers)

    client.patch(url, json={"is_active": True}, headers=admin.headers)

    assert sign_in(learner.email, learner.password).status_code == 200


def test_an_admin_cannot_disable_themselves(client, admin):
    response = client.patch(
        f"/api/admin/users/{admin.id}", json={"is_active": False}, headers=admin.headers
    )

    assert response.status_code == 422


def test_role_and_access_change_together_or_not_at_all(client, admin, new_account):
    new_account(Role.admin, "Second Admin")

    response = client.patch(
        f"/api/admin/users/{admin.id}",
        json={"role": "learner", "is_active": False},
        headers=admin.headers,
    )

    # The demotion applies first, so the now-learner may not disable anyone: all is undone.
    assert response.status_code == 403
    assert client.get("/api/me", headers=admin.headers).json()["role"] == "admin"


def test_changing_an_unknown_user_is_not_found(client, admin):
    response = client.patch(
        "/api/admin/users/999999", json={"role": "teacher"}, headers=admin.headers
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "That user does not exist."


def test_an_id_too_large_for_the_database_is_refused_cleanly(client, admin):
    response = client.patch(
        f"/api/admin/users/{2**63}", json={"role": "teacher"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert response.json()["field"] == "user_id"
