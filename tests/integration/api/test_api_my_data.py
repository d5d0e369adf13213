"""GET /api/me/export: a person downloads everything stored about them, and nobody else's."""

from __future__ import annotations

import csv
import io

import sqlalchemy


def test_the_export_holds_the_learners_profile_answers_and_cards_and_no_secrets(
    client, learner, content, launch, answer, new_account
):
    animals = launch(learner, content.groups["animals"])
    answer(learner, animals["id"], content.words["猫"], correct=True)
    answer(learner, animals["id"], content.words["犬"], correct=False)
    other = new_account(display_name="Otto Other")
    theirs = launch(other, content.groups["animals"])
    answer(other, theirs["id"], content.words["猫"], correct=True)

    response = client.get("/api/me/export", headers=learner.headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="my-data.json"'
    data = response.json()
    assert data["profile"]["email"] == learner.email
    assert "password_hash" not in data["profile"]
    assert [(r["word_id"], r["correct"]) for r in data["reviews"]] == [
        (content.words["猫"], True),
        (content.words["犬"], False),
    ]
    assert {r["user_id"] for r in data["reviews"] + data["card_states"]} == {learner.id}
    assert sorted(c["word_id"] for c in data["card_states"]) == sorted(
        [content.words["猫"], content.words["犬"]]
    )
    assert [s["id"] for s in data["study_sessions"]] == [animals["id"]]
    assert data["sign_in_sessions"] and all("id" not in s for s in data["sign_in_sessions"])
    assert data["writing_submissions"] == data["tutor_conversations"] == []


def test_the_export_lists_every_table_oldest_first_even_after_a_row_was_rewritten(
    client, engine, learner, content, launch, answer, new_account
):
    animals = launch(learner, content.groups["animals"])
    answer(learner, animals["id"], content.words["猫"], correct=True)
    answer(learner, animals["id"], content.words["犬"], correct=False)
    other = new_account(display_name="Otto Other")
    with engine.begin() as connection:
        # Moving the first answer away and back writes it anew after the second, in the table
        # and in its indexes, where a read in stored order meets it last.
        for owner in (other.id, learner.id):
            for table in ("review", "card_state"):
                connection.execute(
                    sqlalchemy.text(f"UPDATE {table} SET user_id = :u WHERE word_id = :w"),
                    {"u": owner, "w": content.words["猫"]},
                )

    data = client.get("/api/me/export", headers=learner.headers).json()

    assert [r["word_id"] for r in data["reviews"]] == [content.words["猫"], content.words["犬"]]
    assert [c["word_id"] for c in data["card_states"]] == sorted(
        [content.words["猫"], content.words["犬"]]
    )


def test_the_answers_come_as_csv_with_their_words(client, learner, content, launch, answer):
    animals = launch(learner, content.groups["animals"])
    answer(learner, animals["id"], content.words["猫"], correct=True)
    answer(learner, animals["id"], content.words["犬"], correct=False)

    response = client.get("/api/me/export", params={"format": "csv"}, headers=learner.headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["term"], r["meaning"], r["correct"]) for r in rows] == [
        ("猫", "cat", "yes"),
        ("犬", "dog", "no"),
    ]
    assert {r["session_id"] for r in rows} == {str(animals["id"])}


def test_an_archived_words_answers_are_still_in_the_export(
    client, teacher, learner, content, launch, answer
):
    animals = launch(learner, content.groups["animals"])
    answer(learner, animals["id"], content.words["猫"], correct=True)
    client.delete(f"/api/words/{content.words['猫']}", headers=teacher.headers)

    response = client.get("/api/me/export", params={"format": "csv"}, headers=learner.headers)

    assert [r["term"] for r in csv.DictReader(io.StringIO(response.text))] == ["猫"]


def test_the_export_needs_a_sign_in(client):
    assert client.get("/api/me/export").status_code == 401
