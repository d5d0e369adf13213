"""Writing practice: which words a learner is given, and who may read and comment on what
they wrote. Grading runs offline here; `test_writing_grading.py` specifies the model path.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from learn_app.models import CardState, Role, User, Word, WordGroup, WordGroupMember
from learn_app.models.base import utcnow
from learn_app.services.accounts import auth, classes
from learn_app.services.errors import InvalidInput, NotFound, PermissionDenied
from learn_app.services.study import activities
from learn_app.services.study import sessions as study
from learn_app.services.tutor import writing
from tests.fixtures.classes import enrol

pytestmark = pytest.mark.integration

TERMS = ["駅", "電車", "切符", "地図", "空港", "荷物"]


@pytest.fixture
def group(session: Session) -> WordGroup:
    """Six published Japanese travel words in a group, in this order."""
    group = WordGroup(language="ja", name="Travel")
    session.add(group)
    session.flush()
    for position, term in enumerate(TERMS):
        word = Word(language="ja", term=term, meaning=f"meaning of {term}", part_of_speech="noun")
        session.add(word)
        session.flush()
        session.add(WordGroupMember(group_id=group.id, word_id=word.id, position=position))
    session.commit()
    return group


def word_ids(session: Session) -> dict[str, int]:
    return {w.term: w.id for w in session.exec(select(Word)).all()}


def learn(session: Session, user: User, ids: list[int]) -> None:
    """The learner has answered these words: they have cards for them."""
    now = utcnow()
    for n, word_id in enumerate(ids):
        session.add(
            CardState(user_id=user.id, word_id=word_id, due=now + timedelta(days=n), reps=1)
        )
    session.commit()


def start_writing(session: Session, user: User, group: WordGroup) -> int:
    activity = activities.get_activity_by_slug(session, "writing")
    started = study.start_session(session, user, activity.id, group.id)
    session.commit()
    return started.id


def make_user(session: Session, name: str, role: Role = Role.learner) -> User:
    user = auth.register(
        session,
        email=f"{name.lower()}@example.com",
        password="correct horse battery staple",
        display_name=name,
        role=role,
        rate_limited=False,
    )
    session.commit()
    return user


def write(session: Session, user: User, group: WordGroup, text: str = "駅に行きます。"):
    ids = word_ids(session)
    view = writing.grade_writing(session, user, text, [ids["駅"], ids["電車"]])
    session.commit()
    return view


# --------------------------------------------------------------------------- target words


def test_writing_is_a_built_in_activity_with_its_own_page(session) -> None:
    activity = activities.get_activity_by_slug(session, "writing")

    assert (activity.name, activity.url) == ("Writing", "/study/writing")
    assert activity.preview_image == "/activities/writing.svg"


def test_the_words_given_are_words_the_learner_is_learning(session, learner, group) -> None:
    ids = word_ids(session)
    learning = [ids["切符"], ids["地図"], ids["空港"]]
    learn(session, learner, learning)

    prompt = writing.writing_prompt(session, learner)

    assert prompt.language == "ja"
    assert sorted(w.word_id for w in prompt.words) == sorted(learning)


def test_before_any_card_the_words_come_from_the_group_chosen_at_launch(
    session, learner, group
) -> None:
    other = WordGroup(language="ja", name="Other")
    session.add(other)
    session.commit()
    study_id = start_writing(session, learner, group)

    prompt = writing.writing_prompt(session, learner, study_session_id=study_id)

    assert [w.term for w in prompt.words] == TERMS[:3]


def test_learning_words_come_first_then_the_group_fills_in(session, learner, group) -> None:
    ids = word_ids(session)
    learn(session, learner, [ids["荷物"]])
    study_id = start_writing(session, learner, group)

    prompt = writing.writing_prompt(session, learner, study_session_id=study_id)

    assert [w.term for w in prompt.words] == ["荷物", "駅", "電車"]


def test_new_words_leave_out_the_last_ones_while_there_are_others(session, learner, group) -> None:
    study_id = start_writing(session, learner, group)
    first = writing.writing_prompt(session, learner, study_session_id=study_id)

    second = writing.writing_prompt(
        session,
        learner,
        study_session_id=study_id,
        exclude_word_ids=[w.word_id for w in first.words],
    )

    assert {w.term for w in second.words} == set(TERMS[3:])


def test_someone_elses_study_session_gives_no_words(session, learner, group) -> None:
    study_id = start_writing(session, make_user(session, "Other"), group)

    with pytest.raises(NotFound):
        writing.writing_prompt(session, learner, study_session_id=study_id)


def test_with_no_words_at_all_the_learner_is_told_to_study_first(session, learner) -> None:
    with pytest.raises(NotFound, match="There are no words to write with yet"):
        writing.writing_prompt(session, learner)


@pytest.mark.parametrize("count", [0, 4])
def test_one_to_three_target_words_are_accepted(session, learner, group, count, offline) -> None:
    ids = list(word_ids(session).values())[:count]

    with pytest.raises(InvalidInput) as refused:
        writing.grade_writing(session, learner, "駅に行きます。", ids)

    assert refused.value.field == "word_ids"


def test_a_submission_is_kept_with_its_study_session(session, learner, group, offline) -> None:
    study_id = start_writing(session, learner, group)
    ids = word_ids(session)

    view = writing.grade_writing(
        session, learner, "駅で電車を待ちます。", [ids["駅"], ids["電車"]], study_id
    )

    assert view.submission.study_session_id == study_id
    assert [w["term"] for w in view.submission.target_words] == ["駅", "電車"]
    [mine] = writing.list_own_submissions(session, learner)
    assert mine.submission.text == "駅で電車を待ちます。"


# ---------------------------------------------------------------------- teachers' comments


@pytest.fixture
def classroom(session: Session, learner: User):
    teacher = make_user(session, "Tomoko", Role.teacher)
    room = classes.create_classroom(session, teacher, name="Japanese 1", language="ja")
    session.commit()
    enrol(session, teacher, room.id, learner)
    return teacher, room


def test_the_teacher_of_the_learners_class_reads_and_comments(
    session, learner, group, classroom, offline
) -> None:
    teacher, room = classroom
    submission_id = write(session, learner, group).submission.id

    [listed] = writing.list_learner_submissions(session, teacher, classroom_id=room.id)
    assert (listed.submission.id, listed.learner_name) == (submission_id, "Zebedee Quux")
    assert writing.get_submission(session, teacher, submission_id).submission.text

    comment = writing.add_comment(session, teacher, submission_id, "  Nice use of に!  ")
    session.commit()

    assert (comment.author_name, comment.text) == ("Tomoko", "Nice use of に!")
    [mine] = writing.list_own_submissions(session, learner)
    assert [(c.author_name, c.text) for c in mine.comments] == [("Tomoko", "Nice use of に!")]


def test_another_teacher_can_neither_read_nor_comment(
    session, learner, group, classroom, offline
) -> None:
    _, room = classroom
    stranger = make_user(session, "Stranger", Role.teacher)
    submission_id = write(session, learner, group).submission.id

    assert writing.list_learner_submissions(session, stranger) == []
    with pytest.raises(PermissionDenied):
        writing.list_learner_submissions(session, stranger, classroom_id=room.id)
    with pytest.raises(NotFound):
        writing.get_submission(session, stranger, submission_id)
    with pytest.raises(NotFound):
        writing.add_comment(session, stranger, submission_id, "Hello")


def test_other_learners_cannot_see_it_and_the_learner_cannot_comment(
    session, learner, group, classroom, offline
) -> None:
    submission_id = write(session, learner, group).submission.id

    with pytest.raises(NotFound):
        writing.get_submission(session, make_user(session, "Nosy"), submission_id)
    with pytest.raises(PermissionDenied):
        writing.add_comment(session, learner, submission_id, "Me again")
    with pytest.raises(PermissionDenied):
        writing.list_learner_submissions(session, learner)


def test_an_empty_comment_is_refused(session, learner, group, classroom, offline) -> None:
    teacher, _ = classroom
    submission_id = write(session, learner, group).submission.id

    with pytest.raises(InvalidInput) as refused:
        writing.add_comment(session, teacher, submission_id, "   ")

    assert refused.value.field == "text"
