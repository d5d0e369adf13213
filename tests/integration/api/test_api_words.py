"""/api/words: everyone reads published words; teachers and admins also see drafts and edit."""

import pytest

EDITORS_ONLY = {"detail": "Only teachers and admins can change course content.", "field": None}

FISH = {
    "term": "魚",
    "reading": "さかな",
    "romaji": "sakana",
    "meaning": "fish",
    "part_of_speech": "noun",
}


def terms(response) -> set[str]:
    return {word["term"] for word in response.json()["items"]}


# ------------------------------------------------------------------------------ reading lists


def test_a_learner_sees_only_published_words(client, learner, content):
    response = client.get("/api/words", params={"language": "all"}, headers=learner.headers)

    assert response.status_code == 200
    assert terms(response) == {"猫", "犬", "見る", "食べる", "pan", "manzana"}


def test_a_teacher_also_sees_draft_words_marked_as_drafts(client, teacher, content):
    response = client.get(
        "/api/words", params={"course_id": content.japanese}, headers=teacher.headers
    )

    statuses = {word["term"]: word["status"] for word in response.json()["items"]}
    assert statuses == {
        "猫": "published",
        "犬": "published",
        "鳥": "draft",
        "見る": "published",
        "食べる": "published",
    }


def test_word_lists_come_a_page_at_a_time_with_their_pagination(client, learner, content):
    response = client.get(
        "/api/words",
        params={"per_page": 4, "page": 2, "sort": "meaning", "language": "all"},
        headers=learner.headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert [word["meaning"] for word in body["items"]] == ["to eat", "to see; to look"]
    assert body["pagination"] == {
        "current_page": 2,
        "total_pages": 2,
        "total_items": 6,
        "items_per_page": 4,
    }


def test_a_page_past_the_last_is_empty_rather_than_an_error(client, learner, content):
    response = client.get(
        "/api/words",
        params={"per_page": 4, "page": 9, "language": "all"},
        headers=learner.headers,
    )

    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["pagination"]["total_pages"] == 2


def test_words_sort_by_meaning_in_either_direction(client, learner, content):
    def meanings(order: str) -> list[str]:
        response = client.get(
            "/api/words",
            params={"language": "ja", "sort": "meaning", "order": order},
            headers=learner.headers,
        )
        return [word["meaning"] for word in response.json()["items"]]

    assert meanings("asc") == ["cat", "dog", "to eat", "to see; to look"]
    assert meanings("desc") == ["to see; to look", "to eat", "dog", "cat"]


@pytest.mark.parametrize(
    ("search", "found"),
    [("neko", {"猫"}), ("DOG", {"犬"}), ("たべ", {"食べる"}), ("look", {"見る"}), ("100%", set())],
)
def test_word_search_matches_term_reading_meaning_and_romaji(
    client, learner, content, search, found
):
    response = client.get(
        "/api/words", params={"search": search, "language": "all"}, headers=learner.headers
    )

    assert terms(response) == found


def test_words_can_be_kept_to_one_language(client, learner, content):
    response = client.get("/api/words", params={"language": "es"}, headers=learner.headers)

    assert terms(response) == {"pan", "manzana"}


def test_words_can_be_kept_to_one_group(client, learner, content):
    response = client.get(
        "/api/words", params={"group_id": content.groups["verbs"]}, headers=learner.headers
    )

    assert terms(response) == {"見る", "食べる"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": 101}, "per_page"),
        ({"page": 0}, "page"),
        ({"sort": "colour"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"course_id": "first"}, "course_id"),
    ],
)
def test_a_bad_list_parameter_is_a_422_naming_it(client, learner, content, params, field):
    response = client.get("/api/words", params=params, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"].startswith(f"{field}: ")


def test_words_need_a_token(client, content):
    response = client.get("/api/words")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


# ------------------------------------------------------------------------------ reading one


def test_a_learner_reads_a_word_with_its_parts_and_groups(client, learner, content):
    response = client.get(f"/api/words/{content.words['猫']}", headers=learner.headers)

    assert response.status_code == 200
    word = response.json()
    assert (word["term"], word["reading"], word["romaji"], word["meaning"]) == (
        "猫",
        "ねこ",
        "neko",
        "cat",
    )
    assert word["example_translation"] == "There is a cat."
    assert word["groups"] == [{"id": content.groups["animals"], "name": "Animals"}]
    assert (word["correct_count"], word["wrong_count"]) == (0, 0)


def test_a_draft_word_does_not_exist_for_a_learner(client, learner, content):
    response = client.get(f"/api/words/{content.words['鳥']}", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That word does not exist.", "field": None}


def test_a_teacher_reads_a_draft_word(client, teacher, content):
    response = client.get(f"/api/words/{content.words['鳥']}", headers=teacher.headers)

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_an_unknown_word_is_a_json_404(client, learner, content):
    response = client.get("/api/words/999999", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That word does not exist.", "field": None}


@pytest.mark.parametrize("word_id", ["cat", "0", "99999999999"])
def test_a_word_id_that_cannot_be_one_is_a_422_naming_it(client, learner, word_id):
    response = client.get(f"/api/words/{word_id}", headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "word_id"


# ------------------------------------------------------------------------------ creating


def test_a_teacher_adds_a_word_to_a_course_and_a_group(client, teacher, learner, content):
    response = client.post(
        "/api/words",
        json={**FISH, "course_id": content.japanese, "group_ids": [content.groups["animals"]]},
        headers=teacher.headers,
    )

    assert response.status_code == 201
    word = response.json()
    assert (word["term"], word["language"], word["status"], word["romaji"]) == (
        "魚",
        "ja",
        "published",
        "sakana",
    )
    assert word["groups"] == [{"id": content.groups["animals"], "name": "Animals"}]
    assert client.get(f"/api/words/{word['id']}", headers=learner.headers).status_code == 200


def test_a_word_added_as_a_draft_stays_hidden_from_learners(client, teacher, learner, content):
    response = client.post(
        "/api/words",
        json={**FISH, "course_id": content.japanese, "status": "draft"},
        headers=teacher.headers,
    )

    assert response.status_code == 201
    word_url = f"/api/words/{response.json()['id']}"
    assert client.get(word_url, headers=learner.headers).status_code == 404
    assert "魚" not in terms(client.get("/api/words", headers=learner.headers))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"meaning": None}, {"detail": "meaning is required.", "field": "meaning"}),
        (
            {"reading": "sakana"},
            {"detail": "'sakana' is not written in kana only.", "field": "reading"},
        ),
        (
            {"reading": ""},
            {"detail": "Japanese words need a reading in kana.", "field": "reading"},
        ),
        (
            {"part_of_speech": "verb"},
            {
                "detail": "Japanese verbs need a verb_class: godan, ichidan or irregular.",
                "field": "verb_class",
            },
        ),
        (
            {"colour": "silver"},
            {"detail": "colour is not a field you can send here.", "field": "colour"},
        ),
        ({"tags": "fish"}, {"detail": "tags: Input should be a valid list.", "field": "tags"}),
    ],
)
def test_a_word_that_cannot_be_added_says_which_field_to_fix(
    client, teacher, content, change, expected
):
    body = {**FISH, "course_id": content.japanese, **change}
    body = {name: value for name, value in body.items() if value is not None}

    response = client.post("/api/words", json=body, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json() == expected


def test_a_part_of_speech_outside_the_list_is_refused_naming_it(client, teacher, content):
    response = client.post(
        "/api/words",
        json={**FISH, "part_of_speech": "thing", "course_id": content.japanese},
        headers=teacher.headers,
    )

    assert response.status_code == 422
    assert response.json()["field"] == "part_of_speech"
    assert "noun" in response.json()["detail"]


def test_a_word_already_in_the_course_is_a_conflict_on_its_term(client, teacher, content):
    response = client.post(
        "/api/words",
        json={**FISH, "term": "猫", "reading": "ねこ", "course_id": content.japanese},
        headers=teacher.headers,
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The course already has the word 猫 (ねこ).",
        "field": "term",
    }


def test_a_word_for_an_unknown_course_is_a_404(client, teacher, content):
    response = client.post(
        "/api/words", json={**FISH, "course_id": 999999}, headers=teacher.headers
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "That course does not exist.", "field": None}


def test_a_word_is_not_added_to_an_unknown_group_or_at_all(client, teacher, content):
    response = client.post(
        "/api/words",
        json={**FISH, "course_id": content.japanese, "group_ids": [999999]},
        headers=teacher.headers,
    )

    assert response.status_code == 404
    assert "魚" not in terms(client.get("/api/words", headers=teacher.headers))


# ------------------------------------------------------------------------------ changing


def test_a_teacher_corrects_a_meaning_and_the_rest_of_the_word_stays(client, teacher, content):
    url = f"/api/words/{content.words['猫']}"

    response = client.patch(url, json={"meaning": "cat; kitty"}, headers=teacher.headers)

    assert response.status_code == 200
    word = client.get(url, headers=teacher.headers).json()
    assert (word["meaning"], word["romaji"], word["example_sentence"]) == (
        "cat; kitty",
        "neko",
        "猫がいます。",
    )
    assert word["groups"] == [{"id": content.groups["animals"], "name": "Animals"}]


def test_publishing_a_draft_word_shows_it_to_learners(client, teacher, learner, content):
    url = f"/api/words/{content.words['鳥']}"

    response = client.patch(url, json={"status": "published"}, headers=teacher.headers)

    assert response.json()["status"] == "published"
    assert client.get(url, headers=learner.headers).status_code == 200


def test_an_admin_may_edit_words_too(client, admin, content):
    response = client.patch(
        f"/api/words/{content.words['犬']}", json={"meaning": "dog; hound"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["meaning"] == "dog; hound"


def test_a_change_with_nothing_in_it_is_refused(client, teacher, content):
    response = client.patch(f"/api/words/{content.words['猫']}", json={}, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json() == {"detail": "Send at least one field to change.", "field": None}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"reading": "neko"}, 422, "reading"),
        ({"meaning": "  "}, 422, "meaning"),
        ({"part_of_speech": "thing"}, 422, "part_of_speech"),
        ({"status": "secret"}, 422, "status"),
        ({"term": "犬", "reading": "いぬ"}, 409, "term"),
    ],
)
def test_a_change_that_would_break_the_word_names_the_field_and_changes_nothing(
    client, teacher, content, change, status, field
):
    url = f"/api/words/{content.words['猫']}"

    response = client.patch(url, json=change, headers=teacher.headers)

    assert response.status_code == status
    assert response.json()["field"] == field
    word = client.get(url, headers=teacher.headers).json()
    assert (word["term"], word["reading"], word["meaning"]) == ("猫", "ねこ", "cat")


