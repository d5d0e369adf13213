"""A course's owner (or an admin) adds editors by a teacher's email; any other address gets one
and the same answer, whoever has it."""

from __future__ import annotations

import pytest

from learn_app.models import Role, User
from learn_app.services.content.course_team import NO_TEACHER


def add(client, account, course_id, email):
    return client.post(
        f"/api/courses/{course_id}/editors", json={"email": email}, headers=account.headers
    )


def test_the_owner_adds_a_teacher_by_email_who_can_then_edit(
    client, teacher, other_teacher, content
):
    added = add(client, teacher, content.japanese, other_teacher.email.upper())

    assert added.status_code == 200, added.text
    assert added.json() == {"id": other_teacher.id, "display_name": "Tara Teacher"}
    listed = client.get(f"/api/courses/{content.japanese}/editors", headers=teacher.headers)
    assert [e["id"] for e in listed.json()] == [other_teacher.id]
    edited = client.patch(
        f"/api/words/{content.words['猫']}",
        json={"meaning": "cat (pet)"},
        headers=other_teacher.headers,
    )
    assert edited.status_code == 200, edited.text


def test_the_owner_is_not_added_as_their_own_editor(client, teacher, content):
    response = add(client, teacher, content.japanese, teacher.email)

    assert response.status_code == 409
    assert response.json()["detail"] == "Tomás Teacher owns this course already."


@pytest.mark.parametrize("who", ["learner", "nobody", "disabled teacher", "admin"])
def test_an_address_that_is_not_an_active_teachers_gets_the_same_answer(
    client, session, teacher, learner, admin, new_account, content, who
):
    disabled = new_account(Role.teacher, "Dora Disabled")
    user = session.get(User, disabled.id)
    user.is_active = False
    session.add(user)
    session.commit()
    email = {
        "learner": learner.email,
        "nobody": "no.such.person@example.com",
        "disabled teacher": disabled.email,
        "admin": admin.email,
    }[who]

    response = add(client, teacher, content.japanese, email)

    assert response.status_code == 404
    assert response.json() == {"detail": NO_TEACHER, "field": "email"}


def test_only_the_owner_or_an_admin_adds_editors(client, teacher, other_teacher, admin, content):
    refused = add(client, other_teacher, content.japanese, other_teacher.email)
    by_admin = add(client, admin, content.japanese, other_teacher.email)

    assert refused.status_code == 403
    assert by_admin.status_code == 200
