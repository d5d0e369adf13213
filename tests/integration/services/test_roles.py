"""Roles: who may do what, and who may change that."""

import pytest
from sqlmodel import Session

from learn_app.models import Role, User
from learn_app.services.accounts import auth
from learn_app.services.errors import InvalidInput, NotFound, PermissionDenied

pytestmark = pytest.mark.integration


def role_of(engine, user: User) -> str:
    with Session(engine) as s:
        return s.get(User, user.id).role


def test_require_role_lets_a_listed_role_through(teacher) -> None:
    auth.require_role(teacher, Role.teacher, Role.admin)


def test_require_role_refuses_any_other_role(learner) -> None:
    with pytest.raises(PermissionDenied) as caught:
        auth.require_role(learner, Role.teacher, Role.admin)
    assert caught.value.status_code == 403


def test_an_admin_can_make_a_learner_a_teacher(session, engine, admin, learner) -> None:
    auth.set_role(session, admin, learner.id, "teacher")
    session.commit()
    assert role_of(engine, learner) == "teacher"


@pytest.mark.parametrize("actor_role", [Role.learner, Role.teacher])
def test_only_an_admin_can_change_roles(session, engine, make_user, actor_role) -> None:
    actor, target = make_user(actor_role), make_user()
    with pytest.raises(PermissionDenied):
        auth.set_role(session, actor, target.id, "admin")
    with pytest.raises(PermissionDenied):
        auth.set_role(session, actor, actor.id, "admin")
    session.rollback()
    assert role_of(engine, target) == "learner"
    assert role_of(engine, actor) == actor_role.value


def test_the_last_admin_cannot_demote_themself(session, engine, admin) -> None:
    with pytest.raises(InvalidInput, match="at least one admin"):
        auth.set_role(session, admin, admin.id, "learner")
    session.rollback()
    assert role_of(engine, admin) == "admin"


def test_an_admin_can_step_down_once_there_is_another_admin(session, engine, make_user) -> None:
    first, second = make_user(Role.admin), make_user(Role.admin)
    auth.set_role(session, first, first.id, "teacher")
    session.commit()
    assert role_of(engine, first) == "teacher"
    assert role_of(engine, second) == "admin"


@pytest.mark.parametrize("role", ["superuser", "Admin", "", "learner "])
def test_an_unknown_role_is_refused(session, admin, learner, role) -> None:
    with pytest.raises(InvalidInput) as caught:
        auth.set_role(session, admin, learner.id, role)
    assert caught.value.field == "role"


def test_changing_the_role_of_someone_who_does_not_exist_is_not_found(session, admin) -> None:
    with pytest.raises(NotFound):
        auth.set_role(session, admin, 999_999, "teacher")


def test_a_disabled_admin_does_not_count_towards_keeping_one_admin(
    session, engine, make_user
) -> None:
    active, disabled = make_user(Role.admin), make_user(Role.admin)
    disabled.is_active = False
    session.add(disabled)
    session.commit()
    with pytest.raises(InvalidInput, match="at least one admin"):
        auth.set_role(session, active, active.id, "learner")
    session.rollback()
    assert role_of(engine, active) == "admin"
