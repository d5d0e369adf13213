"""/api/lessons: learners read published lessons; teachers and admins write and publish them."""

import re

import pytest
import sqlalchemy

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A second Japanese course whose first lesson has the title of the small course's first.
SECOND_JAPANESE_COURSE = """
slug: ja-second
language: ja
native_language: en
title: Second Japanese
lessons:
  - slug: wa-and-ga
    title: "は and が"
    level: JLPT N5
    status: published
    body: は and が, again.
"""
EDITORS_ONLY = {"detail": "Only teachers and admins can change course content.", "field": None}


def titles(response) -> list[str]:
    return [lesson["title"] for lesson in response.json()["items"]]


def lesson_url(content, slug: str) -> str:
    return f"/api/lessons/{content.lessons[slug]}"


def write_lesson(client, teacher, course_id: int, **fields):
    """POST a lesson; a field given as None is left out."""
    body = {"course_id": course_id, "title": "Greetings", "level": "JLPT N5", "body": "こんにちは"}
    body = {name: value for name, value in {**body, **fields}.items() if value is not None}
    return client.post("/api/lessons", json=body, headers=teacher.headers)


# ------------------------------------------------------------------------------ reading


def test_a_learner_sees_only_published_lessons(client, learner, content):
    response = client.get("/api/lessons", headers=learner.headers)

    assert response.status_code == 200
    assert set(titles(response)) == {"は and が", "Ser and estar"}


def test_a_teacher_also_sees_drafts_and_can_list_them_alone(client, teacher, content):
    every = client.get("/api/lessons", params={"language": "ja"}, headers=teacher.headers)
    drafts = client.get("/api/lessons", params={"status": "draft"}, headers=teacher.headers)

    assert titles(every) == ["は and が", "Counting things"]
    assert titles(drafts) == ["Counting things"]


def test_lessons_in_the_same_place_of_two_courses_come_oldest_first_even_after_one_was_rewritten(
    client, engine, learner, content, store_course
):
    store_course(SECOND_JAPANESE_COURSE)
    with engine.begin() as connection:
        # Moving the first course's lesson away and back writes it anew after the second's, in
        # the table and in its indexes, where a read in stored order meets it last.
        for course in (content.spanish, content.japanese):
            connection.execute(
                sqlalchemy.text("UPDATE document SET course_id = :course WHERE id = :id"),
                {"course": course, "id": content.lessons["wa-and-ga"]},
            )

    response = client.get("/api/lessons", params={"language": "ja"}, headers=learner.headers)

    courses = {
        c["slug"]: c["id"] for c in client.get("/api/courses", headers=learner.headers).json()
    }
    listed = [(lesson["course_id"], lesson["title"]) for lesson in response.json()["items"]]
    assert listed == [(content.japanese, "は and が"), (courses["ja-second"], "は and が")]


def test_a_learner_asking_for_drafts_still_gets_only_published_lessons(client, learner, content):
    response = client.get("/api/lessons", params={"status": "draft"}, headers=learner.headers)

    assert response.status_code == 200
    assert "Counting things" not in titles(response)


def test_lesson_lists_come_a_page_at_a_time_without_bodies(client, learner, content):
    response = client.get("/api/lessons", params={"per_page": 1}, headers=learner.headers)

    body = response.json()
    assert len(body["items"]) == 1
    assert "body" not in body["items"][0]
    assert body["pagination"] == {
        "current_page": 1,
        "total_pages": 2,
        "total_items": 2,
        "items_per_page": 1,
    }


def test_lessons_can_be_kept_to_one_course_or_found_by_title(client, learner, content):
    def found(**params) -> list[str]:
        return titles(client.get("/api/lessons", params=params, headers=learner.headers))

    assert found(course_id=content.spanish) == ["Ser and estar"]
    assert found(search="topic") == ["は and が"]


