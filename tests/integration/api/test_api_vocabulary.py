"""/api/vocabulary and /api/examples: teachers generate word lists and example sentences,
review them, and import or publish what they keep.

Claude is the fake Messages API (`tests/fakes/anthropic_server.py`); the API server runs in
this process, so pointing the settings at the fake reaches it. The pipelines' repair and
fallback are specified in tests/integration/tutor/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fakes.anthropic_server import FakeAnthropic

from learn_app.config import get_settings

TICKET = {
    "term": "切符",
    "reading": "きっぷ",
    "meaning": "ticket",
    "part_of_speech": "noun",
    "example_sentence": "切符を買います。",
    "example_translation": "I buy a ticket.",
}
CAT = {
    "term": "猫",
    "reading": "ねこ",
    "meaning": "cat",
    "part_of_speech": "noun",
    "example_sentence": "猫がいます。",
    "example_translation": "There is a cat.",
}


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic().start()
    yield server
    server.stop()


@pytest.fixture
def claude(fake_server: FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    fake_server.reset()
    for name in ("LEARN_LLM_PROVIDER", "LEARN_ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dummy")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_server.base_url)
    monkeypatch.setenv("LEARN_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LEARN_INDEX_ON_CHANGE", "false")
    get_settings.cache_clear()
    yield fake_server
    monkeypatch.undo()
    get_settings.cache_clear()


def propose(client, account, theme="at the train station", **fields):
    return client.post(
        "/api/vocabulary/proposals",
        json={"theme": theme, "language": "ja", "count": 10, **fields},
        headers=account.headers,
    )


def import_rows(client, account, rows, **fields):
    return client.post(
        "/api/vocabulary/import", json={"rows": rows, **fields}, headers=account.headers
    )


def group_terms(client, account, group_id) -> list[str]:
    response = client.get(f"/api/groups/{group_id}/words", headers=account.headers)
    assert response.status_code == 200, response.text
    return [word["term"] for word in response.json()["items"]]


# --------------------------------------------------------------------------- word lists


def test_a_proposal_marks_the_words_the_course_has(client, teacher, content, claude):
    claude.reply_next(json.dumps({"words": [CAT, TICKET]}, ensure_ascii=False))

    response = propose(client, teacher)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["provider"], body["notice"]) == ("anthropic", None)
    cat, ticket = body["words"]
    assert (cat["duplicate"], cat["existing_word_id"], cat["keep"]) == (
        True,
        content.words["猫"],
        False,
    )
    assert (ticket["duplicate"], ticket["keep"], ticket["problems"]) == (False, True, [])


def test_learners_may_not_ask_for_a_word_list(client, learner, content, claude):
    response = propose(client, learner)

    assert response.status_code == 403
    assert claude.requests == []


def test_a_count_out_of_range_is_refused(client, teacher, content, claude):
    response = propose(client, teacher, count=100)

    assert response.status_code == 422
    assert response.json()["field"] == "count"


def test_the_kept_rows_go_into_a_new_group(client, teacher, content, claude):
    rows = [
        {**CAT, "keep": True},
        {**TICKET, "keep": True},
        {**TICKET, "term": "駅", "keep": False},
    ]

    response = import_rows(client, teacher, rows, group_name="At the station", language="ja")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["group_name"], body["created"], body["added_to_group"]) == (
        "At the station",
        1,
        2,
    )
    assert sorted(group_terms(client, teacher, body["group_id"])) == sorted(["猫", "切符"])


def test_rows_join_an_existing_group(client, teacher, content, claude):
    response = import_rows(
        client, teacher, [TICKET], group_id=content.groups["animals"], status="published"
    )

    assert response.status_code == 200, response.text
    assert "切符" in group_terms(client, teacher, content.groups["animals"])


def test_a_bad_row_refuses_the_import_with_its_row_and_field(client, teacher, content, claude):
    rows = [TICKET, {**TICKET, "term": "電車", "reading": "densha"}]

    response = import_rows(client, teacher, rows, group_name="Trains", language="ja")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Nothing was imported: 1 problem in the rows."
    assert [(p["line"], p["field"]) for p in body["problems"]] == [(2, "reading")]
    names = client.get("/api/groups", headers=teacher.headers).json()["items"]
    assert "Trains" not in [group["name"] for group in names]


def test_an_import_names_one_group(client, teacher, content, claude):
    response = import_rows(
        client, teacher, [TICKET], group_name="Trains", group_id=content.groups["animals"]
    )

    assert response.status_code == 422


def test_learners_may_not_import(client, learner, content, claude):
    response = import_rows(client, learner, [TICKET], group_name="Trains", language="ja")

    assert response.status_code == 403


# --------------------------------------------------------------------------- examples


@pytest.fixture
def drafts(client, teacher, content, claude) -> list[dict]:
    """Drafts for the animals that have no example: 犬 and 鳥 (猫 has one)."""
    claude.reply_next(
        json.dumps(
            {
                "examples": [
                    {
                        "word_id": content.words["犬"],
                        "sentence": "犬が好きです。",
                        "reading": "いぬがすきです。",
                        "translation": "I like dogs.",
                    },
                    {
                        "word_id": content.words["鳥"],
                        "sentence": "鳥が鳴いています。",
                        "reading": "とりがないています。",
                        "translation": "A bird is singing.",
                    },
                ]
            },
            ensure_ascii=False,
        )
    )
    response = client.post(
        "/api/examples/drafts",
        json={"group_id": content.groups["animals"]},
        headers=teacher.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["skipped"], body["missing"], body["provider"]) == (1, 0, "anthropic")
    return body["drafts"]


def test_drafts_are_listed_with_their_words(client, teacher, drafts):
    response = client.get("/api/examples/drafts", headers=teacher.headers)

    assert response.status_code == 200
    assert [(d["word"]["term"], d["sentence"], d["status"]) for d in response.json()] == [
        ("犬", "犬が好きです。", "draft"),
        ("鳥", "鳥が鳴いています。", "draft"),
    ]


def test_an_edited_draft_once_published_is_the_words_example(client, teacher, content, drafts):
    dog = drafts[0]["id"]
    edited = client.patch(
        f"/api/examples/drafts/{dog}",
        json={"translation": "I love dogs."},
        headers=teacher.headers,
    )
    assert edited.status_code == 200, edited.text

    published = client.post(f"/api/examples/drafts/{dog}/publish", headers=teacher.headers)

    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    word = client.get(f"/api/words/{content.words['犬']}", headers=teacher.headers).json()
    assert (word["example_sentence"], word["example_translation"], word["example_reading"]) == (
        "犬が好きです。",
        "I love dogs.",
        "いぬがすきです。",
    )
    again = client.post(f"/api/examples/drafts/{dog}/publish", headers=teacher.headers)
    assert again.status_code == 409


def test_a_rejected_draft_leaves_the_list(client, teacher, content, drafts):
    bird = drafts[1]["id"]

    rejected = client.post(f"/api/examples/drafts/{bird}/reject", headers=teacher.headers)

    assert rejected.json()["status"] == "rejected"
    waiting = client.get("/api/examples/drafts", headers=teacher.headers).json()
    assert [d["id"] for d in waiting] == [drafts[0]["id"]]
    word = client.get(f"/api/words/{content.words['鳥']}", headers=teacher.headers).json()
    assert word["example_sentence"] == ""


def test_an_edit_that_drops_the_word_is_refused(client, teacher, drafts):
    response = client.patch(
        f"/api/examples/drafts/{drafts[0]['id']}",
        json={"sentence": "猫がいます。"},
        headers=teacher.headers,
    )

    assert response.status_code == 422
    assert response.json()["field"] == "sentence"


def test_learners_may_not_see_or_publish_drafts(client, learner, drafts):
    assert client.get("/api/examples/drafts", headers=learner.headers).status_code == 403
    published = client.post(
        f"/api/examples/drafts/{drafts[0]['id']}/publish", headers=learner.headers
    )
    assert published.status_code == 403
