"""Content Management: teachers edit words, groups and lessons; learners see published ones."""

from __future__ import annotations

import pytest
from sqlmodel import select

from learn_app.models import (
    AuditEvent,
    Course,
    Document,
    Review,
    StudyActivity,
    StudySession,
    Word,
    WordGroup,
)
from learn_app.services.content import groups, lessons, words
from learn_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

CAT = {
    "term": "鳥",
    "reading": "とり",
    "romaji": "tori",
    "meaning": "bird",
    "part_of_speech": "noun",
}


@pytest.fixture
def course(session, mini_course) -> Course:
    return session.exec(select(Course)).one()


def group(session, slug: str) -> WordGroup:
    return session.exec(select(WordGroup).where(WordGroup.slug == slug)).one()


# ------------------------------------------------------------------------------ words


def test_a_teacher_creates_a_word_in_a_course_and_a_group(session, teacher, course):
    animals = group(session, "animals")
    word = words.create_word(
        session, teacher, course_id=course.id, values=CAT, group_ids=[animals.id]
    )
    session.commit()

    detail = words.get_word(session, teacher, word.id)
    assert (detail.word.term, detail.word.language, detail.word.parts["romaji"]) == (
        "鳥",
        "ja",
        "tori",
    )
    assert [g.slug for g in detail.groups] == ["animals"]
    assert detail.word.updated_by_id == teacher.id


def test_a_learner_cannot_create_edit_or_delete_words(session, learner, course):
    with pytest.raises(PermissionDenied):
        words.create_word(session, learner, course_id=course.id, values=CAT)
    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    with pytest.raises(PermissionDenied):
        words.update_word(session, learner, cat.id, values={**CAT, "term": "猫"})
    with pytest.raises(PermissionDenied):
        words.archive_word(session, learner, cat.id)


def test_a_duplicate_word_is_a_conflict_on_the_term(session, teacher, course):
    with pytest.raises(Conflict) as caught:
        words.create_word(
            session,
            teacher,
            course_id=course.id,
            values={**CAT, "term": "猫", "reading": "ねこ", "romaji": "neko"},
        )
    assert caught.value.field == "term"
    assert "猫 (ねこ)" in caught.value.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"meaning": ""}, "meaning"),
        ({"reading": "tori"}, "reading"),
        ({"part_of_speech": "thing"}, "part_of_speech"),
        ({"part_of_speech": "verb"}, "verb_class"),
        ({"example_sentence": "鳥がいます。"}, "example_translation"),
        ({"term": "x" * 201}, "term"),
    ],
)
def test_an_invalid_word_names_the_field_to_fix(session, teacher, course, change, field):
    with pytest.raises(InvalidInput) as caught:
        words.create_word(session, teacher, course_id=course.id, values={**CAT, **change})
    assert caught.value.field == field


def test_a_draft_word_is_hidden_from_learners(session, teacher, learner, course):
    draft = words.create_word(session, teacher, course_id=course.id, values=CAT, status="draft")
    session.commit()

    learner_terms = {r.word.term for r in words.list_words(session, learner).items}
    teacher_terms = {r.word.term for r in words.list_words(session, teacher).items}
    assert "鳥" not in learner_terms
    assert "鳥" in teacher_terms
    with pytest.raises(NotFound):
        words.get_word(session, learner, draft.id)


def test_editing_a_word_changes_it_and_is_audited(session, teacher, course):
    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    words.update_word(
        session,
        teacher,
        cat.id,
        values={"term": "猫", "reading": "ねこ", "meaning": "cat; kitty", "part_of_speech": "noun"},
    )
    session.commit()

    assert session.get(Word, cat.id).meaning == "cat; kitty"
    events = session.exec(select(AuditEvent.event).where(AuditEvent.actor_id == teacher.id)).all()
    assert "content.word_updated" in events


def test_archiving_a_word_takes_it_out_of_its_groups(session, teacher, course):
    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    words.archive_word(session, teacher, cat.id)
    session.commit()

    animals = words.list_words(session, teacher, group_id=group(session, "animals").id)
    assert [r.word.term for r in animals.items] == ["犬"]


# ------------------------------------------------------------------------------ listing


def test_words_are_searchable_by_term_reading_meaning_and_romaji(session, learner, course):
    def found(text: str) -> set[str]:
        return {r.word.term for r in words.list_words(session, learner, search=text).items}

    assert found("猫") == {"猫"}
    assert found("いぬ") == {"犬"}
    assert found("LOOK") == {"見る"}
    assert found("neko") == {"猫"}
    assert found("100%") == set()


def test_words_come_with_the_learners_own_right_and_wrong_counts(session, learner, teacher, course):
    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    activity = StudyActivity(slug="flashcards", name="Flashcards", kind="flashcards")
    session.add(activity)
    session.flush()
    study = StudySession(user_id=learner.id, activity_id=activity.id)
    session.add(study)
    session.flush()
    for correct in (True, True, False):
        session.add(
            Review(
                session_id=study.id,
                user_id=learner.id,
                word_id=cat.id,
                rating="good" if correct else "again",
                correct=correct,
            )
        )
    session.commit()

    mine = {r.word.term: (r.correct, r.wrong) for r in words.list_words(session, learner).items}
    theirs = {r.word.term: (r.correct, r.wrong) for r in words.list_words(session, teacher).items}
    assert mine["猫"] == (2, 1)
    assert theirs["猫"] == (0, 0)
    by_wrong = words.list_words(session, learner, sort="wrong", descending=True)
    assert by_wrong.items[0].word.term == "猫"


