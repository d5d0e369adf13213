"""Courses, and downloading a course or a group as a file that imports back unchanged."""

import pytest
import yaml

EDITORS_ONLY = {"detail": "Only teachers and admins can change course content.", "field": None}

# ------------------------------------------------------------------------------ courses


def test_every_signed_in_person_sees_the_courses_by_title(client, learner, content):
    response = client.get("/api/courses", headers=learner.headers)

    assert response.status_code == 200
    assert [(c["title"], c["language"], c["level"]) for c in response.json()] == [
        ("Mini Japanese", "ja", "JLPT N5"),
        ("Mini Spanish", "es", "A1"),
    ]


def test_the_courses_need_a_token(client):
    response = client.get("/api/courses")

    assert response.status_code == 401
    assert response.json()["detail"]


# ------------------------------------------------------------------------------ export


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("yaml", "application/yaml"), ("json", "application/json"), ("csv", "text/csv")],
)
def test_a_course_downloads_as_a_file_named_after_it(client, teacher, content, fmt, media_type):
    response = client.get(
        f"/api/courses/{content.japanese}/export", params={"format": fmt}, headers=teacher.headers
    )

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["content-disposition"] == f'attachment; filename="ja-mini.{fmt}"'
    assert "猫" in response.text


def test_a_course_downloads_as_yaml_unless_asked_otherwise(client, teacher, content):
    response = client.get(f"/api/courses/{content.japanese}/export", headers=teacher.headers)

    assert response.headers["content-disposition"] == 'attachment; filename="ja-mini.yaml"'
    assert yaml.safe_load(response.text)["title"] == "Mini Japanese"


def test_a_course_export_includes_drafts_as_drafts(client, teacher, content):
    response = client.get(f"/api/courses/{content.japanese}/export", headers=teacher.headers)

    exported = yaml.safe_load(response.text)
    assert {(d["slug"], d.get("status")) for d in exported["lessons"]} == {
        ("wa-and-ga", "published"),
        ("counters", "draft"),
    }


def test_a_group_downloads_as_a_file_named_after_course_and_group(client, teacher, content):
    response = client.get(
        f"/api/groups/{content.groups['verbs']}/export",
        params={"format": "csv"},
        headers=teacher.headers,
    )

    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="ja-mini-verbs.csv"'
    assert response.text.splitlines() == [
        "group,term,reading,romaji,meaning,part_of_speech,gender,verb_class,"
        "example_sentence,example_reading,example_translation,tags,status",
        "verbs,見る,みる,miru,to see; to look,verb,,ichidan,,,,,",
        "verbs,食べる,たべる,taberu,to eat,verb,,ichidan,,,,,",
    ]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_exporting_a_course_and_importing_it_back_changes_nothing(
    client, upload, teacher, content, fmt
):
    exported = client.get(
        f"/api/courses/{content.japanese}/export", params={"format": fmt}, headers=teacher.headers
    )

    response = upload(teacher, exported.text, f"ja-mini.{fmt}", preview=True)

    assert response.status_code == 200
    assert response.json()["changes"] == []
    assert response.json()["summary"].startswith("Nothing to change")


def test_an_exported_csv_imports_back_unchanged(client, upload, teacher, content):
    exported = client.get(
        f"/api/courses/{content.japanese}/export", params={"format": "csv"}, headers=teacher.headers
    )

    response = upload(
        teacher, exported.text, "ja-mini.csv", preview=True, course_id=content.japanese
    )

    assert response.status_code == 200
    assert response.json()["changes"] == []


def test_a_word_in_no_group_round_trips_without_gaining_a_group(client, upload, teacher, content):
    client.post(
        "/api/words",
        json={
            "course_id": content.japanese,
            "term": "魚",
            "reading": "さかな",
            "meaning": "fish",
            "part_of_speech": "noun",
        },
        headers=teacher.headers,
    )
    exported = client.get(f"/api/courses/{content.japanese}/export", headers=teacher.headers)

    response = upload(teacher, exported.text, "ja-mini.yaml", preview=True)

    assert response.json()["changes"] == []


def test_content_restored_from_an_export_keeps_its_drafts_hidden(
    client, upload, teacher, learner, content
):
    exported = client.get(f"/api/courses/{content.japanese}/export", headers=teacher.headers)
    client.delete(f"/api/lessons/{content.lessons['counters']}", headers=teacher.headers)
    for term in ("猫", "犬", "鳥", "見る", "食べる"):
        client.delete(f"/api/words/{content.words[term]}", headers=teacher.headers)

    restored = upload(teacher, exported.text, "ja-mini.yaml")

    assert restored.status_code == 200
    words = client.get("/api/words", params={"language": "ja"}, headers=learner.headers)
    lessons = client.get("/api/lessons", params={"language": "ja"}, headers=learner.headers)
    assert {word["term"] for word in words.json()["items"]} == {"猫", "犬", "見る", "食べる"}
    assert [lesson["slug"] for lesson in lessons.json()["items"]] == ["wa-and-ga"]


def test_a_learner_cannot_export(client, learner, content):
    course = client.get(f"/api/courses/{content.japanese}/export", headers=learner.headers)
    group = client.get(f"/api/groups/{content.groups['animals']}/export", headers=learner.headers)

    assert (course.status_code, group.status_code) == (403, 403)
    assert course.json() == EDITORS_ONLY


def test_exporting_an_unknown_course_or_group_is_a_404(client, teacher, content):
    course = client.get("/api/courses/999999/export", headers=teacher.headers)
    group = client.get("/api/groups/999999/export", headers=teacher.headers)

    assert (course.status_code, group.status_code) == (404, 404)
    assert course.json() == {"detail": "That course does not exist.", "field": None}
    assert group.json() == {"detail": "That word group does not exist.", "field": None}


def test_an_unknown_export_format_is_a_422_naming_the_parameter(client, teacher, content):
    response = client.get(
        f"/api/courses/{content.japanese}/export", params={"format": "xml"}, headers=teacher.headers
    )

    assert response.status_code == 422
    assert response.json()["field"] == "format"
    assert "'yaml', 'json' or 'csv'" in response.json()["detail"]
