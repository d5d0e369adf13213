"""Importing course content: validated as a whole, previewed, applied all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from learn_app.models import Course, Document, Word, WordGroup, WordGroupMember
from learn_app.services.content import exporter, importer
from learn_app.services.content.course_files import (
    parse_course_text,
    read_course_folder,
    read_upload,
)
from learn_app.services.content.course_format import ContentErrors
from learn_app.services.errors import InvalidInput, PermissionDenied

REPO = Path(__file__).resolve().parents[3]


def count(session, table) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def problems_of(text: str, name: str = "course.yaml", **kwargs) -> list:
    with pytest.raises(ContentErrors) as caught:
        read_upload(name, text.encode(), **kwargs)
    return caught.value.problems


def test_a_preview_lists_every_change_and_changes_nothing(mini_text, session, teacher):
    spec = parse_course_text(mini_text, file="mini.yaml", fmt="yaml")

    plan = importer.plan_import(session, teacher, spec)

    assert plan.count("course", "create") == 1
    assert plan.count("group", "create") == 2
    assert plan.count("word", "create") == 3
    assert plan.count("membership", "create") == 3
    assert plan.count("lesson", "create") == 2
    assert "words: 3 new" in plan.summary()
    assert count(session, Word) == 0
    assert count(session, Course) == 0


def test_applying_creates_the_course_its_groups_words_and_lessons(mini_text, session, teacher):
    spec = parse_course_text(mini_text, file="mini.yaml", fmt="yaml")

    importer.apply_import(session, teacher, spec)
    session.commit()

    course = session.exec(select(Course)).one()
    assert (course.slug, course.language, course.level) == ("ja-mini", "ja", "JLPT N5")
    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    assert cat.parts["romaji"] == "neko"
    assert cat.parts["example_reading"] == "ねこがいます。"
    assert session.exec(select(Word).where(Word.term == "見る")).one().parts["verb_class"] == (
        "ichidan"
    )
    assert {g.slug for g in session.exec(select(WordGroup))} == {"animals", "verbs"}
    statuses = {d.slug: d.status for d in session.exec(select(Document))}
    assert statuses == {"wa-and-ga": "published", "counters": "draft"}


def test_importing_the_same_file_twice_adds_nothing(session, mini_course):
    again = importer.apply_import(session, None, mini_course)
    session.commit()

    assert again.is_empty
    assert count(session, Word) == 3
    assert count(session, WordGroupMember) == 3
    assert count(session, Document) == 2


def test_a_changed_meaning_is_an_update_not_a_new_word(mini_text, session, teacher, mini_course):
    edited = mini_text.replace("meaning: dog", "meaning: dog; hound")
    plan = importer.apply_import(
        session, teacher, parse_course_text(edited, file="mini.yaml", fmt="yaml")
    )
    session.commit()

    assert [(c.kind, c.action, c.label) for c in plan.changes] == [("word", "update", "犬 (いぬ)")]
    assert session.exec(select(Word.meaning).where(Word.term == "犬")).one() == "dog; hound"


def test_words_an_import_adds_to_a_group_come_after_those_it_holds(session, mini_course):
    animals = session.exec(select(WordGroup).where(WordGroup.slug == "animals")).one()
    see = session.exec(select(Word).where(Word.term == "見る")).one()
    # A teacher added 見る after the cat and the dog (position 2), then took those two out.
    session.add(WordGroupMember(group_id=animals.id, word_id=see.id, position=2))
    for member in session.exec(
        select(WordGroupMember).where(
            WordGroupMember.group_id == animals.id, WordGroupMember.word_id != see.id
        )
    ):
        session.delete(member)
    session.commit()

    importer.apply_import(session, None, mini_course)  # the file lists the cat and the dog
    session.commit()

    exported = exporter.export_group(session, None, animals.id)
    assert [w.term for w in exported.groups[0].words] == ["見る", "猫", "犬"]


def test_a_learner_cannot_preview_or_apply_an_import(mini_text, session, learner):
    spec = parse_course_text(mini_text, file="mini.yaml", fmt="yaml")
    with pytest.raises(PermissionDenied):
        importer.plan_import(session, learner, spec)
    with pytest.raises(PermissionDenied):
        importer.apply_import(session, learner, spec)


def test_a_file_claiming_another_language_for_an_existing_course_is_refused(
    mini_text, session, teacher, mini_course
):
    spanish = mini_text.replace("language: ja", "language: es", 1)
    # The words themselves are fine in Spanish terms; the course slug is what clashes.
    with pytest.raises((InvalidInput, ContentErrors)):
        importer.apply_import(
            session, teacher, parse_course_text(spanish, file="x.yaml", fmt="yaml")
        )


def test_a_failing_import_leaves_nothing_behind(mini_text, session, teacher, mini_course):
    """A problem found while applying rolls back every change made before it."""
    bigger = mini_text.replace("title: Mini Japanese", "title: Mini Japanese, revised")
    spec = parse_course_text(bigger, file="mini.yaml", fmt="yaml")
    spec.groups[0].words[0].meaning = "x" * 5000  # past the column's size: the database refuses
    with pytest.raises(Exception):  # noqa: B017
        importer.apply_import(session, teacher, spec)
    session.rollback()

    assert session.exec(select(Course.title)).one() == "Mini Japanese"


# ------------------------------------------------------------------- validation, by kind of error


def test_every_problem_in_a_yaml_file_is_listed_with_its_line_and_field(mini_text):
    text = mini_text.replace("        meaning: dog\n", "").replace(
        "part_of_speech: verb", "part_of_speech: verbb"
    )
    problems = problems_of(text)

    located = {(p.line, p.field.rsplit(".", 1)[-1]) for p in problems}
    assert (18, "meaning") in located  # the word without a meaning starts on line 18
    assert (29, "part_of_speech") in located
    assert all(p.file == "course.yaml" for p in problems)


def test_a_misspelled_field_is_an_error_not_silently_ignored(mini_text):
    problems = problems_of(mini_text.replace("romaji: inu", "romanji: inu"))
    assert [(p.field, p.message) for p in problems] == [
        ("groups[0].words[1].romanji", "unknown field (check its spelling)")
    ]


def test_japanese_readings_must_be_kana(mini_text):
    problems = problems_of(mini_text.replace("reading: いぬ", "reading: inu"))
    assert problems[0].field == "groups[0].words[1].reading"
    assert "kana" in problems[0].message


def test_japanese_verbs_need_their_verb_class(mini_text):
    problems = problems_of(mini_text.replace("        verb_class: ichidan\n", ""))
    assert problems[0].field == "groups[1].words[0].verb_class"


def test_spanish_nouns_need_a_gender():
    text = """\
