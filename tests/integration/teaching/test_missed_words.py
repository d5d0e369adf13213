"""The class's most-missed words, in order, and a word group made from them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from integration.teaching.conftest import NOW
from sqlmodel import select

from learn_app.models import AuditEvent, Word, WordGroupMember
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.study.class_dashboard import class_dashboard
from learn_app.services.study.class_missed_words import group_from_missed_words

pytestmark = pytest.mark.integration


def _miss(answer, user, word, times: int, *, right: int = 0, days_ago: int = 1) -> None:
    for n in range(times):
        answer(user, word, NOW - timedelta(days=days_ago, minutes=n), correct=False)
    for n in range(right):
        answer(user, word, NOW - timedelta(days=days_ago, hours=2, minutes=n))


def test_most_missed_words_come_first_then_the_ones_more_learners_missed(
    session, school, answer
) -> None:
    w = school.words
    _miss(answer, school.ana, w["cat"], 4)  # cat: 5 misses by 2 learners
    _miss(answer, school.ben, w["cat"], 1, right=3)
    _miss(answer, school.ana, w["dog"], 3)  # dog: 5 misses by 2 learners, no right answer
    _miss(answer, school.ben, w["dog"], 2)
    _miss(answer, school.ana, w["fish"], 5, right=5)  # fish: 5 misses by 1 learner
    _miss(answer, school.ben, w["bird"], 2)  # bird: 2 misses
    _miss(answer, school.ana, w["water"], 0, right=6)  # water: never missed
    _miss(answer, school.olga, w["rice"], 9)  # another class: not this class's word
    _miss(answer, school.ana, w["rice"], 3, days_ago=40)  # before the 30 days

    board = class_dashboard(session, school.teacher, school.classroom.id, now=NOW)

    order = [(m.term, m.misses, m.learners_missed, m.answers) for m in board.missed_words]
    # cat and dog: 5 misses by both learners; dog's share wrong (5 of 5) beats cat's (5 of 8).
    assert order == [("犬", 5, 2, 5), ("猫", 5, 2, 8), ("魚", 5, 1, 10), ("鳥", 2, 1, 2)]
    dog = board.missed_words[0]
    assert dog.misses_by_learner == {school.ana.id: 3, school.ben.id: 2}
    assert dog.miss_rate == 100.0
    assert board.missed_words[1].miss_rate == 62.5


def test_only_the_class_language_counts(session, school, answer) -> None:
    pan = session.exec(select(Word).where(Word.term == "pan")).one()
    _miss(answer, school.ana, pan, 6)
    board = class_dashboard(session, school.teacher, school.classroom.id, now=NOW)
    assert board.missed_words == []


def test_the_list_is_cut_to_the_limit(session, school, answer) -> None:
    for n, meaning in enumerate(["cat", "dog", "bird", "fish"]):
        _miss(answer, school.ana, school.words[meaning], n + 1)
    board = class_dashboard(session, school.teacher, school.classroom.id, now=NOW, missed_words=2)
    assert [m.meaning for m in board.missed_words] == ["fish", "bird"]


def test_a_group_is_made_from_missed_words_for_reteaching(session, school, engine) -> None:
    ids = [school.words["dog"].id, school.words["cat"].id, school.words["water"].id]
    group = group_from_missed_words(session, school.teacher, school.classroom.id, ids, now=NOW)
    session.commit()

    assert group.name == "Re-teach: Japanese 1 (10 Mar 2026)"
    assert (group.course_id, group.language) == (school.course.id, "ja")
    members = session.exec(
        select(WordGroupMember.word_id).where(WordGroupMember.group_id == group.id)
    ).all()
    assert sorted(members) == sorted(ids)
    created = session.exec(
        select(AuditEvent).where(AuditEvent.event == "content.group_created")
    ).all()
    assert [e.actor_id for e in created] == [school.teacher.id]


def test_a_group_from_missed_words_can_be_named(session, school) -> None:
    group = group_from_missed_words(
        session, school.teacher, school.classroom.id, [school.words["cat"].id], name="Pets again"
    )
    assert group.name == "Pets again"


def test_a_group_from_missed_words_refuses_bad_choices(session, school) -> None:
    teacher, class_id = school.teacher, school.classroom.id
    with pytest.raises(InvalidInput) as caught:
        group_from_missed_words(session, teacher, class_id, [])
    assert caught.value.field == "word_ids"
    with pytest.raises(NotFound) as missing:
        group_from_missed_words(session, teacher, class_id, [999_999])
    assert missing.value.field == "word_ids"
    pan = session.exec(select(Word).where(Word.term == "pan")).one()
    with pytest.raises(InvalidInput, match="language the class studies"):
        group_from_missed_words(session, teacher, class_id, [pan.id])
    with pytest.raises(NotFound):  # not this teacher's class
        group_from_missed_words(session, school.other_teacher, class_id, [school.words["cat"].id])
