"""/api/writing and /api/teacher/writing: write with the words given, keep what was written,
and let the learner's teachers read and comment.

These run with no model configured, so the offline checks grade; the model path is specified
against a fake Messages API in tests/integration/tutor/test_writing_grading.py.
"""

from __future__ import annotations

import pytest

from learn_app.config import get_settings
from tests.fixtures.classes import enrol_over_http

FULL_FEEDBACK = "Full feedback needs an AI provider."


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "llm_provider", "offline")


def submit(client, account, text, word_ids, **fields):
    return client.post(
        "/api/writing/submissions",
        json={"text": text, "word_ids": word_ids, **fields},
        headers=account.headers,
    )


@pytest.fixture
def written(client, learner, content) -> dict:
    response = submit(client, learner, "猫と犬がいます", [content.words["猫"], content.words["犬"]])
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def taught(client, teacher, learner) -> int:
    """The learner is in the teacher's class; the class id."""
    response = client.post(
        "/api/classes", json={"name": "Japanese 1", "language": "ja"}, headers=teacher.headers
    )
    class_id = response.json()["id"]
    enrol_over_http(client, teacher, class_id, learner)
    return class_id


def test_the_prompt_gives_published_words_of_the_learners_language(client, learner, content):
    response = client.get("/api/writing/prompt", headers=learner.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "ja"
    assert [w["term"] for w in body["words"]] == ["猫", "犬", "見る"]
    assert body["words"][0] == {
        "id": content.words["猫"],
        "term": "猫",
        "reading": "ねこ",
        "romaji": "neko",
        "meaning": "cat",
        "part_of_speech": "noun",
    }


def test_a_sentence_is_checked_offline_and_kept(client, learner, written):
    assert written["score"] is None
    assert written["offline"] is True
    assert written["provider"] == "offline"
    assert written["notice"].endswith(FULL_FEEDBACK)
    assert written["learner_name"] == "Lena Learner"
    assert [(w["term"], w["used"]) for w in written["feedback"]["target_words"]] == [
        ("猫", True),
        ("犬", True),
    ]
    punctuation = next(c for c in written["feedback"]["checks"] if c["name"] == "punctuation")
    assert punctuation["ok"] is False

    listed = client.get("/api/writing/submissions", headers=learner.headers).json()
    assert [s["id"] for s in listed] == [written["id"]]
    one = client.get(f"/api/writing/submissions/{written['id']}", headers=learner.headers)
    assert one.json()["text"] == "猫と犬がいます"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a sentence that uses the words."),
        ("neko to inu", "Write the sentence in Japanese, in kana or kanji"),
        ("猫" * 501, "Keep it to 500 characters"),
    ],
)
def test_a_sentence_that_cannot_be_checked_is_a_422_naming_the_field(
    client, learner, content, text, message
):
    response = submit(client, learner, text, [content.words["猫"]])

    assert response.status_code == 422
    assert response.json()["field"] == "text"
    assert response.json()["detail"].startswith(message)
    assert client.get("/api/writing/submissions", headers=learner.headers).json() == []


def test_a_draft_or_unknown_word_is_not_found(client, learner, content):
    for word_id in (content.words["鳥"], 999_999):
        response = submit(client, learner, "鳥がいます。", [word_id])
        assert response.status_code == 404


def test_another_learners_writing_does_not_exist_for_them(client, new_account, written):
    stranger = new_account()

    response = client.get(f"/api/writing/submissions/{written['id']}", headers=stranger.headers)

    assert response.status_code == 404
    assert client.get("/api/writing/submissions", headers=stranger.headers).json() == []


def test_the_learners_teacher_reads_and_comments_and_the_learner_sees_the_comment(
    client, learner, teacher, taught, written
):
    listed = client.get(
        "/api/teacher/writing", params={"classroom_id": taught}, headers=teacher.headers
    )
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()] == [written["id"]]

    response = client.post(
        f"/api/writing/submissions/{written['id']}/comments",
        json={"text": "Add a full stop: 。"},
        headers=teacher.headers,
    )

    assert response.status_code == 201
    assert (response.json()["author_name"], response.json()["text"]) == (
        "Tomás Teacher",
        "Add a full stop: 。",
    )
    mine = client.get(f"/api/writing/submissions/{written['id']}", headers=learner.headers)
    assert [c["text"] for c in mine.json()["comments"]] == ["Add a full stop: 。"]


def test_another_teacher_can_neither_read_nor_comment(
    client, teacher, other_teacher, taught, written
):
    path = f"/api/writing/submissions/{written['id']}"

    assert client.get(path, headers=other_teacher.headers).status_code == 404
    comment = client.post(f"{path}/comments", json={"text": "Hi"}, headers=other_teacher.headers)
    assert comment.status_code == 404
    assert client.get("/api/teacher/writing", headers=other_teacher.headers).json() == []
    other_class = client.get(
        "/api/teacher/writing", params={"classroom_id": taught}, headers=other_teacher.headers
    )
    assert other_class.status_code == 403


def test_a_learner_cannot_comment_or_list_learners_writing(client, learner, written):
    comment = client.post(
        f"/api/writing/submissions/{written['id']}/comments",
        json={"text": "Me"},
        headers=learner.headers,
    )

    assert comment.status_code == 403
    assert client.get("/api/teacher/writing", headers=learner.headers).status_code == 403


def test_writing_needs_a_token(client):
    assert client.get("/api/writing/prompt").status_code == 401
    assert client.get("/api/writing/submissions").status_code == 401