@pytest.mark.parametrize(
    ("params", "field"), [({"status": "secret"}, "status"), ({"per_page": 1000}, "per_page")]
)
def test_a_bad_lesson_list_parameter_is_a_422_naming_it(client, teacher, content, params, field):
    response = client.get("/api/lessons", params=params, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_a_learner_reads_a_published_lesson_with_its_body(client, learner, content):
    response = client.get(lesson_url(content, "wa-and-ga"), headers=learner.headers)

    assert response.status_code == 200
    lesson = response.json()
    assert (lesson["title"], lesson["level"], lesson["summary"], lesson["status"]) == (
        "は and が",
        "JLPT N5",
        "Topic and subject.",
        "published",
    )
    assert lesson["body"] == "## Topic\nは marks the topic.\n"


def test_a_draft_lesson_does_not_exist_for_a_learner(client, learner, content):
    response = client.get(lesson_url(content, "counters"), headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That lesson does not exist.", "field": None}


def test_a_teacher_reads_a_draft_lesson(client, teacher, content):
    response = client.get(lesson_url(content, "counters"), headers=teacher.headers)

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_an_unknown_lesson_is_a_json_404(client, learner, content):
    response = client.get("/api/lessons/999999", headers=learner.headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "That lesson does not exist.", "field": None}


def test_a_lesson_id_that_is_not_a_number_is_a_422_naming_it(client, learner):
    response = client.get("/api/lessons/first", headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "lesson_id"


# ------------------------------------------------------------------------------ writing


def test_a_new_lesson_is_a_draft_signed_by_its_teacher(client, teacher, learner, content):
    response = write_lesson(client, teacher, content.japanese, title="Greetings and farewells")

    assert response.status_code == 201
    lesson = response.json()
    assert (lesson["slug"], lesson["status"], lesson["language"], lesson["published_at"]) == (
        "greetings-and-farewells",
        "draft",
        "ja",
        None,
    )
    assert (lesson["author"], lesson["updated_by"]) == ("Tomás Teacher", "Tomás Teacher")
    learner_view = client.get(f"/api/lessons/{lesson['id']}", headers=learner.headers)
    assert learner_view.status_code == 404


def test_a_lesson_written_as_published_is_read_by_learners(client, teacher, learner, content):
    response = write_lesson(client, teacher, content.japanese, status="published")

    assert response.json()["published_at"] is not None
    assert client.get(f"/api/lessons/{response.json()['id']}", headers=learner.headers).json()[
        "body"
    ] == ("こんにちは")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"level": "expert"},
            {
                "detail": "Level must be a JLPT level (JLPT N5 … JLPT N1) "
                "or a CEFR level (A1 … C2).",
                "field": "level",
            },
        ),
        ({"body": ""}, {"detail": "Write the lesson before saving it.", "field": "body"}),
        ({"title": None}, {"detail": "title is required.", "field": "title"}),
        ({"title": "  "}, {"detail": "Title: must not be empty", "field": "title"}),
        ({"status": "secret"}, None),
        ({"tags": "grammar"}, None),
    ],
)
def test_a_lesson_that_cannot_be_written_says_which_field_to_fix(
    client, teacher, content, fields, expected
):
    response = write_lesson(client, teacher, content.japanese, **fields)

    assert response.status_code == 422
    field = next(iter(fields))
    assert response.json()["field"] == field
    if expected:
        assert response.json() == expected


def test_two_lessons_with_the_same_title_in_a_course_conflict(client, teacher, content):
    write_lesson(client, teacher, content.japanese, title="Greetings")

    response = write_lesson(client, teacher, content.japanese, title="Greetings")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Another lesson in this course already uses that title; choose another.",
        "field": "title",
    }


def test_the_same_title_may_be_used_in_another_course(client, teacher, content):
    write_lesson(client, teacher, content.japanese, title="Greetings")

    response = write_lesson(client, teacher, content.spanish, title="Greetings", level="A1")

    assert response.status_code == 201
    assert response.json()["language"] == "es"


def test_lessons_titled_in_japanese_each_get_their_own_slug(client, teacher, content):
    first = write_lesson(client, teacher, content.japanese, title="あいさつ")
    second = write_lesson(client, teacher, content.japanese, title="天気の話")

    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert first.json()["slug"] != second.json()["slug"]


