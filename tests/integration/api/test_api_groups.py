"""/api/groups: word groups ("Animals", "Verbs"); everyone reads them, teachers edit them."""

import re

import pytest

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EDITORS_ONLY = {"detail": "Only teachers and admins can change course content.", "field": None}


def group_url(content, slug: str) -> str:
    return f"/api/groups/{content.groups[slug]}"


def create_group(client, teacher, course_id: int, name: str, **extra):
    return client.post(
        "/api/groups", json={"course_id": course_id, "name": name, **extra}, headers=teacher.headers
    )


# ------------------------------------------------------------------------------ reading


def test_groups_are_listed_by_name_with_the_words_a_learner_can_see(client, learner, content):
    response = client.get("/api/groups", params={"language": "all"}, headers=learner.headers)

    assert response.status_code == 200
    counts = [(group["name"], group["word_count"]) for group in response.json()["items"]]
    assert counts == [("Animals", 2), ("Food", 2), ("Verbs", 2)]


def test_a_teachers_word_counts_include_drafts(client, teacher, content):
    response = client.get("/api/groups", params={"language": "ja"}, headers=teacher.headers)

    counts = {group["name"]: group["word_count"] for group in response.json()["items"]}
    assert counts == {"Animals": 3, "Verbs": 2}


def test_group_lists_come_a_page_at_a_time(client, learner, content):
    response = client.get(
        "/api/groups", params={"per_page": 1, "page": 2, "language": "all"}, headers=learner.headers
    )

    body = response.json()
    assert [group["name"] for group in body["items"]] == ["Food"]
    assert body["pagination"] == {
        "current_page": 2,
        "total_pages": 3,
        "total_items": 3,
        "items_per_page": 1,
    }


def test_groups_can_be_kept_to_one_course_or_found_by_name(client, learner, content):
    def names(**params) -> list[str]:
        response = client.get("/api/groups", params=params, headers=learner.headers)
        return [group["name"] for group in response.json()["items"]]

    assert names(course_id=content.spanish) == ["Food"]
    assert names(search="ANIM") == ["Animals"]


