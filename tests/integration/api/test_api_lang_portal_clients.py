"""What lang-portal frontends written to the bootcamp's spec need from this API, as they call it.

Their Words page shows the first page of `/api/words` as it comes, their launchpad `.map()`s
`/api/study_activities` and picks a launch flow by `type`, their groups table sorts with
`sort_by`/`order`, their settings page offers `POST /api/full_reset`, and their sessions table
renders `end_time`.
"""

from __future__ import annotations

from sqlmodel import select

from learn_app.models import Review


def test_words_default_to_the_learners_target_language(client, learner, content):
    body = client.get("/api/words", headers=learner.headers).json()

    assert {word["language"] for word in body["items"]} == {"ja"}
    assert body["pagination"]["total_items"] == 4  # 猫 犬 見る 食べる; 鳥 is a draft
    assert all(word["japanese"] == word["term"] for word in body["items"])


def test_a_learner_of_spanish_gets_spanish_words_with_their_spelling(client, learner, content):
    changed = client.patch("/api/me", json={"target_language": "es"}, headers=learner.headers)
    assert changed.status_code == 200, changed.text

    words = client.get("/api/words", headers=learner.headers).json()["items"]

    assert sorted(word["spanish"] for word in words) == ["manzana", "pan"]
    assert {word["japanese"] for word in words} == {None}
    assert {word["english"] for word in words} == {"apple", "bread"}


def test_language_all_lists_every_language_and_a_language_names_one(client, learner, content):
    everything = client.get("/api/words", params={"language": "all"}, headers=learner.headers)
    spanish = client.get("/api/words", params={"language": "es"}, headers=learner.headers)

    assert everything.json()["pagination"]["total_items"] == 6
    assert {word["term"] for word in spanish.json()["items"]} == {"pan", "manzana"}


def test_groups_default_to_the_target_language_and_sort_as_lang_portal_asks(
    client, learner, content
):
    by_name = client.get("/api/groups", headers=learner.headers).json()["items"]
    name_desc = client.get(
        "/api/groups", params={"sort_by": "name", "order": "desc"}, headers=learner.headers
    ).json()["items"]

    assert [g["name"] for g in by_name] == ["Animals", "Verbs"]  # no Spanish "Food"
    assert [g["name"] for g in name_desc] == ["Verbs", "Animals"]


def test_groups_sorted_by_word_count_put_the_largest_first(client, teacher, learner, content):
    # The teacher sees drafts too: Animals holds 猫 犬 鳥, Verbs 見る 食べる.
    body = client.get(
        "/api/groups", params={"sort_by": "words_count", "order": "desc"}, headers=teacher.headers
    ).json()
    ascending = client.get(
        "/api/groups", params={"sort_by": "words_count", "order": "asc"}, headers=teacher.headers
    ).json()

    assert [(g["name"], g["word_count"]) for g in body["items"]] == [("Animals", 3), ("Verbs", 2)]
    assert [g["name"] for g in ascending["items"]] == ["Verbs", "Animals"]


def test_an_unknown_group_sort_names_the_field(client, learner, content):
    response = client.get("/api/groups", params={"sort_by": "colour"}, headers=learner.headers)

    assert response.status_code == 422
    assert "sort_by" in response.text


def test_full_reset_forgets_only_the_callers_study_data(
    client, learner, new_account, content, launch, answer, session
):
    other = new_account(display_name="Olga Other")
    for account in (learner, other):
        started = launch(account, content.groups["animals"])
        assert answer(account, started["id"], content.words["猫"]).status_code == 201

    response = client.post("/api/full_reset", headers=learner.headers)

    assert response.status_code == 200, response.text
    kept = set(session.exec(select(Review.user_id)).all())
    assert kept == {other.id}
    assert client.get("/api/study_sessions", headers=learner.headers).json()["items"] == []
    others = client.get("/api/study_sessions", headers=other.headers).json()["items"]
    assert len(others) == 1
    assert (
        client.get("/api/words", params={"language": "all"}, headers=learner.headers).json()[
            "pagination"
        ]["total_items"]
        == 6
    )  # the courses stay


def test_full_reset_needs_a_signed_in_caller(client, content):
    assert client.post("/api/full_reset").status_code == 401


def test_an_open_session_has_a_null_end_time_documented_in_the_schema(
    client, learner, content, launch
):
    started = launch(learner, content.groups["animals"])

    listed = client.get("/api/study_sessions", headers=learner.headers).json()["items"]
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]

    assert [s["end_time"] for s in listed if s["id"] == started["id"]] == [None]
    end_time = schema["StudySessionPublic"]["properties"]["end_time"]
    assert "null while it is open" in end_time["description"]
    assert {"type": "null"} in end_time["anyOf"]


def test_timestamps_carry_their_offset(client, learner, content, launch):
    started = launch(learner, content.groups["animals"])

    assert started["start_time"].endswith("+00:00") or started["start_time"].endswith("Z")