slug: es-mini
language: es
title: Mini Spanish
groups:
  - slug: animals
    name: Animals
    words:
      - term: perro
        meaning: dog
        part_of_speech: noun
"""
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [(8, "groups[0].words[0].gender")]


def test_a_group_slug_used_twice_is_refused(mini_text):
    text = mini_text.replace("slug: verbs", "slug: animals")
    assert any("used twice" in p.message for p in problems_of(text))


def test_broken_yaml_is_reported_with_its_line():
    problems = problems_of("slug: x\nlanguage: [ja\n")
    assert problems[0].line is not None
    assert "not valid YAML" in problems[0].message


def test_broken_json_is_reported_with_its_line():
    problems = problems_of('{\n "slug": "x",\n "language": \n}', name="course.json")
    assert (problems[0].line, "not valid JSON" in problems[0].message) == (4, True)


def test_a_csv_with_errors_lists_each_row_and_column(session, mini_course):
    csv_text = (
        "group,term,reading,meaning,part_of_speech\n"
        "animals,鳥,とり,bird,noun\n"
        "animals,魚,sakana,fish,noun\n"
        ",牛,うし,cow,noun\n"
        "animals,馬,うま,,noun\n"
    )
    problems = problems_of(csv_text, name="words.csv", course=mini_course)

    assert sorted((p.line, p.field) for p in problems) == [
        (3, "reading"),
        (4, "group"),
        (5, "meaning"),
    ]


def test_a_csv_with_unknown_columns_is_refused_before_any_row(mini_course):
    problems = problems_of("group,term,colour\nanimals,猫,grey\n", name="w.csv", course=mini_course)
    assert [p.line for p in problems] == [1, 1]
    messages = " ".join(p.message for p in problems)
    assert "missing column(s): meaning, part_of_speech" in messages
    assert "unknown column(s): colour" in messages


def test_an_unsupported_file_type_is_refused():
    assert "yaml" in problems_of("hello", name="notes.txt")[0].message


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(ContentErrors) as caught:
        read_upload("words.csv", "término".encode("latin-1"))
    assert "UTF-8" in caught.value.problems[0].message


# ------------------------------------------------------------------- export and round trips


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_exporting_a_course_and_importing_it_changes_nothing(session, teacher, mini_course, fmt):
    course = session.exec(select(Course)).one()
    text = exporter.render(exporter.export_course(session, teacher, course.id), fmt)

    plan = importer.plan_import(session, teacher, read_upload(f"course.{fmt}", text.encode()))

    assert plan.is_empty, plan.changes
    assert "Nothing to change" in plan.summary()


def test_an_exported_group_as_csv_imports_back_unchanged(session, teacher, mini_course):
    group = session.exec(select(WordGroup).where(WordGroup.slug == "animals")).one()
    spec = exporter.export_group(session, teacher, group.id)
    csv_text = exporter.render(spec, "csv")

    plan = importer.plan_import(
        session, teacher, read_upload("animals.csv", csv_text.encode(), course=spec)
    )

    assert csv_text.splitlines()[1].startswith("animals,猫,ねこ,neko,cat,noun")
    assert plan.is_empty, plan.changes


def test_a_learner_cannot_export(session, learner, mini_course):
    course = session.exec(select(Course)).one()
    with pytest.raises(PermissionDenied):
        exporter.export_course(session, learner, course.id)


# ------------------------------------------------------------------- the shipped courses


def test_the_shipped_courses_load_and_a_second_load_adds_nothing(session):
    first = importer.load_content_folder(session, REPO / "content")
    session.commit()
    words, lessons = count(session, Word), count(session, Document)

    second = importer.load_content_folder(session, REPO / "content")
    session.commit()

    assert {p.course_slug for p in first} == {"ja-en", "es-en"}
    assert all(plan.is_empty for plan in second)
    assert (count(session, Word), count(session, Document)) == (words, lessons)


def test_the_shipped_courses_meet_the_size_the_school_needs():
    japanese = read_course_folder(REPO / "content" / "ja-en")
    spanish = read_course_folder(REPO / "content" / "es-en")

    def words(course) -> int:
        return len({(w.term, w.reading) for g in course.groups for w in g.words})

    assert (words(japanese) >= 300, len(japanese.groups) >= 12, len(japanese.lessons) >= 15) == (
        True,
        True,
        True,
    )
    assert (words(spanish) >= 200, len(spanish.groups) >= 10, len(spanish.lessons) >= 12) == (
        True,
        True,
        True,
    )
