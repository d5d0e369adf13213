"""Study sessions: starting one, its summary, the sessions list and detail, progress, reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from learn_app.models import (
    AuditEvent,
    CardState,
    LearnerScheduler,
    Review,
    StudySession,
    WordGroup,
)
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.study import activities, session_history
from learn_app.services.study import sessions as study

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def answer(session):
    def answer(user, study_session, word, correct: bool, at: datetime) -> None:
        study.record_review(session, user, study_session.id, word.id, correct=correct, now=at)
        session.commit()

    return answer


@pytest.fixture
def studied_animals(session, learner, flashcards, groups, words, answer):
    """Cat right twice, dog wrong then right, bird wrong: 5 answers, 3 right, in 4 minutes."""
    started = study.start_session(session, learner, flashcards.id, groups["animals"].id, now=NOW)
    session.commit()
    for minute, (meaning, correct) in enumerate(
        [("cat", True), ("dog", False), ("bird", False), ("dog", True), ("cat", True)]
    ):
        answer(learner, started, words[meaning], correct, NOW + timedelta(minutes=minute))
    return started


def count(engine, table, **where) -> int:
    with Session(engine) as s:
        query = select(func.count()).select_from(table)
        for key, value in where.items():
            query = query.where(getattr(table, key) == value)
        return s.exec(query).one()


# ------------------------------------------------------------------------------ starting


def test_starting_a_session_records_the_activity_group_and_start(
    session, learner, flashcards, groups
) -> None:
    started = study.start_session(session, learner, flashcards.id, groups["food"].id, now=NOW)
    assert (started.user_id, started.activity_id, started.group_id) == (
        learner.id,
        flashcards.id,
        groups["food"].id,
    )
    assert (started.started_at, started.ended_at) == (NOW, None)


def test_a_session_of_todays_plan_has_no_group(session, learner, flashcards) -> None:
    assert study.start_session(session, learner, flashcards.id, None).group_id is None


def test_a_session_of_a_group_that_does_not_exist_is_refused(session, learner, flashcards) -> None:
    with pytest.raises(NotFound):
        study.start_session(session, learner, flashcards.id, 999_999)


def test_a_session_of_an_activity_that_does_not_exist_is_refused(session, learner, groups) -> None:
    with pytest.raises(NotFound):
        study.start_session(session, learner, 999_999, groups["animals"].id)


def test_a_learner_cannot_study_a_group_with_only_draft_words(
    session, learner, flashcards, course, words
) -> None:
    drafts = WordGroup(course_id=course["course"].id, slug="drafts", language="ja", name="Drafts")
    session.add(drafts)
    session.commit()
    with pytest.raises(InvalidInput):
        study.start_session(session, learner, flashcards.id, drafts.id)


# ------------------------------------------------------------------------------ summary


def test_ending_a_session_sums_up_accuracy_time_and_words_to_look_at_again(
    session, learner, words, studied_animals
) -> None:
    summary = study.end_session(
        session, learner, studied_animals.id, now=NOW + timedelta(minutes=4, seconds=30)
    )
    assert (summary.session.review_count, summary.session.correct_count) == (5, 3)
    assert summary.accuracy == 60.0
    assert summary.duration_seconds == 270
    assert [(w.meaning, w.correct, w.wrong) for w in summary.words_to_review] == [
        ("dog", 1, 1),
        ("bird", 0, 1),
    ]


def test_ending_a_session_twice_keeps_the_first_end(session, learner, studied_animals) -> None:
    first = study.end_session(session, learner, studied_animals.id, now=NOW + timedelta(minutes=5))
    again = study.end_session(session, learner, studied_animals.id, now=NOW + timedelta(hours=2))
    assert again.session.ended_at == first.session.ended_at == NOW + timedelta(minutes=5)
    assert again.duration_seconds == 300


def test_a_session_with_no_answers_has_zero_accuracy_and_nothing_to_look_at(
    session, learner, flashcards, groups
) -> None:
    started = study.start_session(session, learner, flashcards.id, groups["food"].id, now=NOW)
    summary = study.end_session(session, learner, started.id, now=NOW + timedelta(seconds=10))
    assert (summary.accuracy, summary.duration_seconds, summary.words_to_review) == (0.0, 10, [])


def test_another_learners_session_cannot_be_ended_or_read(
    session, make_learner, studied_animals
) -> None:
    intruder = make_learner()
    for look in (study.end_session, session_history.get_session, session_history.session_summary):
        with pytest.raises(NotFound):
            look(session, intruder, studied_animals.id)


# ------------------------------------------------------------------------------ list and detail


def test_the_sessions_list_shows_each_session_with_its_counts_newest_first(
    session, learner, flashcards, groups, words, studied_animals, answer
) -> None:
    typing = activities.get_activity_by_slug(session, "typing")
    later = study.start_session(
        session, learner, typing.id, groups["food"].id, now=NOW + timedelta(hours=1)
    )
    session.commit()
    answer(learner, later, words["water"], True, NOW + timedelta(hours=1, minutes=1))
    study.end_session(session, learner, later.id, now=NOW + timedelta(hours=1, minutes=2))

    page = session_history.list_sessions(session, learner)
    assert (page.total, page.total_pages) == (2, 1)
    newest, oldest = page.items
    assert (newest.id, newest.activity_name, newest.group_name) == (later.id, "Typing", "Food")
    assert (newest.review_count, newest.correct_count, newest.accuracy) == (1, 1, 100.0)
    assert newest.ended_at == NOW + timedelta(hours=1, minutes=2)
    assert (oldest.id, oldest.activity_name, oldest.group_name) == (
        studied_animals.id,
        "Flashcards",
        "Animals",
    )
    assert (oldest.review_count, oldest.correct_count, oldest.accuracy) == (5, 3, 60.0)
    assert (oldest.started_at, oldest.ended_at) == (NOW, None)


def test_the_sessions_list_is_paginated(session, learner, flashcards, groups) -> None:
    for n in range(5):
        study.start_session(
            session, learner, flashcards.id, groups["food"].id, now=NOW + timedelta(minutes=n)
        )
    session.commit()
    second = session_history.list_sessions(session, learner, page=2, per_page=2)
    assert (second.total, second.total_pages, second.page, second.per_page) == (5, 3, 2, 2)
    assert [row.started_at for row in second.items] == [
        NOW + timedelta(minutes=2),
        NOW + timedelta(minutes=1),
    ]


def test_the_sessions_list_filters_by_activity_and_by_group(
    session, learner, flashcards, groups, studied_animals
) -> None:
    typing = activities.get_activity_by_slug(session, "typing")
    study.start_session(session, learner, typing.id, groups["food"].id, now=NOW)
    session.commit()
    by_activity = session_history.list_sessions(session, learner, activity_id=typing.id)
    by_group = session_history.list_sessions(session, learner, group_id=groups["animals"].id)
    assert [r.activity_slug for r in by_activity.items] == ["typing"]
    assert [r.id for r in by_group.items] == [studied_animals.id]


def test_the_sessions_list_shows_only_the_learners_own_sessions(
    session, make_learner, studied_animals
) -> None:
    assert session_history.list_sessions(session, make_learner()).total == 0


def test_the_session_detail_lists_each_word_with_right_and_wrong_in_answer_order(
    session, learner, studied_animals
) -> None:
    detail = session_history.get_session(session, learner, studied_animals.id)
    assert detail.session.review_count == 5
    assert [(w.meaning, w.correct, w.wrong) for w in detail.words] == [
        ("cat", 2, 0),
        ("dog", 1, 1),
        ("bird", 0, 1),
    ]


def test_the_session_words_come_a_page_at_a_time_in_answer_order(
    session, learner, studied_animals
) -> None:
    second = session_history.session_words(session, learner, studied_animals.id, page=2, per_page=2)
    assert (second.total, second.total_pages) == (3, 2)
    assert [(w.meaning, w.correct, w.wrong) for w in second.items] == [("bird", 0, 1)]


def test_another_learners_session_words_cannot_be_read(
    session, make_learner, studied_animals
) -> None:
    with pytest.raises(NotFound):
        session_history.session_words(session, make_learner(), studied_animals.id)


def test_the_last_session_is_the_one_started_most_recently(
    session, learner, flashcards, groups, studied_animals
) -> None:
    assert session_history.last_session(session, learner).id == studied_animals.id
    later = study.start_session(
        session, learner, flashcards.id, groups["food"].id, now=NOW + timedelta(days=1)
    )
    session.commit()
    last = session_history.last_session(session, learner)
    assert (last.id, last.group_id, last.group_name, last.activity_id) == (
        later.id,
        groups["food"].id,
        "Food",
        flashcards.id,
    )


def test_a_new_learner_has_no_last_session(session, learner) -> None:
    assert session_history.last_session(session, learner) is None


# ------------------------------------------------------------------------------ progress


def test_study_progress_counts_the_words_answered_out_of_the_published_ones(
    session, learner, studied_animals
) -> None:
    progress = study.study_progress(session, learner)
    assert (progress.total_words_studied, progress.total_available_words) == (3, 7)


# ------------------------------------------------------------------------------ reset


def test_resetting_history_forgets_answers_sessions_cards_and_fitted_parameters(
    session, engine, learner, studied_animals
) -> None:
    memory = session.get(LearnerScheduler, learner.id)
    memory.parameters = [0.5] * 21
    session.add(memory)
    session.commit()
    report = study.reset_history(session, learner, ip="203.0.113.9")
    session.commit()
    assert (report.reviews, report.sessions, report.cards) == (5, 1, 3)
    for table in (Review, StudySession, CardState, LearnerScheduler):
        assert count(engine, table, user_id=learner.id) == 0
    assert study.study_progress(session, learner).total_words_studied == 0


def test_resetting_history_is_audited(session, engine, learner, studied_animals) -> None:
    study.reset_history(session, learner, ip="203.0.113.9")
    session.commit()
    with Session(engine) as s:
        (event,) = s.exec(select(AuditEvent).where(AuditEvent.event == "study.history_reset"))
    assert (event.user_id, event.actor_id, event.ip) == (learner.id, learner.id, "203.0.113.9")
    assert event.detail == {"reviews": 5, "sessions": 1, "cards": 3}


def test_resetting_history_leaves_other_learners_alone(
    session, engine, make_learner, flashcards, groups, words, answer, studied_animals, learner
) -> None:
    other = make_learner()
    theirs = study.start_session(session, other, flashcards.id, groups["food"].id, now=NOW)
    session.commit()
    answer(other, theirs, words["rice"], True, NOW)
    study.reset_history(session, learner)
    session.commit()
    assert count(engine, Review, user_id=other.id) == 1
    assert count(engine, CardState, user_id=other.id) == 1


def test_a_learner_can_study_again_after_a_reset(
    session, learner, flashcards, groups, words, answer, studied_animals
) -> None:
    study.reset_history(session, learner)
    session.commit()
    again = study.start_session(session, learner, flashcards.id, groups["animals"].id, now=NOW)
    session.commit()
    answer(learner, again, words["cat"], True, NOW)
    assert study.study_progress(session, learner).total_words_studied == 1
    assert session.get(LearnerScheduler, learner.id).reviews_recorded == 1
