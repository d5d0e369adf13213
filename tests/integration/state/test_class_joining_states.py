"""The Teacher page, the learner's Dashboard card and the Course editors page, as the browser's
events run them: real states over the real database, signed in with real tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx
from sqlmodel import Session

from learn_app.db import session_scope
from learn_app.models import Course, Role, User
from learn_app.services.accounts import auth
from learn_app.services.accounts.memberships import JOIN_ATTEMPTS
from learn_app.services.content.course_team import NO_TEACHER
from learn_app.state.course_team import CourseTeamState
from learn_app.state.my_classes import MyClassesState
from learn_app.state.teacher import TeacherState

pytestmark = pytest.mark.integration


@pytest.fixture
def page(engine, password) -> Callable[..., Any]:
    """The page's state in a fresh state tree, signed in as `user`."""

    def open_page(state_class: type[rx.State], user: User) -> Any:
        root = rx.State(_reflex_internal_init=True)
        root._update_router_vars({"pathname": "/", "asPath": "/", "query": {}}, {})
        state = root.get_substate(state_class.get_full_name().split(".")[1:])
        with session_scope() as session:
            state.token = auth.sign_in(session, email=user.email, password=password).token
        return state

    return open_page


@pytest.fixture
def with_class(page, teacher) -> Any:
    """The Teacher page after creating "Japanese 1"."""
    state = page(TeacherState, teacher)
    TeacherState.load.fn(state)
    TeacherState.create_class.fn(state, {"name": "Japanese 1", "language": "ja"})
    return state


def test_the_teacher_page_shows_the_code_a_learner_joins_with(with_class, page, learner):
    assert with_class.join_code_state == "on"
    assert len(with_class.join_code) == 9 and with_class.join_code[4] == "-"
    card = page(MyClassesState, learner)
    MyClassesState.load.fn(card)

    MyClassesState.join.fn(card, {"code": with_class.join_code.lower()})

    assert card.join_error == ""
    assert card.classes_message == "You joined “Japanese 1” (Teacher 1)."
    assert [c.name for c in card.classes] == ["Japanese 1"]
    TeacherState.load.fn(with_class)
    assert [row.learner_id for row in with_class.learners] == [learner.id]


def test_a_refused_code_says_why_and_keeps_what_was_typed(with_class, page, learner):
    TeacherState.set_join_code.fn(with_class, False)
    card = page(MyClassesState, learner)
    MyClassesState.load.fn(card)
    form_key = card.join_form_key

    MyClassesState.join.fn(card, {"code": with_class.join_code})

    assert card.join_error == "That class is not taking new learners by code. Ask your teacher."
    assert card.join_form_key == form_key  # the form is not reset: the code stays typed
    assert card.classes == []


def test_too_many_wrong_codes_are_refused_on_the_dashboard_too(with_class, page, learner):
    card = page(MyClassesState, learner)
    for _ in range(JOIN_ATTEMPTS):
        MyClassesState.join.fn(card, {"code": "WXYZ-2345"})

    MyClassesState.join.fn(card, {"code": with_class.join_code})

    assert card.join_error.startswith("Too many attempts. Try again in")
    assert card.classes == []


def test_an_invitation_reads_the_same_for_any_address_and_waits_for_the_learner(
    with_class, page, learner
):
    TeacherState.invite.fn(with_class, {"email": learner.email})
    to_learner = with_class.message
    TeacherState.invite.fn(with_class, {"email": "nobody@example.com"})
    to_nobody = with_class.message

    assert to_learner.replace(learner.email, "<email>") == to_nobody.replace(
        "nobody@example.com", "<email>"
    )
    assert sorted((row.email, row.status) for row in with_class.invitations) == sorted(
        [(learner.email, "Waiting"), ("nobody@example.com", "Waiting")]
    )
    assert with_class.learners == []

    card = page(MyClassesState, learner)
    MyClassesState.load.fn(card)
    [invitation] = card.invitations
    assert (invitation.class_name, invitation.teacher_name) == ("Japanese 1", "Teacher 1")
    MyClassesState.accept.fn(card, invitation.id)
    assert (card.invitations, [c.name for c in card.classes]) == ([], ["Japanese 1"])


def test_the_dashboard_card_is_for_learners_only(page, teacher):
    card = page(MyClassesState, teacher)
    MyClassesState.load.fn(card)
    assert card.is_learner is False


@pytest.fixture
def owned_course(session: Session, teacher) -> Course:
    course = Course(slug="ja-owned", language="ja", title="Owned Japanese", owner_id=teacher.id)
    session.add(course)
    session.commit()
    return course


def test_the_owner_adds_and_removes_an_editor_by_email(
    page, teacher, make_user, learner, owned_course
):
    colleague = make_user(Role.teacher, display_name="Carla Colleague")
    state = page(CourseTeamState, teacher)
    CourseTeamState.load.fn(state)
    assert ([c.title for c in state.courses], state.selected_id) == (
        ["Owned Japanese"],
        owned_course.id,
    )

    CourseTeamState.add_editor.fn(state, {"email": learner.email})
    assert (state.add_error, state.editors) == (NO_TEACHER, [])
    CourseTeamState.add_editor.fn(state, {"email": colleague.email.upper()})
    assert [e.name for e in state.editors] == ["Carla Colleague"]
    assert state.message == "Carla Colleague can now edit “Owned Japanese”."

    CourseTeamState.remove_editor.fn(state, colleague.id)
    assert state.editors == []


def test_a_teacher_manages_only_their_own_courses_and_an_admin_hands_them_over(
    page, teacher, make_user, admin, owned_course
):
    colleague = make_user(Role.teacher, display_name="Carla Colleague")
    theirs = page(CourseTeamState, colleague)
    CourseTeamState.load.fn(theirs)
    assert (theirs.courses, theirs.can_change_owner) == ([], False)

    admins = page(CourseTeamState, admin)
    CourseTeamState.load.fn(admins)
    CourseTeamState.select_course.fn(admins, owned_course.id)
    assert admins.owner_name == "Teacher 1"
    CourseTeamState.set_owner.fn(admins, str(colleague.id))
    assert admins.owner_name == "Carla Colleague"

    CourseTeamState.load.fn(theirs)
    assert [c.title for c in theirs.courses] == ["Owned Japanese"]


def test_a_learner_is_refused_the_course_editors_page(page, learner):
    state = page(CourseTeamState, learner)
    CourseTeamState.load.fn(state)
    assert state.denied == "You don't have permission to do that."
