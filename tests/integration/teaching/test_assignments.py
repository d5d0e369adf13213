"""Assignments: setting them, the completion grid (done, late, in progress, not started), what
learners see, and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from integration.teaching.conftest import NOW
from sqlmodel import select

from learn_app.models import AuditEvent, StudySession
from learn_app.services.errors import InvalidInput, NotFound, PermissionDenied
from learn_app.services.study import activities, assignments
from learn_app.services.study.assignment_progress import CompletionState

pytestmark = pytest.mark.integration

SET_AT = NOW - timedelta(days=5)
DUE = NOW - timedelta(days=1)


def _assign(session, school, *, group="animals", activity=None, due=DUE, at=SET_AT):
    row = assignments.create_assignment(
        session,
        school.teacher,
        school.classroom.id,
        group_id=school.groups[group].id,
        activity_id=activity,
        due_at=due,
        note="Before Friday's lesson",
        now=at,
    )
    session.commit()
    return row


def _answer_all(answer, user, words, at, study=None) -> None:
    for n, word in enumerate(words):
        answer(user, word, at + timedelta(minutes=n), study=study)


def test_the_grid_shows_done_late_in_progress_and_not_started(session, school, answer) -> None:
    animals = [school.words[m] for m in ("cat", "dog", "bird", "fish")]
    animals_row = _assign(session, school)
    food_row = _assign(session, school, group="food", due=NOW + timedelta(days=2))
    _answer_all(answer, school.ana, animals, DUE - timedelta(hours=3))  # all, before due: done
    _answer_all(answer, school.ben, animals[:3], DUE - timedelta(hours=3))
    answer(school.ben, animals[3], DUE + timedelta(hours=2))  # the last word after due: late
    answer(school.ana, school.words["water"], NOW - timedelta(hours=1))  # one of two: in progress

    grid = assignments.completion_grid(session, school.teacher, school.classroom.id, now=NOW)

    assert [a.id for a in grid.assignments] == [animals_row.id, food_row.id]  # soonest due first
    assert [learner.display_name for learner in grid.learners] == ["Ana", "Ben"]
    ana_animals = grid.cell(school.ana.id, animals_row.id)
    assert (ana_animals.state, ana_animals.answered, ana_animals.words) == ("done", 4, 4)
    ben_animals = grid.cell(school.ben.id, animals_row.id)
    assert (ben_animals.state, ben_animals.label) == ("late", "Done late")
    assert ben_animals.completed_at == DUE + timedelta(hours=2)
    ana_food = grid.cell(school.ana.id, food_row.id)
    assert (ana_food.state, ana_food.answered, ana_food.words, ana_food.overdue) == (
        CompletionState.in_progress,
        1,
        2,
        False,
    )
    assert grid.cell(school.ben.id, food_row.id).state == CompletionState.not_started
    assert grid.counts(animals_row.id)[CompletionState.done] == 1
    assert grid.counts(food_row.id)[CompletionState.not_started] == 1


def test_answers_before_the_assignment_was_set_do_not_count(session, school, answer) -> None:
    animals = [school.words[m] for m in ("cat", "dog", "bird", "fish")]
    _answer_all(answer, school.ana, animals, SET_AT - timedelta(days=1))
    row = _assign(session, school)
    grid = assignments.completion_grid(session, school.teacher, school.classroom.id, now=NOW)
    cell = grid.cell(school.ana.id, row.id)
    assert (cell.state, cell.overdue) == (CompletionState.not_started, True)


def test_an_assignment_of_one_activity_counts_only_that_activity_on_the_group(
    session, school, answer, study_session
) -> None:
    animals = [school.words[m] for m in ("cat", "dog", "bird", "fish")]
    typing = activities.get_activity_by_slug(session, "typing")
    row = _assign(session, school, activity=typing.id)
    flashcards = study_session(school.ana, "flashcards", school.groups["animals"], SET_AT)
    _answer_all(answer, school.ana, animals, SET_AT + timedelta(hours=1), flashcards)
    typed = study_session(school.ben, "typing", school.groups["animals"], SET_AT)
    _answer_all(answer, school.ben, animals, SET_AT + timedelta(hours=1), typed)

    grid = assignments.completion_grid(session, school.teacher, school.classroom.id, now=NOW)

    assert row.activity_name == "Typing"
    assert grid.cell(school.ana.id, row.id).state == CompletionState.not_started
    assert grid.cell(school.ben.id, row.id).state == CompletionState.done


def test_a_draft_word_is_not_asked_for(session, school, answer) -> None:
    row = _assign(session, school)
    assert row.words == 4  # the group's fifth word, bear, is a draft


def test_learners_see_the_assignments_of_their_own_classes(session, school, answer) -> None:
    row = _assign(session, school, due=NOW + timedelta(days=3), at=NOW - timedelta(days=1))
    answer(school.ana, school.words["cat"], NOW - timedelta(hours=2))

    [mine] = assignments.my_assignments(session, school.ana, now=NOW)
    assert (mine.assignment.id, mine.class_name, mine.assignment.group_name) == (
        row.id,
        "Japanese 1",
        "Animals",
    )
    assert (mine.completion.state, mine.completion.answered) == ("in_progress", 1)
    assert mine.assignment.note == "Before Friday's lesson"
    assert assignments.my_assignments(session, school.olga, now=NOW) == []


def test_a_learner_starts_an_assignment_in_its_activity(session, school) -> None:
    typing = activities.get_activity_by_slug(session, "typing")
    row = _assign(session, school, activity=typing.id, due=NOW + timedelta(days=3), at=NOW)
    url = assignments.start_assignment(session, school.ana, row.id, now=NOW)
    session.commit()
    study = session.exec(select(StudySession).where(StudySession.user_id == school.ana.id)).one()
    assert (study.activity_id, study.group_id) == (typing.id, school.groups["animals"].id)
    assert url == f"/study/typing?group_id={study.group_id}&session_id={study.id}"
    with pytest.raises(NotFound):  # not in the class
        assignments.start_assignment(session, school.olga, row.id, now=NOW)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_at": NOW - timedelta(minutes=1)}, "due_at"),
        ({"due_at": NOW + timedelta(days=400)}, "due_at"),
        ({"group": "spanish"}, "group_id"),
        ({"group_id": 999_999}, "group_id"),
        ({"activity_id": 999_999}, "activity_id"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_a_bad_assignment_is_refused_naming_the_field(session, school, changes, field) -> None:
    values = {
        "group_id": school.groups["animals"].id,
        "due_at": NOW + timedelta(days=2),
        "activity_id": None,
        "note": "",
    }
    if changes.pop("group", None) == "spanish":
        values["group_id"] = school.spanish_group.id
    values.update(changes)
    with pytest.raises(InvalidInput) as caught:
        assignments.create_assignment(
            session, school.teacher, school.classroom.id, now=NOW, **values
        )
    assert caught.value.field == field


def test_a_due_time_without_a_zone_is_the_teachers_wall_clock(session, school) -> None:
    school.teacher.timezone = "Asia/Tokyo"
    row = assignments.create_assignment(
        session,
        school.teacher,
        school.classroom.id,
        group_id=school.groups["animals"].id,
        due_at=datetime(2026, 3, 13, 9, 0),
        now=NOW,
    )
    assert row.due_at == datetime(2026, 3, 13, 0, 0, tzinfo=UTC)


def test_setting_changing_and_deleting_an_assignment_is_audited(session, school) -> None:
    row = _assign(session, school, due=NOW + timedelta(days=2), at=NOW)
    changed = assignments.update_assignment(
        session,
        school.teacher,
        school.classroom.id,
        row.id,
        due_at=NOW + timedelta(days=4),
        note="Moved to Monday",
        now=NOW,
    )
    session.commit()
    assert (changed.due_at, changed.note) == (NOW + timedelta(days=4), "Moved to Monday")
    assignments.delete_assignment(session, school.teacher, school.classroom.id, row.id)
    session.commit()
    assert assignments.list_assignments(session, school.teacher, school.classroom.id) == []
    events = session.exec(
        select(AuditEvent).where(AuditEvent.event.startswith("assignment.")).order_by(AuditEvent.id)
    ).all()
    assert [(e.event, e.actor_id, e.detail["assignment_id"]) for e in events] == [
        ("assignment.created", school.teacher.id, row.id),
        ("assignment.updated", school.teacher.id, row.id),
        ("assignment.deleted", school.teacher.id, row.id),
    ]
    assert events[1].detail["note"] is True


def test_another_teacher_cannot_see_or_change_the_classs_assignments(session, school) -> None:
    row = _assign(session, school, due=NOW + timedelta(days=2), at=NOW)
    other, class_id = school.other_teacher, school.classroom.id
    for call in (
        lambda: assignments.list_assignments(session, other, class_id),
        lambda: assignments.completion_grid(session, other, class_id, now=NOW),
        lambda: assignments.get_assignment(session, other, class_id, row.id),
        lambda: assignments.delete_assignment(session, other, class_id, row.id),
        # the assignment through a class of their own
        lambda: assignments.get_assignment(session, other, school.other_classroom.id, row.id),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(PermissionDenied):
        assignments.list_assignments(session, school.ana, class_id)