def test_a_bad_group_list_parameter_is_a_422_naming_it(client, learner, content):
    response = client.get("/api/groups", params={"per_page": 0}, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "per_page"


def test_a_group_is_read_with_its_description_and_word_count(client, learner, content):
    response = client.get(group_url(content, "animals"), headers=learner.headers)

    assert response.status_code == 200
    group = response.json()
    assert (group["name"], group["slug"], group["language"], group["word_count"]) == (
        "Animals",
        "animals",
        "ja",
        2,
    )
    assert group["description"] == "Creatures great and small."


def test_an_unknown_group_is_a_json_404(client, learner, content):
    response = client.get("/api/groups/999999", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That word group does not exist.", "field": None}


def test_a_groups_words_leave_out_drafts_for_learners(client, learner, teacher, content):
    def terms(account) -> set[str]:
        response = client.get(group_url(content, "animals") + "/words", headers=account.headers)
        return {word["term"] for word in response.json()["items"]}

    assert terms(learner) == {"猫", "犬"}
    assert terms(teacher) == {"猫", "犬", "鳥"}


def test_a_groups_words_are_searchable_and_paginated(client, learner, content):
    response = client.get(
        group_url(content, "verbs") + "/words",
        params={"search": "eat", "per_page": 1},
        headers=learner.headers,
    )

    body = response.json()
    assert [word["term"] for word in body["items"]] == ["食べる"]
    assert body["pagination"]["total_items"] == 1


def test_the_words_of_an_unknown_group_are_a_404(client, learner, content):
    response = client.get("/api/groups/999999/words", headers=learner.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "That word group does not exist."


# ------------------------------------------------------------------------------ editing


def test_a_teacher_creates_an_empty_group_in_a_course(client, teacher, content):
    response = create_group(
        client, teacher, content.japanese, "  Food   and drink ", description="Eating out."
    )

    assert response.status_code == 201
    group = response.json()
    assert (group["name"], group["slug"], group["language"], group["word_count"]) == (
        "Food and drink",
        "food-and-drink",
        "ja",
        0,
    )
    assert group["description"] == "Eating out."


def test_groups_with_the_same_long_name_each_get_a_usable_slug(client, teacher, content):
    name = "Words for the weather, the seasons and the sky: rain, snow, wind, clouds, sun and all"

    first = create_group(client, teacher, content.japanese, name)
    second = create_group(client, teacher, content.japanese, name)

    assert (first.status_code, second.status_code) == (201, 201)
    slugs = [first.json()["slug"], second.json()["slug"]]
    assert slugs[0] != slugs[1]
    assert all(SLUG.fullmatch(slug) and len(slug) <= 80 for slug in slugs), slugs


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": "   "}, {"detail": "Enter a group name.", "field": "name"}),
        (
            {"name": "x" * 121},
            {"detail": "Group names can be at most 120 characters.", "field": "name"},
        ),
        ({}, {"detail": "name is required.", "field": "name"}),
        (
            {"name": "Food", "colour": "red"},
            {"detail": "colour is not a field you can send here.", "field": "colour"},
        ),
        (
            {"name": "Food", "description": "Eat\u0000"},
            {
                "detail": "Group descriptions can't contain control characters.",
                "field": "description",
            },
        ),
        (
            {"name": "Food", "description": "x" * 1001},
            {
                "detail": "Group descriptions can be at most 1000 characters.",
                "field": "description",
            },
        ),
    ],
)
def test_a_group_that_cannot_be_created_says_which_field_to_fix(
    client, teacher, content, body, expected
):
    response = client.post(
        "/api/groups", json={"course_id": content.japanese, **body}, headers=teacher.headers
    )

    assert response.status_code == 422
    assert response.json() == expected


def test_a_group_for_an_unknown_course_is_a_404(client, teacher, content):
    response = create_group(client, teacher, 999999, "Food")

    assert response.status_code == 404
    assert response.json()["detail"] == "That course does not exist."


def test_a_teacher_renames_a_group_and_its_description_stays(client, teacher, content):
    response = client.patch(
        group_url(content, "animals"), json={"name": "Pets"}, headers=teacher.headers
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["description"]) == (
        "Pets",
        "Creatures great and small.",
    )
    assert response.json()["word_count"] == 3


def test_a_description_too_long_to_keep_is_refused_not_cut_short(client, teacher, content):
    url = group_url(content, "animals")

    response = client.patch(url, json={"description": "y" * 1001}, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "description"
    assert client.get(url, headers=teacher.headers).json()["description"] == (
        "Creatures great and small."
    )


def test_a_rename_with_nothing_to_change_is_refused(client, teacher, content):
    response = client.patch(group_url(content, "animals"), json={}, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json() == {"detail": "Send a name or description to change.", "field": None}


def test_renaming_an_unknown_group_is_a_404(client, teacher, content):
    response = client.patch("/api/groups/999999", json={"name": "Pets"}, headers=teacher.headers)

    assert response.status_code == 404


def test_deleting_a_group_keeps_its_words(client, teacher, content):
    response = client.delete(group_url(content, "animals"), headers=teacher.headers)

    assert response.status_code == 204
    assert client.get(group_url(content, "animals"), headers=teacher.headers).status_code == 404
    cat = client.get(f"/api/words/{content.words['猫']}", headers=teacher.headers)
    assert (cat.status_code, cat.json()["groups"]) == (200, [])


def test_adding_words_to_a_group_counts_only_the_new_ones(client, teacher, content):
    url = group_url(content, "animals") + "/words"
    word_ids = [content.words["猫"], content.words["見る"]]

    first = client.post(url, json={"word_ids": word_ids}, headers=teacher.headers)
    again = client.post(url, json={"word_ids": word_ids}, headers=teacher.headers)

    assert first.status_code == 200
    assert first.json() == {"added": 1, "word_count": 4}
    assert again.json() == {"added": 0, "word_count": 4}


def test_words_added_to_a_group_keep_the_order_they_were_given(client, teacher, content):
    group = create_group(client, teacher, content.japanese, "Pets").json()
    word_ids = [content.words["犬"], content.words["猫"]]  # the dog was stored after the cat

    client.post(
        f"/api/groups/{group['id']}/words", json={"word_ids": word_ids}, headers=teacher.headers
    )

    exported = client.get(
        f"/api/groups/{group['id']}/export", params={"format": "csv"}, headers=teacher.headers
    )
    assert [line.split(",")[1] for line in exported.text.splitlines()[1:]] == ["犬", "猫"]


def test_a_word_added_after_another_was_removed_comes_last(client, teacher, content):
    group = create_group(client, teacher, content.japanese, "Pets").json()
    url = f"/api/groups/{group['id']}/words"
    client.post(
        url,
        json={"word_ids": [content.words["犬"], content.words["見る"]]},
        headers=teacher.headers,
    )
    client.delete(f"{url}/{content.words['犬']}", headers=teacher.headers)
    # The cat was stored before 見る, so had it taken 見る's place it would be listed first.
    assert content.words["猫"] < content.words["見る"]

    client.post(url, json={"word_ids": [content.words["猫"]]}, headers=teacher.headers)

    exported = client.get(
        f"/api/groups/{group['id']}/export", params={"format": "csv"}, headers=teacher.headers
    )
    assert [line.split(",")[1] for line in exported.text.splitlines()[1:]] == ["見る", "猫"]


def test_adding_an_unknown_word_to_a_group_adds_nothing(client, teacher, content):
    response = client.post(
        group_url(content, "animals") + "/words",
        json={"word_ids": [content.words["見る"], 999999]},
        headers=teacher.headers,
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "One of those words does not exist."
    group = client.get(group_url(content, "animals"), headers=teacher.headers).json()
    assert group["word_count"] == 3


def test_a_group_refuses_words_of_another_language(client, teacher, content):
    response = client.post(
        group_url(content, "animals") + "/words",
        json={"word_ids": [content.words["pan"]]},
        headers=teacher.headers,
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "A group holds words of one language only."


@pytest.mark.parametrize("body", [{"word_ids": []}, {"word_ids": [0]}, {"word_ids": "all"}, {}])
def test_a_bad_list_of_words_to_add_is_a_422_naming_it(client, teacher, content, body):
    response = client.post(
        group_url(content, "animals") + "/words", json=body, headers=teacher.headers
    )

    assert response.status_code == 422
    assert response.json()["field"] == "word_ids"
    assert "word_ids" in response.json()["detail"]


def test_removing_a_word_from_a_group_keeps_the_word(client, teacher, content):
    response = client.delete(
        group_url(content, "animals") + f"/words/{content.words['猫']}", headers=teacher.headers
    )

    assert response.status_code == 204
    assert (
        client.get(group_url(content, "animals"), headers=teacher.headers).json()["word_count"] == 2
    )
    assert (
        client.get(f"/api/words/{content.words['猫']}", headers=teacher.headers).json()["groups"]
        == []
    )


def test_removing_a_word_that_is_not_in_the_group_is_a_404(client, teacher, content):
    response = client.delete(
        group_url(content, "animals") + f"/words/{content.words['見る']}", headers=teacher.headers
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "That word is not in this group."


# ------------------------------------------------------------------------------ learners


def group_changes(content) -> dict[str, tuple[str, str, dict | None]]:
    animals = group_url(content, "animals")
    return {
        "create": ("POST", "/api/groups", {"course_id": content.japanese, "name": "Sneaky"}),
        "rename": ("PATCH", animals, {"name": "Sneaky"}),
        "delete": ("DELETE", animals, None),
        "add words": ("POST", animals + "/words", {"word_ids": [content.words["見る"]]}),
        "remove a word": ("DELETE", f"{animals}/words/{content.words['猫']}", None),
    }


@pytest.mark.parametrize("change", ["create", "rename", "delete", "add words", "remove a word"])
def test_a_learner_cannot_change_groups(client, learner, content, change):
    method, path, body = group_changes(content)[change]

    response = client.request(method, path, json=body, headers=learner.headers)

    assert response.status_code == 403
    assert response.json() == EDITORS_ONLY
    groups = client.get("/api/groups", params={"language": "ja"}, headers=learner.headers)
    assert [(g["name"], g["word_count"]) for g in groups.json()["items"]] == [
        ("Animals", 2),
        ("Verbs", 2),
    ]
