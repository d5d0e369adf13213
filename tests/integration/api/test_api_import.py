"""Importing course content from a file: preview what would change, then apply it.

An import is all or nothing: a file with any problem is refused with every problem listed by
line (CSV: row) and field, and a failure while applying leaves nothing behind.
"""

import json

import pytest
import yaml

from tests.fixtures.courses import course_text

EDITORS_ONLY = {"detail": "Only teachers and admins can change course content.", "field": None}

# Line numbers below are the file's own, as a teacher's editor shows them.
BROKEN_COURSE = course_text("broken.yaml")

NEW_WORDS_CSV = """\
group,term,reading,romaji,meaning,part_of_speech,tags
animals,馬,うま,uma,horse,noun,farm
colours,赤,あか,aka,red,noun,
"""


def course_titles(client, account) -> list[str]:
    return [
        course["title"] for course in client.get("/api/courses", headers=account.headers).json()
    ]


def word_terms(client, account, **params) -> set[str]:
    response = client.get("/api/words", params=params, headers=account.headers)
    return {word["term"] for word in response.json()["items"]}


# ------------------------------------------------------------------------------ preview


def test_a_preview_lists_what_would_change_and_stores_nothing(
    client, upload, teacher, japanese_course
):
    response = upload(teacher, japanese_course, preview=True)

    assert response.status_code == 200
    result = response.json()
    assert result["course"] == "ja-mini"
    assert result["summary"] == (
        "course: 1 new, 0 changed; groups: 2 new, 0 changed; words: 5 new, 0 changed; "
        "group memberships: 5 new, 0 changed; lessons: 2 new, 0 changed; 0 unchanged."
    )
    assert {"kind": "word", "action": "create", "label": "猫 (ねこ)", "detail": "cat"} in (
        result["changes"]
    )
    assert course_titles(client, teacher) == []


def test_a_preview_of_an_edited_course_names_what_changed(
    client, upload, teacher, content, japanese_course
):
    edited = japanese_course.replace("meaning: dog", "meaning: dog; hound")

    response = upload(teacher, edited, preview=True)

    assert response.json()["changes"] == [
        {"kind": "word", "action": "update", "label": "犬 (いぬ)", "detail": "meaning"}
    ]
    dog = client.get(f"/api/words/{content.words['犬']}", headers=teacher.headers)
    assert dog.json()["meaning"] == "dog"


# ------------------------------------------------------------------------------ import


def test_importing_a_course_stores_its_groups_words_and_lessons_drafts_as_drafts(
    client, upload, teacher, learner, japanese_course
):
    response = upload(teacher, japanese_course)

    assert response.status_code == 200
    assert response.json()["summary"].startswith("course: 1 new")
    assert course_titles(client, learner) == ["Mini Japanese"]
    assert word_terms(client, teacher) == {"猫", "犬", "鳥", "見る", "食べる"}
    assert word_terms(client, learner) == {"猫", "犬", "見る", "食べる"}
    lessons = client.get("/api/lessons", headers=teacher.headers).json()["items"]
    assert {(lesson["slug"], lesson["status"]) for lesson in lessons} == {
        ("wa-and-ga", "published"),
        ("counters", "draft"),
    }


def test_importing_the_same_file_again_changes_nothing(
    client, upload, teacher, content, japanese_course
):
    response = upload(teacher, japanese_course)

    assert response.status_code == 200
    assert response.json()["changes"] == []
    assert response.json()["summary"] == "Nothing to change: all 10 items are already up to date."


def test_a_course_as_json_imports_like_yaml(client, upload, teacher, learner, japanese_course):
    text = json.dumps(yaml.safe_load(japanese_course), ensure_ascii=False)

    response = upload(teacher, text, "course.json")

    assert response.status_code == 200
    assert word_terms(client, learner) == {"猫", "犬", "見る", "食べる"}


def test_a_file_with_problems_lists_every_one_by_line_and_field(client, upload, teacher):
    response = upload(teacher, BROKEN_COURSE, "broken.yaml")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Nothing was imported: the file has 4 problems."
    problems = {(p["line"], p["field"]): p["message"] for p in body["problems"]}
    assert problems == {
        (9, "groups[0].words[0].reading"): "'neko' is not written in kana only",
        (12, "groups[0].words[1].meaning"): "this field is required",
        (15, "groups[0].words[2].verb_class"): (
            "Japanese verbs need a verb_class: godan, ichidan or irregular"
        ),
        (22, "lessons[0].level"): (
            "use a JLPT level (JLPT N5 … JLPT N1) or a CEFR level (A1 … C2)"
        ),
    }
    assert {p["file"] for p in body["problems"]} == {"broken.yaml"}


def test_a_file_with_problems_imports_nothing_at_all(client, upload, teacher):
    upload(teacher, BROKEN_COURSE, "broken.yaml")

    assert course_titles(client, teacher) == []
    assert word_terms(client, teacher) == set()


def test_a_file_that_is_not_yaml_says_where_it_breaks(client, upload, teacher):
    response = upload(teacher, "slug: x\ngroups: [\n  - oops: {\n", "course.yaml")

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["line"] is not None
    assert problem["message"].startswith("not valid YAML")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", "use a .yaml, .yml, .json or .csv file"),
        ("words.csv", "término".encode("latin-1"), "not UTF-8 text (byte 1)"),
    ],
)
def test_a_file_the_portal_cannot_read_is_refused_with_the_reason(
    client, teacher, content, name, data, message
):
    response = client.post(
        "/api/content/import",
        files={"file": (name, data, "application/octet-stream")},
        data={"course_id": str(content.japanese)},
        headers=teacher.headers,
    )

    assert response.status_code == 422
    assert [p["message"] for p in response.json()["problems"]] == [message]


