"""POST /api/me/password: a new password needs the current one and signs out other devices."""

NEW_PASSWORD = "a brand new passphrase"


def change(client, account, current, new=NEW_PASSWORD):
    return client.post(
        "/api/me/password",
        json={"current_password": current, "new_password": new},
        headers=account.headers,
    )


def test_changing_the_password_lets_the_new_one_sign_in(client, learner, sign_in):
    response = change(client, learner, learner.password)

    assert response.status_code == 200
    assert sign_in(learner.email, NEW_PASSWORD).status_code == 200


def test_the_old_password_no_longer_works(client, learner, sign_in):
    change(client, learner, learner.password)

    assert sign_in(learner.email, learner.password).status_code == 401


def test_other_devices_are_signed_out_and_counted(client, learner, new_token):
    phone = {"Authorization": f"Bearer {new_token(learner.email)}"}
    tablet = {"Authorization": f"Bearer {new_token(learner.email)}"}

    response = change(client, learner, learner.password)

    assert response.json() == {"revoked_sessions": 2}
    assert client.get("/api/me", headers=phone).status_code == 401
    assert client.get("/api/me", headers=tablet).status_code == 401


def test_the_device_that_changed_it_stays_signed_in(client, learner):
    change(client, learner, learner.password)

    assert client.get("/api/me", headers=learner.headers).status_code == 200


def test_a_wrong_current_password_is_refused_and_changes_nothing(client, learner, sign_in):
    response = change(client, learner, "this is not it at all")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Your current password is not correct.",
        "field": "current_password",
    }
    assert sign_in(learner.email, learner.password).status_code == 200


def test_the_new_password_must_meet_the_policy(client, learner):
    response = change(client, learner, learner.password, new="short")

    assert response.status_code == 422
    assert response.json()["field"] == "new_password"


def test_the_new_password_must_differ_from_the_current_one(client, learner):
    response = change(client, learner, learner.password, new=learner.password)

    assert response.status_code == 422
    assert response.json()["detail"] == "The new password must differ from the current one."


def test_changing_the_password_needs_a_token(client):
    response = client.post(
        "/api/me/password", json={"current_password": "a", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 401