def test_word_lists_are_paginated(session, learner, course):
    first = words.list_words(session, learner, per_page=2, page=1, sort="meaning")
    second = words.list_words(session, learner, per_page=2, page=2, sort="meaning")

    assert (first.total, first.total_pages) == (3, 2)
    assert [r.word.meaning for r in first.items] == ["cat", "dog"]
    assert [r.word.meaning for r in second.items] == ["to see; to look"]


def test_an_unknown_sort_is_a_clear_error(session, learner, course):
    with pytest.raises(InvalidInput) as caught:
        words.list_words(session, learner, sort="colour")  # type: ignore[arg-type]
    assert caught.value.field == "sort"


# ------------------------------------------------------------------------------ groups


def test_groups_list_their_word_counts(session, learner, course):
    counts = {r.group.slug: r.word_count for r in groups.list_groups(session, learner).items}
    assert counts == {"animals": 2, "verbs": 1}


def test_a_teacher_creates_renames_fills_and_empties_a_group(session, teacher, course):
    food = groups.create_group(session, teacher, course_id=course.id, name="  Food  and drink ")
    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    assert groups.add_words_to_group(session, teacher, food.id, [cat.id]) == 1
    assert groups.add_words_to_group(session, teacher, food.id, [cat.id]) == 0
    groups.rename_group(session, teacher, food.id, name="Food")
    groups.remove_word_from_group(session, teacher, food.id, cat.id)
    session.commit()

    assert (food.name, food.slug) == ("Food", "food-and-drink")
    assert words.list_words(session, teacher, group_id=food.id).total == 0
    with pytest.raises(NotFound):
        groups.remove_word_from_group(session, teacher, food.id, cat.id)


def test_a_group_holds_words_of_its_own_language_only(session, teacher, course):
    spanish = Course(slug="es-x", language="es", title="Spanish", owner_id=teacher.id)
    session.add(spanish)
    session.flush()
    perro = words.create_word(
        session,
        teacher,
        course_id=spanish.id,
        values={"term": "perro", "meaning": "dog", "part_of_speech": "noun", "gender": "masculine"},
    )
    with pytest.raises(InvalidInput):
        groups.add_words_to_group(session, teacher, group(session, "animals").id, [perro.id])


def test_a_learner_cannot_change_groups(session, learner, course):
    with pytest.raises(PermissionDenied):
        groups.create_group(session, learner, course_id=course.id, name="Mine")
    with pytest.raises(PermissionDenied):
        groups.delete_group(session, learner, group(session, "animals").id)


# ------------------------------------------------------------------------------ lessons

LESSON = {
    "title": "Asking the way",
    "level": "JLPT N5",
    "summary": "Where is the station?",
    "body": "## どこですか\n\n駅はどこですか。 Where is the station?\n",
}


def test_a_new_lesson_is_a_draft_that_learners_cannot_see(session, teacher, learner, course):
    lesson = lessons.create_lesson(session, teacher, course_id=course.id, values=LESSON)
    session.commit()

    assert (lesson.status, lesson.slug, lesson.author_id) == ("draft", "asking-the-way", teacher.id)
    with pytest.raises(NotFound):
        lessons.get_lesson(session, learner, lesson.id)
    titles = {r.lesson.title for r in lessons.list_lessons(session, learner).items}
    assert "Asking the way" not in titles


def test_publishing_shows_the_lesson_to_learners_with_who_changed_it(
    session, teacher, learner, course
):
    lesson = lessons.create_lesson(session, teacher, course_id=course.id, values=LESSON)
    lessons.set_lesson_status(session, teacher, lesson.id, "published")
    session.commit()

    row = lessons.get_lesson(session, learner, lesson.id)
    assert row.lesson.status == "published"
    assert row.lesson.published_at is not None
    assert row.updated_by_name == teacher.display_name


def test_unpublishing_hides_the_lesson_again(session, teacher, learner, course):
    published = session.exec(select(Document).where(Document.slug == "wa-and-ga")).one()
    lessons.set_lesson_status(session, teacher, published.id, "draft")
    session.commit()

    with pytest.raises(NotFound):
        lessons.get_lesson(session, learner, published.id)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"level": "N5"}, "level"), ({"title": ""}, "title"), ({"body": ""}, "body")],
)
def test_an_invalid_lesson_names_the_field_to_fix(session, teacher, course, change, field):
    with pytest.raises(InvalidInput) as caught:
        lessons.create_lesson(session, teacher, course_id=course.id, values={**LESSON, **change})
    assert caught.value.field == field


def test_two_lessons_with_the_same_title_in_a_course_conflict(session, teacher, course):
    lessons.create_lesson(session, teacher, course_id=course.id, values=LESSON)
    with pytest.raises(Conflict):
        lessons.create_lesson(session, teacher, course_id=course.id, values=LESSON)


def test_a_learner_cannot_write_or_delete_lessons(session, learner, course):
    with pytest.raises(PermissionDenied):
        lessons.create_lesson(session, learner, course_id=course.id, values=LESSON)
    published = session.exec(select(Document).where(Document.slug == "wa-and-ga")).one()
    with pytest.raises(PermissionDenied):
        lessons.archive_lesson(session, learner, published.id)
