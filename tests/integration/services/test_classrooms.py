"""A teacher's classes: creating them, learners joining them, and reading their progress."""

from datetime import timedelta

import pytest

from learn_app.models import Role
from learn_app.models.base import utcnow
from learn_app.services.accounts import classes, invitations, memberships
from learn_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from learn_app.services.study.class_progress import class_progress

pytestmark = pytest.mark.integration


@pytest.fixture
def classroom(session, teacher):
    room = classes.create_classroom(session, teacher, name="Japanese 1", language="ja")
    session.commit()
    return room


def test_a_teacher_creates_a_class_and_sees_it_listed(session, teacher) -> None:
    classes.create_classroom(session, teacher, name="  Japanese   1 ", language="ja")
    session.commit()
    [summary] = classes.list_classrooms(session, teacher)
    assert (summary.name, summary.language, summary.learners) == ("Japanese 1", "ja", 0)


def test_a_learner_cannot_create_a_class(session, learner) -> None:
    with pytest.raises(PermissionDenied):
        classes.create_classroom(session, learner, name="Japanese 1", language="ja")


@pytest.mark.parametrize(
    ("name", "language", "field"),
    [("", "ja", "name"), ("x" * 121, "ja", "name"), ("French 1", "fr", "language")],
)
def test_a_class_needs_a_name_and_a_language_the_portal_teaches(
    session, teacher, name, language, field
) -> None:
    with pytest.raises(InvalidInput) as caught:
        classes.create_classroom(session, teacher, name=name, language=language)
    assert caught.value.field == field


def test_a_learner_invited_by_email_in_any_case_is_in_the_class_once_they_accept(
    session, teacher, learner, classroom
) -> None:
    invitations.invite(session, teacher, classroom.id, learner.email.upper())
    session.commit()
    assert classes.list_classrooms(session, teacher)[0].learners == 0

    [invitation] = invitations.my_invitations(session, learner)
    invitations.accept(session, learner, invitation.id)
    session.commit()

    assert classes.list_classrooms(session, teacher)[0].learners == 1
    assert invitations.my_invitations(session, learner) == []


def test_inviting_a_learner_already_in_the_class_is_a_conflict(
    session, teacher, learner, classroom, enrol
) -> None:
    enrol(teacher, classroom.id, learner)
    with pytest.raises(Conflict, match="already in this class"):
        invitations.invite(session, teacher, classroom.id, learner.email)


def test_another_teacher_cannot_touch_the_class(session, make_user, learner, classroom) -> None:
    other = make_user(Role.teacher)
    with pytest.raises(PermissionDenied):
        invitations.invite(session, other, classroom.id, learner.email)
    with pytest.raises(PermissionDenied):
        class_progress(session, other, classroom.id)
    with pytest.raises(PermissionDenied):
        classes.delete_classroom(session, other, classroom.id)
    assert classes.list_classrooms(session, other) == []


def test_a_learner_cannot_read_a_classs_progress(session, learner, classroom) -> None:
    with pytest.raises(PermissionDenied):
        class_progress(session, learner, classroom.id)


def test_a_class_that_does_not_exist_is_not_found(session, teacher) -> None:
    with pytest.raises(NotFound):
        class_progress(session, teacher, 999_999)


def test_an_admin_sees_every_teachers_classes(session, make_user, admin) -> None:
    for name in ("Spanish 2", "Japanese 1"):
        classes.create_classroom(session, make_user(Role.teacher), name=name, language="ja")
    session.commit()
    assert [c.name for c in classes.list_classrooms(session, admin)] == ["Japanese 1", "Spanish 2"]


def test_an_admin_can_invite_into_any_class(session, admin, learner, classroom, enrol) -> None:
    enrol(admin, classroom.id, learner)
    assert [p.learner_id for p in class_progress(session, admin, classroom.id)] == [learner.id]


def test_an_unenrolled_learner_leaves_the_class(
    session, teacher, learner, classroom, enrol
) -> None:
    enrol(teacher, classroom.id, learner)
    classes.unenroll(session, teacher, classroom.id, learner.id)
    session.commit()
    assert class_progress(session, teacher, classroom.id) == []
    with pytest.raises(NotFound):
        classes.unenroll(session, teacher, classroom.id, learner.id)


def test_class_progress_matches_each_learners_reviews(
    session, teacher, make_user, classroom, add_review, enrol
) -> None:
    busy = make_user(display_name="Aiko")
    idle = make_user(display_name="Ben")
    outsider = make_user(display_name="Carla")
    for learner in (busy, idle):
        enrol(teacher, classroom.id, learner)
    now = utcnow()
    for days_ago, correct in [(0, True), (0, False), (1, True), (2, True)]:
        add_review(busy, now - timedelta(days=days_ago, minutes=1), correct=correct)
    add_review(outsider, now)

    aiko, ben = class_progress(session, teacher, classroom.id)

    assert (aiko.learner_id, aiko.display_name, aiko.email) == (busy.id, "Aiko", busy.email)
    assert aiko.reviews == 4
    assert aiko.success_rate == 75.0
    assert aiko.study_sessions == 4
    assert aiko.streak_days == 3
    assert aiko.last_review_at == now - timedelta(minutes=1)
    assert (ben.learner_id, ben.reviews, ben.success_rate, ben.study_sessions) == (idle.id, 0, 0, 0)
    assert (ben.streak_days, ben.last_review_at) == (0, None)


def test_deleting_a_class_removes_it_from_the_list(
    session, teacher, learner, classroom, enrol
) -> None:
    enrol(teacher, classroom.id, learner)
    classes.delete_classroom(session, teacher, classroom.id)
    session.commit()
    assert classes.list_classrooms(session, teacher) == []


@pytest.mark.parametrize("role", [Role.teacher, Role.admin])
def test_an_invitation_to_a_teachers_or_admins_address_is_not_offered_to_them(
    session, make_user, teacher, classroom, role
) -> None:
    colleague = make_user(role)
    invitations.invite(session, teacher, classroom.id, colleague.email)
    session.commit()
    assert invitations.my_invitations(session, colleague) == []
    with pytest.raises(PermissionDenied):
        memberships.join_with_code(session, colleague, classroom.join_code)


def test_a_disabled_learner_cannot_accept(session, teacher, learner, classroom) -> None:
    invitations.invite(session, teacher, classroom.id, learner.email)
    session.commit()
    [invitation] = invitations.my_invitations(session, learner)
    learner.is_active = False
    session.add(learner)
    session.commit()
    with pytest.raises(PermissionDenied):
        invitations.accept(session, learner, invitation.id)


def test_a_class_name_with_control_characters_is_refused(session, teacher) -> None:
    with pytest.raises(InvalidInput) as caught:
        classes.create_classroom(session, teacher, name="Japanese\x001", language="ja")
    assert caught.value.field == "name"
