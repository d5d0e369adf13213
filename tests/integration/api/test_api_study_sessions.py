"""/api/study_sessions: the caller's own sessions, the answers given in them, their end."""

from datetime import datetime

import pytest

SESSION_FIELDS = {
    # lang-portal's
    "id",
    "activity_name",
    "group_id",
    "group_name",
    "start_time",
    "end_time",
    "review_items_count",
    "study_activity_id",
    "created_at",
    # the portal's own
    "activity_slug",
    "correct_count",
    "wrong_count",
    "success_rate",
}


@pytest.fixture
def animals(learner, content, launch):
    """The learner's flashcards session on Animals."""
    return launch(learner, content.groups["animals"])


@pytest.fixture
def answered(learner, content, animals, answer):
    """Cat right, dog wrong, cat right again: 3 answers, 2 right, 2 words."""
    for term, correct in (("猫", True), ("犬", False), ("猫", True)):
        response = answer(learner, animals["id"], content.words[term], correct=correct)
        assert response.status_code == 201, response.text
    return animals


def due(response) -> datetime:
    return datetime.fromisoformat(response.json()["next_review_at"])


# ------------------------------------------------------------------------------ listing


def test_sessions_are_listed_newest_first_with_the_lang_portal_fields(
    client, learner, content, launch
):
    first = launch(learner, content.groups["animals"])
    second = launch(learner, content.groups["verbs"], activity="typing")

    response = client.get("/api/study_sessions", headers=learner.headers)

    assert response.status_code == 200
    items = response.json()["items"]
    assert [s["id"] for s in items] == [second["id"], first["id"]]
    assert set(items[0]) == SESSION_FIELDS
    assert (items[0]["activity_name"], items[0]["group_name"]) == ("Typing", "Verbs")


def test_session_lists_come_a_page_at_a_time(client, learner, content, launch):
    oldest = launch(learner, content.groups["animals"])
    for _ in range(2):
        launch(learner, content.groups["verbs"])

    response = client.get(
        "/api/study_sessions", params={"page": 2, "per_page": 2}, headers=learner.headers
    )

    body = response.json()
    assert [s["id"] for s in body["items"]] == [oldest["id"]]
    assert body["pagination"] == {
        "current_page": 2,
        "total_pages": 2,
        "total_items": 3,
        "items_per_page": 2,
    }


def test_a_learner_lists_only_their_own_sessions(client, learner, new_account, answered):
    other = new_account()

    response = client.get("/api/study_sessions", headers=other.headers)

    assert response.json()["items"] == []
    assert response.json()["pagination"]["total_items"] == 0