def test_changing_an_unknown_word_is_a_404(client, teacher, content):
    response = client.patch("/api/words/999999", json={"meaning": "x"}, headers=teacher.headers)

    assert response.status_code == 404


# ------------------------------------------------------------------------------ deleting


def test_a_teacher_deletes_a_word_and_it_leaves_its_group(client, teacher, content):
    response = client.delete(f"/api/words/{content.words['猫']}", headers=teacher.headers)

    assert response.status_code == 204
    assert (
        client.get(f"/api/words/{content.words['猫']}", headers=teacher.headers).status_code == 404
    )
    group = client.get(f"/api/groups/{content.groups['animals']}", headers=teacher.headers)
    assert group.json()["word_count"] == 2


def test_deleting_an_unknown_word_is_a_404(client, teacher, content):
    response = client.delete("/api/words/999999", headers=teacher.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "That word does not exist."


# ------------------------------------------------------------------------------ learners


@pytest.mark.parametrize(
    ("method", "body"),
    [("POST", FISH), ("PATCH", {"meaning": "kitty"}), ("DELETE", None)],
)
def test_a_learner_cannot_add_change_or_delete_words(client, learner, content, method, body):
    path = "/api/words" if method == "POST" else f"/api/words/{content.words['猫']}"
    if method == "POST":
        body = {**body, "course_id": content.japanese}

    response = client.request(method, path, json=body, headers=learner.headers)

    assert response.status_code == 403
    assert response.json() == EDITORS_ONLY
    everything = {"language": "all"}
    assert terms(client.get("/api/words", params=everything, headers=learner.headers)) == {
        "猫",
        "犬",
        "見る",
        "食べる",
        "pan",
        "manzana",
    }
    cat = client.get(f"/api/words/{content.words['猫']}", headers=learner.headers).json()
    assert cat["meaning"] == "cat"
