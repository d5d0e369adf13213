"""/api/study_activities: the launchpad; launching an activity starts the caller's session."""

import pytest

BUILTIN = [
    "flashcards", "multiple-choice", "typing", "listening", "cloze", "writing", "sentence-builder",
    "speaking",
]  # fmt: skip


# ------------------------------------------------------------------------------ reading


def test_the_built_in_activities_are_listed_as_a_plain_array_with_their_thumbnails(client, learner):
    response = client.get("/api/study_activities", headers=learner.headers)

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)  # lang-portal clients call .map() on it
    assert [activity["slug"] for activity in body][: len(BUILTIN)] == BUILTIN
    flashcards = body[0]
    assert flashcards["name"] == "Flashcards"
    assert flashcards["url"] == "/study/flashcards"
    assert (
        flashcards["thumbnail_url"]
        == flashcards["preview_url"]
        == flashcards["preview_image"]
        == "/activities/flashcards.svg"
    )
    assert flashcards["description"]


def test_every_activity_says_what_kind_of_exercise_it_is(client, learner):
    body = client.get("/api/study_activities", headers=learner.headers).json()

    types = {activity["slug"]: activity["type"] for activity in body}
    assert types["flashcards"] == "recognition"
    assert types["multiple-choice"] == "recognition"
    assert types["typing"] == "recall"
    assert types["listening"] == "listening"
    assert types["cloze"] == "cloze"
    assert types["writing"] == "writing"
    assert types["sentence-builder"] == "sentence_building"


def test_an_activity_is_read_by_id(client, learner, activity_ids):
    response = client.get(
        f"/api/study_activities/{activity_ids['typing']}", headers=learner.headers
    )

    assert response.status_code == 200
    assert (response.json()["slug"], response.json()["name"]) == ("typing", "Typing")


def test_a_built_in_activity_is_found_by_id_before_anything_listed_them(client, learner):
    """A lang-portal client may open /study_activities/1 first, on a brand-new database."""
    response = client.get("/api/study_activities/1", headers=learner.headers)

    assert response.status_code == 200
    assert response.json()["slug"] in BUILTIN


def test_an_unknown_activity_is_a_json_404(client, learner, activity_ids):
    response = client.get("/api/study_activities/999999", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That study activity does not exist.", "field": None}


@pytest.mark.parametrize("activity_id", ["flashcards", "0", str(2**31)])
def test_an_activity_id_that_cannot_be_one_is_a_422_naming_it(client, learner, activity_id):
    response = client.get(f"/api/study_activities/{activity_id}", headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "activity_id"


def test_activities_need_a_token(client):
    assert client.get("/api/study_activities").status_code == 401


# ------------------------------------------------------------------------------ launching


def test_launching_an_activity_on_a_group_starts_a_session_there(
    client, learner, content, activity_ids
):
    animals = content.groups["animals"]

    response = client.post(
        "/api/study_activities",
        json={"group_id": animals, "study_activity_id": activity_ids["typing"]},
        headers=learner.headers,
    )

    assert response.status_code == 201
    started = response.json()
    assert started["group_id"] == animals
    assert started["group_name"] == "Animals"
    assert started["study_activity_id"] == activity_ids["typing"]
    assert started["activity_name"] == "Typing"
    assert started["end_time"] is None
    assert started["review_items_count"] == 0
    assert started["created_at"] == started["start_time"]
    assert started["launch_url"] == (f"/study/typing?group_id={animals}&session_id={started['id']}")


def test_launching_without_a_group_studies_todays_plan(client, learner, content, launch):
    started = launch(learner, None)

    assert (started["group_id"], started["group_name"]) == (None, None)
    assert started["launch_url"] == f"/study/flashcards?session_id={started['id']}"


def test_a_launched_session_is_the_callers_own(client, learner, new_account, content, launch):
    started = launch(learner, content.groups["verbs"])

    other = new_account()
    mine = client.get(f"/api/study_sessions/{started['id']}", headers=learner.headers)
    theirs = client.get(f"/api/study_sessions/{started['id']}", headers=other.headers)

    assert mine.status_code == 200
    assert theirs.status_code == 404


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"group_id": 999999}, "That word group does not exist."),
        ({"study_activity_id": 999999}, "That study activity does not exist."),
    ],
)
def test_launching_with_an_unknown_group_or_activity_is_a_404(
    client, learner, content, activity_ids, body, detail
):
    payload = {
        "group_id": content.groups["animals"],
        "study_activity_id": activity_ids["flashcards"],
        **body,
    }

    response = client.post("/api/study_activities", json=payload, headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": detail, "field": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "study_activity_id"),
        ({"study_activity_id": "flashcards"}, "study_activity_id"),
        ({"study_activity_id": 1, "group_id": 0}, "group_id"),
        ({"study_activity_id": 1, "theme": "dark"}, "theme"),
    ],
)
def test_a_launch_body_that_is_not_right_is_a_422_naming_the_field(client, learner, body, field):
    response = client.post("/api/study_activities", json=body, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_a_learner_cannot_launch_on_a_group_with_only_draft_words(
    client, learner, teacher, content, activity_ids
):
    empty = client.post(
        "/api/groups",
        json={"course_id": content.japanese, "name": "Coming soon"},
        headers=teacher.headers,
    ).json()

    response = client.post(
        "/api/study_activities",
        json={"group_id": empty["id"], "study_activity_id": activity_ids["flashcards"]},
        headers=learner.headers,
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "This group has no words to study yet.",
        "field": "group_id",
    }


# ------------------------------------------------------------------------------ its sessions


def test_an_activitys_sessions_are_the_callers_own_newest_first(
    client, learner, new_account, content, launch, activity_ids
):
    first = launch(learner, content.groups["animals"])
    second = launch(learner, content.groups["verbs"])
    launch(learner, content.groups["verbs"], activity="typing")
    launch(new_account(), content.groups["verbs"])

    response = client.get(
        f"/api/study_activities/{activity_ids['flashcards']}/study_sessions",
        headers=learner.headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body["items"]] == [second["id"], first["id"]]
    assert [s["group_name"] for s in body["items"]] == ["Verbs", "Animals"]
    assert body["pagination"] == {
        "current_page": 1,
        "total_pages": 1,
        "total_items": 2,
        "items_per_page": 20,
    }


def test_the_sessions_of_an_unknown_activity_are_a_404(client, learner):
    response = client.get("/api/study_activities/999999/study_sessions", headers=learner.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "That study activity does not exist."