def test_a_file_that_would_change_a_courses_language_is_refused(
    client, upload, teacher, content, japanese_course
):
    spanish_slug = japanese_course.replace("slug: ja-mini", "slug: es-mini", 1)

    response = upload(teacher, spanish_slug)

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["field"] == "language"
    assert problem["message"] == (
        "The course 'es-mini' teaches 'es', but the file says 'ja'. "
        "Fix the file's language or its slug."
    )
    assert word_terms(client, teacher, language="es") == {"pan", "manzana"}


def test_an_import_that_fails_part_way_leaves_nothing_behind(
    client, upload, teacher, monkeypatch, japanese_course
):
    from learn_app.services.content import importer

    def fail_at_the_lessons(self, course):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(importer._Importer, "lessons", fail_at_the_lessons)

    response = upload(teacher, japanese_course)

    assert response.status_code == 500
    assert course_titles(client, teacher) == []
    assert word_terms(client, teacher) == set()
    assert client.get("/api/groups", headers=teacher.headers).json()["items"] == []


def test_an_import_without_a_file_names_the_file_field(client, teacher):
    response = client.post("/api/content/import", data={}, headers=teacher.headers)

    assert response.status_code == 422
    assert response.json()["field"] == "file"


@pytest.mark.parametrize("preview", [True, False])
def test_a_learner_can_neither_preview_nor_import(
    client, upload, learner, preview, japanese_course
):
    response = upload(learner, japanese_course, preview=preview)

    assert response.status_code == 403
    assert response.json() == EDITORS_ONLY
    assert course_titles(client, learner) == []


def test_importing_needs_a_token(client, japanese_course):
    response = client.post(
        "/api/content/import", files={"file": ("course.yaml", japanese_course.encode())}
    )

    assert response.status_code == 401


# ------------------------------------------------------------------------------ CSV


def test_a_csv_adds_words_to_a_courses_groups_and_new_groups(
    client, upload, teacher, learner, content
):
    response = upload(teacher, NEW_WORDS_CSV, "words.csv", course_id=content.japanese)

    assert response.status_code == 200, response.text
    groups = client.get(
        "/api/groups", params={"course_id": content.japanese}, headers=learner.headers
    ).json()["items"]
    assert {(g["name"], g["word_count"]) for g in groups} == {
        ("Animals", 3),
        ("Colours", 1),
        ("Verbs", 2),
    }
    animals = next(g for g in groups if g["name"] == "Animals")
    assert animals["description"] == "Creatures great and small."
    horse = client.get("/api/words", params={"search": "horse"}, headers=learner.headers)
    assert horse.json()["items"][0]["tags"] == ["farm"]


def test_a_csv_saved_by_a_spreadsheet_imports(client, upload, teacher, learner, content):
    saved = "\ufeff" + NEW_WORDS_CSV.replace("\n", "\r\n")

    response = upload(teacher, saved, "words.csv", course_id=content.japanese)

    assert response.status_code == 200, response.text
    assert {"馬", "赤"} <= word_terms(client, learner)


def test_a_csv_with_problems_lists_every_one_by_row_and_column(client, upload, teacher, content):
    text = (
        "group,term,reading,meaning,part_of_speech\n"
        "animals,馬,うま,horse,noun\n"
        "animals,牛,ushi,cow,noun\n"
        ",豚,ぶた,pig,noun\n"
        "animals,羊,ひつじ,,animal\n"
    )

    response = upload(teacher, text, "words.csv", course_id=content.japanese)

    assert response.status_code == 422
    problems = [(p["line"], p["field"]) for p in response.json()["problems"]]
    assert sorted(problems) == [
        (3, "reading"),
        (4, "group"),
        (5, "meaning"),
        (5, "part_of_speech"),
    ]
    assert "馬" not in word_terms(client, teacher)


def test_a_csv_without_a_course_asks_for_one(client, upload, teacher, content):
    response = upload(teacher, NEW_WORDS_CSV, "words.csv")

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert (problem["field"], problem["message"]) == (
        "course_id",
        "choose the course these words belong to",
    )


def test_a_csv_for_an_unknown_course_is_a_404(client, upload, teacher, content):
    response = upload(teacher, NEW_WORDS_CSV, "words.csv", course_id=999999)

    assert response.status_code == 404
    assert response.json()["detail"] == "That course does not exist."


def test_a_course_id_that_cannot_be_one_is_a_422_naming_it(client, upload, teacher, content):
    response = upload(teacher, NEW_WORDS_CSV, "words.csv", course_id="first")

    assert response.status_code == 422
    assert response.json()["field"] == "course_id"


def test_a_course_file_of_three_megabytes_is_read_like_any_other(client, upload, teacher):
    padding = "# " + "x" * 98 + "\n"
    text = padding * 30_000 + "slug: big\ngroups: [\n"

    response = upload(teacher, text, "course.yaml", preview=True)

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["message"].startswith("not valid YAML")


def test_a_course_file_over_five_megabytes_is_refused_with_the_limit(client, upload, teacher):
    response = upload(teacher, "x" * (5 * 1024 * 1024 + 1), "course.yaml", preview=True)

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["message"] == "the file is larger than 5 MB; split it"
