"""/api/admin/study_activities: admins add activities hosted elsewhere; learners launch them."""

from urllib.parse import parse_qs, urlsplit

EXTERNAL = {
    "slug": "kanji-writing",
    "name": "Kanji writing",
    "url": "https://activities.example.org/kanji",
    "description": "Trace each kanji stroke by stroke.",
}


def test_an_admin_adds_an_external_activity_that_learners_then_see(client, admin, learner):
    response = client.post("/api/admin/study_activities", json=EXTERNAL, headers=admin.headers)

    assert response.status_code == 201
    added = response.json()
    assert added["kind"] == "external"
    assert added["url"] == EXTERNAL["url"]
    listed = client.get("/api/study_activities", headers=learner.headers).json()
    assert "kanji-writing" in [activity["slug"] for activity in listed]


def test_launching_an_external_activity_opens_it_with_the_group_and_session(
    client, admin, learner, content
):
    activity = client.post(
        "/api/admin/study_activities", json=EXTERNAL, headers=admin.headers
    ).json()
    group_id = next(iter(content.groups.values()))

    response = client.post(
        "/api/study_activities",
        json={"study_activity_id": activity["id"], "group_id": group_id},
        headers=learner.headers,
    )

    assert response.status_code == 201
    session = response.json()
    launch = urlsplit(session["launch_url"])
    assert f"{launch.scheme}://{launch.netloc}{launch.path}" == EXTERNAL["url"]
    assert parse_qs(launch.query) == {
        "group_id": [str(group_id)],
        "session_id": [str(session["id"])],
    }


def test_a_teacher_cannot_add_an_activity(client, teacher):
    response = client.post("/api/admin/study_activities", json=EXTERNAL, headers=teacher.headers)

    assert response.status_code == 403


def test_an_activity_address_that_is_not_a_web_address_is_refused_naming_it(client, admin):
    body = {**EXTERNAL, "url": "javascript:alert(1)"}

    response = client.post("/api/admin/study_activities", json=body, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "url"


def test_a_second_activity_with_the_same_slug_is_a_conflict(client, admin):
    client.post("/api/admin/study_activities", json=EXTERNAL, headers=admin.headers)

    response = client.post("/api/admin/study_activities", json=EXTERNAL, headers=admin.headers)

    assert response.status_code == 409
    assert response.json()["field"] == "slug"