def test_a_bad_session_list_parameter_is_a_422_naming_it(client, learner):
    response = client.get("/api/study_sessions", params={"per_page": 101}, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "per_page"


def test_a_groups_sessions_are_the_callers_own_on_that_group(
    client, learner, new_account, content, launch
):
    on_animals = launch(learner, content.groups["animals"])
    launch(learner, content.groups["verbs"])
    launch(new_account(), content.groups["animals"])

    response = client.get(
        f"/api/groups/{content.groups['animals']}/study_sessions", headers=learner.headers
    )

    assert response.status_code == 200
    assert [s["id"] for s in response.json()["items"]] == [on_animals["id"]]
    assert response.json()["pagination"]["total_items"] == 1


def test_the_sessions_of_an_unknown_group_are_a_404(client, learner):
    response = client.get("/api/groups/999999/study_sessions", headers=learner.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "That word group does not exist."


# ------------------------------------------------------------------------------ reading one


def test_a_session_is_read_with_its_answers_counted(client, learner, answered):
    response = client.get(f"/api/study_sessions/{answered['id']}", headers=learner.headers)

    assert response.status_code == 200
    read = response.json()
    assert (read["group_name"], read["activity_name"]) == ("Animals", "Flashcards")
    assert (read["review_items_count"], read["correct_count"], read["wrong_count"]) == (3, 2, 1)
    assert read["success_rate"] == 66.7


def test_the_words_of_a_session_are_listed_in_answer_order_with_right_and_wrong(
    client, learner, content, answered
):
    response = client.get(f"/api/study_sessions/{answered['id']}/words", headers=learner.headers)

    assert response.status_code == 200
    items = response.json()["items"]
    assert [
        (w["id"], w["japanese"], w["romaji"], w["english"], w["correct_count"], w["wrong_count"])
        for w in items
    ] == [
        (content.words["猫"], "猫", "neko", "cat", 2, 0),
        (content.words["犬"], "犬", "inu", "dog", 0, 1),
    ]


def test_the_words_of_a_session_come_a_page_at_a_time(client, learner, answered):
    response = client.get(
        f"/api/study_sessions/{answered['id']}/words",
        params={"page": 2, "per_page": 1},
        headers=learner.headers,
    )

    body = response.json()
    assert [w["term"] for w in body["items"]] == ["犬"]
    assert body["pagination"] == {
        "current_page": 2,
        "total_pages": 2,
        "total_items": 2,
        "items_per_page": 1,
    }


def test_an_unknown_session_is_a_json_404(client, learner):
    response = client.get("/api/study_sessions/999999", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That study session does not exist.", "field": None}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "/words"),
        ("POST", "/end"),
        ("POST", "/words/{word}/review"),
    ],
)
def test_another_learners_session_answers_as_one_that_does_not_exist(
    client, learner, new_account, content, answered, method, path
):
    other = new_account()
    suffix = path.format(word=content.words["猫"])
    body = {"correct": True} if path.endswith("review") else None

    theirs = client.request(
        method, f"/api/study_sessions/{answered['id']}{suffix}", json=body, headers=other.headers
    )
    missing = client.request(
        method, f"/api/study_sessions/999999{suffix}", json=body, headers=other.headers
    )

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    mine = client.get(f"/api/study_sessions/{answered['id']}", headers=learner.headers).json()
    assert (mine["review_items_count"], mine["end_time"]) == (3, None)


@pytest.mark.parametrize("session_id", ["abc", "0", str(2**31)])
def test_a_session_id_that_cannot_be_one_is_a_422_naming_it(client, learner, session_id):
    response = client.get(f"/api/study_sessions/{session_id}", headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "session_id"


# ------------------------------------------------------------------------------ answering


def test_an_answer_is_recorded_and_says_when_the_word_comes_back(
    client, learner, content, animals, answer
):
    cat = content.words["猫"]

    response = answer(learner, animals["id"], cat, correct=True, latency_ms=2300, response="cat")

    assert response.status_code == 201
    recorded = response.json()
    assert recorded["success"] is True
    assert (recorded["study_session_id"], recorded["word_id"]) == (animals["id"], cat)
    assert (recorded["correct"], recorded["rating"]) == (True, "good")
    assert due(response) > datetime.fromisoformat(recorded["created_at"])


def test_a_wrong_answer_is_rated_again(client, learner, content, animals, answer):
    response = answer(learner, animals["id"], content.words["犬"], correct=False)

    assert (response.json()["correct"], response.json()["rating"]) == (False, "again")


def test_a_flashcard_rating_is_kept_and_easy_comes_back_later_than_good(
    client, learner, content, animals, answer
):
    good = answer(learner, animals["id"], content.words["猫"], correct=True, rating="good")
    easy = answer(learner, animals["id"], content.words["犬"], correct=True, rating="Easy")

    assert easy.json()["rating"] == "easy"
    assert due(easy) > due(good)


def test_an_answer_shows_in_the_words_own_counts(client, learner, content, answered):
    response = client.get(f"/api/words/{content.words['猫']}", headers=learner.headers)

    word = response.json()
    assert (word["correct_count"], word["wrong_count"]) == (2, 0)
    assert word["stats"] == {"correct_count": 2, "wrong_count": 0}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"correct": None}, "correct"),
        ({"correct": "perhaps"}, "correct"),
        ({"correct": True, "rating": "superb"}, "rating"),
        ({"correct": False, "rating": "good"}, "rating"),
        ({"correct": True, "rating": "again"}, "rating"),
        ({"correct": True, "latency_ms": -5}, "latency_ms"),
        ({"correct": True, "latency_ms": "fast"}, "latency_ms"),
        ({"correct": True, "word": "猫"}, "word"),
    ],
)
def test_an_answer_that_is_not_right_is_a_422_naming_the_field(
    client, learner, content, animals, answer, body, expected
):
    response = answer(learner, animals["id"], content.words["猫"], **body)

    assert response.status_code == 422
    assert response.json()["field"] == expected


def test_an_answer_without_a_body_is_a_422(client, learner, content, animals):
    response = client.post(
        f"/api/study_sessions/{animals['id']}/words/{content.words['猫']}/review",
        headers=learner.headers,
    )

    assert response.status_code == 422
    assert response.json() == {"detail": "The request needs a body.", "field": None}


def test_a_refused_answer_is_not_counted(client, learner, content, animals, answer):
    answer(learner, animals["id"], content.words["猫"], correct=False, rating="easy")

    read = client.get(f"/api/study_sessions/{animals['id']}", headers=learner.headers).json()
    assert read["review_items_count"] == 0


@pytest.mark.parametrize("term", ["鳥", None])
def test_an_answer_to_a_draft_or_unknown_word_is_a_404(
    client, learner, content, animals, answer, term
):
    word_id = content.words[term] if term else 999999

    response = answer(learner, animals["id"], word_id)

    assert response.status_code == 404
    assert response.json() == {"detail": "That word does not exist.", "field": None}


def test_an_answer_in_an_ended_session_is_a_json_409(client, learner, content, answered, answer):
    client.post(f"/api/study_sessions/{answered['id']}/end", headers=learner.headers)

    response = answer(learner, answered["id"], content.words["犬"])

    assert response.status_code == 409
    assert response.json() == {
        "detail": "This study session has ended; start a new one to go on.",
        "field": None,
    }


def test_answering_needs_a_token(client, content, animals):
    response = client.post(
        f"/api/study_sessions/{animals['id']}/words/{content.words['猫']}/review",
        json={"correct": True},
    )

    assert response.status_code == 401


# ------------------------------------------------------------------------------ ending


def test_ending_a_session_sums_it_up(client, learner, content, answered):
    response = client.post(f"/api/study_sessions/{answered['id']}/end", headers=learner.headers)

    assert response.status_code == 200
    summary = response.json()
    assert summary["end_time"] is not None
    assert (summary["review_items_count"], summary["success_rate"]) == (3, 66.7)
    assert summary["duration_seconds"] >= 0
    assert [(w["term"], w["wrong_count"]) for w in summary["words_to_review"]] == [("犬", 1)]


def test_ending_a_session_twice_keeps_the_first_end(client, learner, answered):
    url = f"/api/study_sessions/{answered['id']}/end"

    first = client.post(url, headers=learner.headers).json()
    again = client.post(url, headers=learner.headers)

    assert again.status_code == 200
    assert again.json()["end_time"] == first["end_time"]
