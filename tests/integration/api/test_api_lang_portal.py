"""Words and groups also answer under lang-portal's names, so its clients read them as they are."""


def test_words_carry_lang_portals_japanese_and_english(client, learner, content):
    response = client.get(
        "/api/words", params={"course_id": content.japanese}, headers=learner.headers
    )

    cat = next(word for word in response.json()["items"] if word["term"] == "猫")
    assert (cat["japanese"], cat["romaji"], cat["english"]) == ("猫", "neko", "cat")
    assert (cat["correct_count"], cat["wrong_count"]) == (0, 0)


def test_only_a_japanese_word_has_a_japanese_field(client, learner, content):
    response = client.get(f"/api/words/{content.words['pan']}", headers=learner.headers)

    assert (response.json()["japanese"], response.json()["english"]) == (None, "bread")


def test_words_sort_by_lang_portals_field_names(client, learner, content):
    def meanings(**params) -> list[str]:
        response = client.get(
            "/api/words",
            params={"course_id": content.japanese, **params},
            headers=learner.headers,
        )
        assert response.status_code == 200, response.text
        return [word["meaning"] for word in response.json()["items"]]

    by_english = ["cat", "dog", "to eat", "to see; to look"]
    assert meanings(sort_by="english") == by_english
    assert meanings(sort_by="romaji") == ["dog", "to see; to look", "cat", "to eat"]
    assert meanings(sort_by="english", order="desc") == by_english[::-1]


def test_words_sort_by_the_callers_correct_count(client, learner, content, launch, answer):
    session = launch(learner, content.groups["verbs"])
    for _ in range(2):
        answer(learner, session["id"], content.words["見る"], correct=True)

    response = client.get(
        "/api/words",
        params={"course_id": content.japanese, "sort_by": "correct_count", "order": "desc"},
        headers=learner.headers,
    )

    first = response.json()["items"][0]
    assert (first["term"], first["correct_count"]) == ("見る", 2)


def test_an_unknown_sort_by_is_a_422_naming_it(client, learner):
    response = client.get("/api/words", params={"sort_by": "kana"}, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "sort_by"


def test_a_groups_words_sort_by_lang_portals_field_names_too(client, learner, content):
    response = client.get(
        f"/api/groups/{content.groups['verbs']}/words",
        params={"sort_by": "english", "order": "desc"},
        headers=learner.headers,
    )

    assert [word["english"] for word in response.json()["items"]] == ["to see; to look", "to eat"]


def test_a_group_carries_lang_portals_word_count_stats(client, learner, content):
    response = client.get(f"/api/groups/{content.groups['animals']}", headers=learner.headers)

    group = response.json()
    assert (group["name"], group["word_count"]) == ("Animals", 2)
    assert group["stats"] == {"total_word_count": 2}
