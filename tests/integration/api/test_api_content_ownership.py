"""Retiring content keeps learners' history; a course is edited by its owner, its editors and
admins only (over REST, as another program or the pages' services would call it)."""

from __future__ import annotations

OWNERS_ONLY = "Only the course's owner, its editors and admins can change this course."


def quick_stats(client, account) -> dict:
    response = client.get("/api/dashboard/quick-stats", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def terms(client, account, **params) -> set[str]:
    response = client.get(
        "/api/words", params={"language": "all", **params}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    return {word["term"] for word in response.json()["items"]}


# ------------------------------------------------------------------------------ archiving


def test_archiving_a_word_keeps_every_learners_reviews_and_their_counts(
    client, teacher, learner, content, launch, answer
):
    animals = launch(learner, content.groups["animals"])
    assert answer(learner, animals["id"], content.words["猫"], correct=True).status_code == 201
    assert answer(learner, animals["id"], content.words["猫"], correct=False).status_code == 201
    assert answer(learner, animals["id"], content.words["犬"], correct=True).status_code == 201
    before = quick_stats(client, learner)
    assert (before["total_reviews"], before["correct_reviews"]) == (3, 2)

    response = client.delete(f"/api/words/{content.words['猫']}", headers=teacher.headers)

    assert response.status_code == 204
    assert quick_stats(client, learner) == before
    studied = client.get(f"/api/study_sessions/{animals['id']}", headers=learner.headers).json()
    assert (studied["review_items_count"], studied["correct_count"]) == (3, 2)
    # The word has left the lists, its group and its page, for the learner and the teacher.
    assert "猫" not in terms(client, learner) | terms(client, teacher)
    group = client.get(f"/api/groups/{content.groups['animals']}", headers=learner.headers)
    assert group.json()["word_count"] == 1
    assert (
        client.get(f"/api/words/{content.words['猫']}", headers=learner.headers).status_code == 404
    )
    # Archiving twice finds nothing left to archive.
    again = client.delete(f"/api/words/{content.words['猫']}", headers=teacher.headers)
    assert again.status_code == 404


def test_adding_an_archived_word_again_brings_back_the_learners_counts(
    client, teacher, learner, content, launch, answer
):
    animals = launch(learner, content.groups["animals"])
    answer(learner, animals["id"], content.words["猫"], correct=True)
    client.delete(f"/api/words/{content.words['猫']}", headers=teacher.headers)

    response = client.post(
        "/api/words",
        json={
            "course_id": content.japanese,
            "term": "猫",
            "reading": "ねこ",
            "romaji": "neko",
            "meaning": "cat",
            "part_of_speech": "noun",
        },
        headers=teacher.headers,
    )

    assert response.status_code == 201, response.text
    assert response.json()["id"] == content.words["猫"]
    word = client.get(f"/api/words/{content.words['猫']}", headers=learner.headers).json()
    assert (word["correct_count"], word["wrong_count"]) == (1, 0)


def test_archiving_a_lesson_takes_it_out_of_the_lists_but_keeps_it(
    client, session, teacher, learner, content
):
    lesson_id = next(iter(content.lessons.values()))

    response = client.delete(f"/api/lessons/{lesson_id}", headers=teacher.headers)

    assert response.status_code == 204
    assert client.get(f"/api/lessons/{lesson_id}", headers=learner.headers).status_code == 404
    listed = client.get("/api/lessons", params={"language": "ja"}, headers=teacher.headers)
    assert lesson_id not in {lesson["id"] for lesson in listed.json()["items"]}
    from learn_app.models import Document

    session.expire_all()
    kept = session.get(Document, lesson_id)
    assert kept is not None and kept.status == "archived" and kept.archived_at is not None


# ------------------------------------------------------------------------------ owners


def test_a_teacher_cannot_change_another_teachers_course(client, other_teacher, learner, content):
    cat = content.words["猫"]
    refusals = [
        client.patch(f"/api/words/{cat}", json={"meaning": "kitty"}, headers=other_teacher.headers),
        client.delete(f"/api/words/{cat}", headers=other_teacher.headers),
        client.post(
            "/api/words",
            json={
                "course_id": content.japanese,
                "term": "魚",
                "reading": "さかな",
                "meaning": "fish",
                "part_of_speech": "noun",
            },
            headers=other_teacher.headers,
        ),
        client.post(
            "/api/lessons",
            json={
                "course_id": content.japanese,
                "title": "Mine now",
                "level": "N5",
                "body": "Hello",
            },
            headers=other_teacher.headers,
        ),
        client.delete(
            f"/api/lessons/{next(iter(content.lessons.values()))}", headers=other_teacher.headers
        ),
        client.delete(f"/api/groups/{content.groups['animals']}", headers=other_teacher.headers),
    ]

    assert [r.status_code for r in refusals] == [403] * 6
    assert refusals[0].json()["detail"] == OWNERS_ONLY
    word = client.get(f"/api/words/{cat}", headers=learner.headers).json()
    assert word["meaning"] == "cat"
    assert "魚" not in terms(client, learner)


def test_an_admin_changes_any_course(client, admin, learner, content):
    response = client.patch(
        f"/api/words/{content.words['猫']}", json={"meaning": "cat; kitty"}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    word = client.get(f"/api/words/{content.words['猫']}", headers=learner.headers).json()
    assert word["meaning"] == "cat; kitty"


def test_the_owner_lets_another_teacher_edit_and_takes_it_back(
    client, teacher, other_teacher, content
):
    cat = f"/api/words/{content.words['猫']}"
    editors = f"/api/courses/{content.japanese}/editors"
    # Another teacher can neither edit nor make themself an editor.
    assert (
        client.put(f"{editors}/{other_teacher.id}", headers=other_teacher.headers).status_code
        == 403
    )

    added = client.put(f"{editors}/{other_teacher.id}", headers=teacher.headers)

    assert added.status_code == 200, added.text
    assert client.get(editors, headers=teacher.headers).json() == [
        {"id": other_teacher.id, "display_name": "Tara Teacher"}
    ]
    edited = client.patch(cat, json={"meaning": "kitty"}, headers=other_teacher.headers)
    assert edited.status_code == 200 and edited.json()["meaning"] == "kitty"
    # The Spanish course is still not theirs.
    spanish = client.patch(
        f"/api/words/{content.words['pan']}",
        json={"meaning": "loaf"},
        headers=other_teacher.headers,
    )
    assert spanish.status_code == 403

    assert (
        client.delete(f"{editors}/{other_teacher.id}", headers=teacher.headers).status_code == 204
    )
    again = client.patch(cat, json={"meaning": "cat"}, headers=other_teacher.headers)
    assert again.status_code == 403


def test_a_course_nobody_owns_is_edited_by_admins_only(client, session, teacher, admin, content):
    handed = client.put(
        f"/api/courses/{content.japanese}/owner", json={"owner_id": None}, headers=admin.headers
    )
    assert handed.status_code == 200 and handed.json()["owner_id"] is None
    refused = client.put(
        f"/api/courses/{content.japanese}/owner",
        json={"owner_id": teacher.id},
        headers=teacher.headers,
    )
    assert refused.status_code == 403

    cat = f"/api/words/{content.words['猫']}"
    assert client.patch(cat, json={"meaning": "kitty"}, headers=teacher.headers).status_code == 403
    assert client.patch(cat, json={"meaning": "kitty"}, headers=admin.headers).status_code == 200
