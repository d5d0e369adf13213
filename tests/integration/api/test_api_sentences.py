"""/api/sentences: the sentence constructor over REST, answered by the offline rules.

What is sent to Claude is specified in tests/integration/tutor/test_sentence_builder.py.
"""

from __future__ import annotations

import pytest

from learn_app.config import get_settings
from learn_app.services.tutor import sentences

CAT = "猫がいます。"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "llm_provider", "offline")
    sentences.hint_cache.clear()


@pytest.fixture
def studied(content, learner, launch) -> int:
    """A sentence-builder session on the animals, of which only 猫 has an example sentence."""
    return launch(learner, content.groups["animals"], "sentence-builder")["id"]


@pytest.fixture
def item_id(client, learner, studied) -> str:
    response = client.post(
        "/api/sentences/next", json={"session_id": studied}, headers=learner.headers
    )
    assert response.status_code == 200, response.text
    return response.json()["item_id"]


def post(client, account, path, **body):
    return client.post(f"/api/sentences/{path}", json=body or None, headers=account.headers)


def session_words(client, account, studied) -> list[tuple[str, int, int]]:
    response = client.get(f"/api/study_sessions/{studied}/words", headers=account.headers)
    return [(w["japanese"], w["correct_count"], w["wrong_count"]) for w in response.json()["items"]]


def test_the_next_sentence_is_its_english_and_never_the_answer(client, learner, studied):
    response = post(client, learner, "next", session_id=studied)

    assert response.status_code == 200
    body = response.json()
    assert body["english"] == "There is a cat."
    assert (body["language"], body["position"], body["total"], body["finished"]) == (
        "ja", 0, 1, False
    )  # fmt: skip
    assert body["item_id"].startswith(f"{studied}-")
    assert "猫" not in response.text


def test_the_three_hints_give_words_order_and_clues(client, learner, item_id):
    words, order, clues = (post(client, learner, f"{item_id}/hints/{n}") for n in (1, 2, 3))

    assert [r.status_code for r in (words, order, clues)] == [200, 200, 200]
    assert words.json()["vocabulary"] == [{"term": "猫", "reading": "ねこ", "meaning": "cat"}]
    assert order.json()["structure"] == "[subject] が [word]"
    assert clues.json()["clues"][0].startswith("が marks the subject")
    assert clues.json()["offline"] is True and clues.json()["notice"]
    for response in (words, order, clues):
        assert CAT.rstrip("。") not in response.text


def test_a_right_attempt_in_romaji_is_recorded(client, learner, studied, item_id):
    response = post(client, learner, f"{item_id}/attempts", text="neko ga imasu")

    assert response.status_code == 200
    assert response.json() | {"feedback": ""} == {
        "verdict": "exact", "correct": True, "feedback": "", "provider": "rules",
        "notice": None, "recorded": True,
    }  # fmt: skip
    assert session_words(client, learner, studied) == [("猫", 1, 0)]


def test_a_wrong_attempt_gets_feedback_and_is_not_recorded(client, learner, studied, item_id):
    response = post(client, learner, f"{item_id}/attempts", text="いぬがいます", earlier_attempts=0)

    body = response.json()
    assert (body["verdict"], body["correct"], body["recorded"]) == ("wrong", False, False)
    assert body["feedback"] == "Missing: 猫 (cat)."
    assert session_words(client, learner, studied) == []


def test_revealing_the_answer_records_it_as_missed(client, learner, studied, item_id):
    response = post(client, learner, f"{item_id}/reveal")

    assert response.status_code == 200
    assert response.json() == {
        "sentence": CAT, "reading": "ねこがいます。", "romaji": "neko ga imasu.",
        "english": "There is a cat.", "recorded": True,
    }  # fmt: skip
    assert session_words(client, learner, studied) == [("猫", 0, 1)]


def test_after_the_last_sentence_the_session_is_finished(client, learner, studied, item_id):
    post(client, learner, f"{item_id}/attempts", text=CAT)

    response = post(client, learner, "next", session_id=studied)

    assert response.json()["finished"] is True
    detail = client.get(f"/api/study_sessions/{studied}", headers=learner.headers).json()
    assert detail["end_time"] is not None


def test_a_tampered_item_id_is_not_found(client, learner, item_id):
    session_id, word_id, signature = item_id.split("-", 2)

    response = post(client, learner, f"{session_id}-{int(word_id) + 1}-{signature}/reveal")

    assert response.status_code == 404
    assert response.json()["detail"] == "That sentence does not exist."


def test_another_learners_sentence_is_not_found(client, new_account, item_id):
    response = post(client, new_account(), f"{item_id}/hints/1")

    assert response.status_code == 404


def test_a_hint_level_beyond_three_is_refused(client, learner, item_id):
    assert post(client, learner, f"{item_id}/hints/4").status_code == 422


def test_an_empty_attempt_is_refused_with_the_field(client, learner, item_id):
    response = post(client, learner, f"{item_id}/attempts", text=" ")

    assert response.status_code == 422
    assert response.json() == {"detail": "Type your sentence first.", "field": "text"}


def test_a_session_of_another_activity_is_refused(client, content, learner, launch):
    typing = launch(learner, content.groups["animals"], "typing")["id"]

    response = post(client, learner, "next", session_id=typing)

    assert response.status_code == 422
    assert response.json()["field"] == "session_id"


def test_the_sentences_need_a_sign_in(client, item_id):
    assert client.post(f"/api/sentences/{item_id}/reveal").status_code == 401