def test_a_long_title_gets_a_slug_the_course_format_accepts(client, teacher, content):
    title = "Words for the weather, the seasons and the sky: rain, snow, wind, clouds, sun and all"

    response = write_lesson(client, teacher, content.japanese, title=title)

    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    assert SLUG.fullmatch(slug) and len(slug) <= 80, slug


def test_a_lesson_for_an_unknown_course_is_a_404(client, teacher, content):
    response = write_lesson(client, teacher, 999999)

    assert response.status_code == 404
    assert response.json()["detail"] == "That course does not exist."


# ------------------------------------------------------------------------------ changing


def test_publishing_a_lesson_shows_it_to_learners_with_who_published_it(
    client, teacher, learner, content
):
    url = lesson_url(content, "counters")

    response = client.patch(url, json={"status": "published"}, headers=teacher.headers)

    assert response.status_code == 200
    assert response.json()["updated_by"] == "Tomás Teacher"
    assert response.json()["published_at"] is not None
    assert client.get(url, headers=learner.headers).json()["title"] == "Counting things"


def test_unpublishing_a_lesson_hides_it_from_learners_again(client, teacher, learner, content):
    url = lesson_url(content, "wa-and-ga")

    client.patch(url, json={"status": "draft"}, headers=teacher.headers)

    assert client.get(url, headers=learner.headers).status_code == 404
    assert "は and が" not in titles(client.get("/api/lessons", headers=learner.headers))


def test_a_teacher_rewrites_a_lesson_and_the_other_fields_stay(client, teacher, content):
    url = lesson_url(content, "wa-and-ga")

    response = client.patch(url, json={"body": "## Topic\nは, not が."}, headers=teacher.headers)

    lesson = response.json()
    assert (lesson["body"], lesson["title"], lesson["summary"], lesson["slug"]) == (
        "## Topic\nは, not が.",
        "は and が",
        "Topic and subject.",
        "wa-and-ga",
    )


def test_a_change_with_nothing_in_it_is_refused(client, teacher, content):
    response = client.patch(lesson_url(content, "wa-and-ga"), json={}, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json() == {"detail": "Send at least one field to change.", "field": None}


def test_a_change_that_would_break_the_lesson_names_the_field_and_changes_nothing(
    client, teacher, content
):
    url = lesson_url(content, "wa-and-ga")

    response = client.patch(url, json={"level": "N9", "title": "New"}, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "level"
    assert client.get(url, headers=teacher.headers).json()["title"] == "は and が"


def test_moving_a_lesson_to_a_slug_in_use_is_a_conflict_naming_the_slug(client, teacher, content):
    response = client.patch(
        lesson_url(content, "counters"), json={"slug": "wa-and-ga"}, headers=teacher.headers
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Another lesson in this course already uses the slug 'wa-and-ga'.",
        "field": "slug",
    }


def test_changing_an_unknown_lesson_is_a_404(client, teacher, content):
    response = client.patch("/api/lessons/999999", json={"title": "x"}, headers=teacher.headers)

    assert response.status_code == 404


def test_a_teacher_deletes_a_lesson(client, teacher, content):
    url = lesson_url(content, "counters")

    response = client.delete(url, headers=teacher.headers)

    assert response.status_code == 204
    assert client.get(url, headers=teacher.headers).status_code == 404


def test_deleting_an_unknown_lesson_is_a_404(client, teacher, content):
    response = client.delete("/api/lessons/999999", headers=teacher.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "That lesson does not exist."


# ------------------------------------------------------------------------------ learners


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_a_learner_cannot_write_publish_or_delete_lessons(client, learner, content, method):
    url = lesson_url(content, "wa-and-ga")
    requests = {
        "POST": (
            "/api/lessons",
            {"course_id": content.japanese, "title": "Mine", "level": "A1", "body": "x"},
        ),
        "PATCH": (url, {"status": "draft"}),
        "DELETE": (url, None),
    }
    path, body = requests[method]

    response = client.request(method, path, json=body, headers=learner.headers)

    assert response.status_code == 403
    assert response.json() == EDITORS_ONLY
    assert set(titles(client.get("/api/lessons", headers=learner.headers))) == {
        "は and が",
        "Ser and estar",
    }
