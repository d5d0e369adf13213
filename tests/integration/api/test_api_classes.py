"""/api/classes: teachers manage their own classes and see their learners' progress."""

import pytest
import sqlalchemy

from tests.fixtures.classes import enrol_over_http


def create_class(client, teacher, name="Japanese 1", language="ja"):
    response = client.post(
        "/api/classes", json={"name": name, "language": language}, headers=teacher.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_teacher_creates_a_class(client, teacher):
    response = client.post(
        "/api/classes", json={"name": "  Japanese   1 ", "language": "ja"}, headers=teacher.headers
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["language"], body["learners"]) == ("Japanese 1", "ja", 0)


def test_a_teacher_lists_only_their_own_classes(client, teacher, other_teacher):
    create_class(client, teacher, "Mine")
    create_class(client, other_teacher, "Theirs")

    response = client.get("/api/classes", headers=teacher.headers)

    assert response.status_code == 200
    assert [c["name"] for c in response.json()] == ["Mine"]


def test_an_admin_lists_every_class(client, admin, teacher, other_teacher):
    create_class(client, teacher, "A class")
    create_class(client, other_teacher, "B class")

    names = [c["name"] for c in client.get("/api/classes", headers=admin.headers).json()]

    assert names == ["A class", "B class"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/classes"), ("POST", "/api/classes")],
)
def test_a_learner_cannot_use_classes(client, learner, method, path):
    response = client.request(
        method, path, json={"name": "Sneaky", "language": "ja"}, headers=learner.headers
    )

    assert response.status_code == 403


def test_classes_need_a_token(client):
    assert client.get("/api/classes").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": " ", "language": "ja"}, "name"), ({"name": "French", "language": "fr"}, "language")],
)
def test_a_class_needs_a_name_and_a_taught_language(client, teacher, body, field):
    response = client.post("/api/classes", json=body, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_the_old_enrol_endpoint_now_invites_and_the_learner_joins_on_accepting(
    client, teacher, learner
):
    classroom = create_class(client, teacher)

    response = client.post(
        f"/api/classes/{classroom['id']}/learners",
        json={"email": learner.email.upper()},
        headers=teacher.headers,
    )

    assert response.status_code == 202
    assert response.json()["email"] == learner.email
    assert client.get("/api/classes", headers=teacher.headers).json()[0]["learners"] == 0
    [invitation] = client.get("/api/me/invitations", headers=learner.headers).json()
    assert (invitation["class_name"], invitation["teacher_name"]) == ("Japanese 1", "Tomás Teacher")
    accepted = client.post(
        f"/api/me/invitations/{invitation['id']}/accept", headers=learner.headers
    )
    assert accepted.status_code == 200
    assert client.get("/api/classes", headers=teacher.headers).json()[0]["learners"] == 1


def test_inviting_a_learner_already_in_the_class_is_a_conflict(client, teacher, learner):
    classroom = create_class(client, teacher)
    enrol_over_http(client, teacher, classroom["id"], learner)

    response = client.post(
        f"/api/classes/{classroom['id']}/invitations",
        json={"email": learner.email},
        headers=teacher.headers,
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Lena Learner is already in this class."


def test_progress_lists_each_enrolled_learner(client, teacher, learner):
    classroom = create_class(client, teacher)
    enrol_over_http(client, teacher, classroom["id"], learner)

    response = client.get(f"/api/classes/{classroom['id']}/progress", headers=teacher.headers)

    assert response.status_code == 200
    assert response.json() == [
        {
            "learner_id": learner.id,
            "display_name": "Lena Learner",
            "email": learner.email,
            "reviews": 0,
            "success_rate": 0.0,
            "study_sessions": 0,
            "streak_days": 0,
            "last_review_at": None,
        }
    ]


def test_progress_lists_namesakes_oldest_account_first_even_after_a_row_was_rewritten(
    client, engine, teacher, new_account
):
    classroom = create_class(client, teacher)
    first, second = new_account(display_name="Sam Same"), new_account(display_name="Sam Same")
    for learner in (first, second):
        enrol_over_http(client, teacher, classroom["id"], learner)
    with engine.begin() as connection:
        # Moving the first learner's rows away and back writes them anew after the second's,
        # in the tables and in their indexes, where a read in stored order meets them last.
        for role in ("teacher", "learner"):
            connection.execute(
                sqlalchemy.text('UPDATE "user" SET role = :role WHERE id = :id'),
                {"role": role, "id": first.id},
            )
        for away, back in ((first.id, teacher.id), (teacher.id, first.id)):
            connection.execute(
                sqlalchemy.text(
                    "UPDATE enrollment SET learner_id = :back WHERE learner_id = :away"
                ),
                {"away": away, "back": back},
            )

    rows = client.get(f"/api/classes/{classroom['id']}/progress", headers=teacher.headers).json()

    assert [r["learner_id"] for r in rows] == [first.id, second.id]


def test_a_teacher_cannot_see_another_teachers_class_progress(client, teacher, other_teacher):
    classroom = create_class(client, other_teacher)

    response = client.get(f"/api/classes/{classroom['id']}/progress", headers=teacher.headers)

    assert response.status_code == 403
    assert response.json()["detail"] == "That class belongs to another teacher."


def test_a_teacher_cannot_change_another_teachers_class(client, teacher, other_teacher, learner):
    classroom = create_class(client, other_teacher)
    base = f"/api/classes/{classroom['id']}"

    enrol = client.post(f"{base}/learners", json={"email": learner.email}, headers=teacher.headers)
    delete = client.delete(base, headers=teacher.headers)

    assert (enrol.status_code, delete.status_code) == (403, 403)
    assert client.get(f"{base}/progress", headers=other_teacher.headers).json() == []


def test_a_learner_cannot_see_a_class_they_are_in(client, teacher, learner):
    classroom = create_class(client, teacher)
    enrol_over_http(client, teacher, classroom["id"], learner)

    response = client.get(f"/api/classes/{classroom['id']}/progress", headers=learner.headers)

    assert response.status_code == 403


def test_an_admin_sees_any_class_progress(client, admin, teacher):
    classroom = create_class(client, teacher)

    response = client.get(f"/api/classes/{classroom['id']}/progress", headers=admin.headers)

    assert response.status_code == 200


def test_removing_a_learner_takes_them_out_of_the_class(client, teacher, learner):
    classroom = create_class(client, teacher)
    base = f"/api/classes/{classroom['id']}"
    enrol_over_http(client, teacher, classroom["id"], learner)

    response = client.delete(f"{base}/learners/{learner.id}", headers=teacher.headers)

    assert response.status_code == 204
    assert client.get(f"{base}/progress", headers=teacher.headers).json() == []


def test_removing_a_learner_not_in_the_class_is_not_found(client, teacher, learner):
    classroom = create_class(client, teacher)

    response = client.delete(
        f"/api/classes/{classroom['id']}/learners/{learner.id}", headers=teacher.headers
    )

    assert response.status_code == 404


def test_deleting_a_class_removes_it(client, teacher):
    classroom = create_class(client, teacher)

    response = client.delete(f"/api/classes/{classroom['id']}", headers=teacher.headers)

    assert response.status_code == 204
    assert client.get("/api/classes", headers=teacher.headers).json() == []
    gone = client.get(f"/api/classes/{classroom['id']}/progress", headers=teacher.headers)
    assert gone.status_code == 404
    assert gone.json()["detail"] == "That class does not exist."


@pytest.mark.parametrize("class_id", ["abc", "0", "-1", str(2**31)])
def test_a_class_id_that_cannot_exist_is_refused_cleanly(client, teacher, class_id):
    response = client.get(f"/api/classes/{class_id}/progress", headers=teacher.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "class_id"
