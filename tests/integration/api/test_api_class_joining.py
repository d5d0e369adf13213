"""Learners join classes by their own act: the class code, or an invitation they accept.

A teacher learns nothing about a learner (progress, writing) until the learner consents, and
learns nothing from an invitation about whether an address has an account.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from learn_app.models import AuditEvent, Classroom, Role, WritingSubmission
from learn_app.models.base import utcnow
from learn_app.services.accounts.memberships import JOIN_ATTEMPTS
from tests.fixtures.classes import enrol_over_http


def create_class(client, teacher, name="Japanese 1"):
    response = client.post(
        "/api/classes", json={"name": name, "language": "ja"}, headers=teacher.headers
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def join(client, account, code):
    return client.post("/api/me/classes", json={"code": code}, headers=account.headers)


def code_of(client, teacher, class_id) -> str:
    response = client.get(f"/api/classes/{class_id}/join-code", headers=teacher.headers)
    assert response.status_code == 200, response.text
    return response.json()["code"]


def what_the_teacher_sees(client, teacher, class_id, learner, submission_id):
    progress = client.get(f"/api/classes/{class_id}/progress", headers=teacher.headers).json()
    writing = client.get("/api/teacher/writing", headers=teacher.headers).json()
    submission = client.get(f"/api/writing/submissions/{submission_id}", headers=teacher.headers)
    return (
        [row["learner_id"] for row in progress],
        len(writing["items"]) if isinstance(writing, dict) else len(writing),
        submission.status_code,
    )


def test_a_teacher_sees_nothing_of_a_learner_until_the_learner_accepts(
    client, session, teacher, learner
):
    class_id = create_class(client, teacher)
    written = WritingSubmission(user_id=learner.id, language="ja", text="猫がいます。")
    session.add(written)
    session.commit()

    invited = client.post(
        f"/api/classes/{class_id}/learners", json={"email": learner.email}, headers=teacher.headers
    )

    assert invited.status_code == 202
    assert what_the_teacher_sees(client, teacher, class_id, learner, written.id) == ([], 0, 404)
    drilldown = client.get(
        f"/api/classes/{class_id}/learners/{learner.id}/progress", headers=teacher.headers
    )
    assert drilldown.status_code == 404
    [invitation] = client.get("/api/me/invitations", headers=learner.headers).json()
    client.post(f"/api/me/invitations/{invitation['id']}/accept", headers=learner.headers)
    assert what_the_teacher_sees(client, teacher, class_id, learner, written.id) == (
        [learner.id],
        1,
        200,
    )


def test_inviting_answers_alike_whether_or_not_an_account_has_the_address(
    client, session, teacher, learner, new_account
):
    colleague = new_account(Role.teacher, "Carla Colleague")
    class_id = create_class(client, teacher)
    url = f"/api/classes/{class_id}/invitations"
    addresses = {
        "learner": learner.email,
        "teacher": colleague.email,
        "nobody": "nobody.at.all@example.com",
    }

    answers = {
        who: client.post(url, json={"email": email.upper()}, headers=teacher.headers)
        for who, email in addresses.items()
    }

    assert {who: a.status_code for who, a in answers.items()} == dict.fromkeys(addresses, 202)
    bodies = {who: a.json() for who, a in answers.items()}
    assert {who: body["email"] for who, body in bodies.items()} == addresses
    assert len({body["detail"] for body in bodies.values()}) == 1
    assert bodies["nobody"]["detail"].startswith("If this address belongs to a learner")
    assert {who: sorted(a.headers) for who, a in answers.items()}["learner"] == sorted(
        answers["nobody"].headers
    )
    listed = client.get(url, headers=teacher.headers).json()
    assert sorted((row["email"], row["status"]) for row in listed) == sorted(
        (email, "waiting") for email in addresses.values()
    )


def test_inviting_a_known_address_takes_as_long_as_an_unknown_one(client, teacher, learner):
    class_id = create_class(client, teacher)
    url = f"/api/classes/{class_id}/invitations"
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(12):
        for who, email in (("known", learner.email), ("unknown", f"stranger{n}@example.com")):
            started = time.perf_counter()
            response = client.post(url, json={"email": email}, headers=teacher.headers)
            timings[who].append(time.perf_counter() - started)
            assert response.status_code == 202

    known, unknown = (statistics.median(timings[w]) for w in ("known", "unknown"))
    assert abs(known - unknown) < 0.02 + 0.5 * min(known, unknown), (known, unknown)


def test_a_learner_joins_with_the_code_however_they_type_it(client, teacher, learner):
    class_id = create_class(client, teacher)
    code = code_of(client, teacher, class_id)
    assert len(code) == 9 and code[4] == "-"

    joined = join(client, learner, " " + code.replace("-", " ").lower() + " ")

    assert joined.status_code == 201, joined.text
    assert (joined.json()["id"], joined.json()["teacher_name"]) == (class_id, "Tomás Teacher")
    progress = client.get(f"/api/classes/{class_id}/progress", headers=teacher.headers).json()
    assert [row["learner_id"] for row in progress] == [learner.id]
    mine = client.get("/api/me/classes", headers=learner.headers).json()
    assert [c["name"] for c in mine] == ["Japanese 1"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABCD-EFGH", "No class has that code"),
        ("ABC", "A class code is 8 letters and digits"),
        ("0000-1111", "A class code is 8 letters and digits"),
        ("", "Enter the class code"),
    ],
)
def test_a_wrong_code_is_refused_and_joins_nothing(client, teacher, learner, code, message):
    class_id = create_class(client, teacher)
    assert code_of(client, teacher, class_id) != code

    response = join(client, learner, code)

    assert response.status_code == 422
    assert response.json()["field"] == "code"
    assert response.json()["detail"].startswith(message)
    assert client.get("/api/me/classes", headers=learner.headers).json() == []


def test_a_turned_off_code_is_refused_until_it_is_turned_on_again(client, teacher, learner):
    class_id = create_class(client, teacher)
    code = code_of(client, teacher, class_id)
    url = f"/api/classes/{class_id}/join-code"

    off = client.put(url, json={"enabled": False}, headers=teacher.headers)
    refused = join(client, learner, code)
    on = client.put(url, json={"enabled": True}, headers=teacher.headers)
    accepted = join(client, learner, code)

    assert (off.json()["state"], off.json()["code"]) == ("off", code)
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "That class is not taking new learners by code. Ask your teacher."
    )
    assert (on.json()["state"], on.json()["code"]) == ("on", code)
    assert accepted.status_code == 201


def test_an_expired_code_is_refused_and_a_new_one_replaces_the_old(
    client, session, teacher, learner
):
    class_id = create_class(client, teacher)
    old = code_of(client, teacher, class_id)
    classroom = session.get(Classroom, class_id)
    classroom.join_code_expires_at = utcnow() - timedelta(minutes=1)
    session.add(classroom)
    session.commit()

    expired = join(client, learner, old)
    renewed = client.post(f"/api/classes/{class_id}/join-code", headers=teacher.headers).json()
    with_old = join(client, learner, old)
    with_new = join(client, learner, renewed["code"])

    assert expired.status_code == 422
    assert (
        expired.json()["detail"] == "That class code has expired. Ask your teacher for a new one."
    )
    assert renewed["code"] != old and renewed["state"] == "on"
    assert with_old.json()["detail"].startswith("No class has that code")
    assert with_new.status_code == 201


def test_code_attempts_are_limited_per_learner(client, teacher, learner, new_account):
    class_id = create_class(client, teacher)
    code = code_of(client, teacher, class_id)
    guesses = [
        join(client, learner, f"ZZZZ-{n:04d}".replace("0", "A").replace("1", "B"))
        for n in range(JOIN_ATTEMPTS)
    ]

    limited = join(client, learner, code)
    someone_else = join(client, new_account(Role.learner, "Rosa Other"), code)

    assert [g.status_code for g in guesses] == [422] * JOIN_ATTEMPTS
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many attempts" in limited.json()["detail"]
    assert client.get("/api/me/classes", headers=learner.headers).json() == []
    assert someone_else.status_code == 201


def test_a_learner_declines_and_the_teacher_sees_it_declined(client, teacher, learner):
    class_id = create_class(client, teacher)
    client.post(
        f"/api/classes/{class_id}/invitations",
        json={"email": learner.email},
        headers=teacher.headers,
    )
    [invitation] = client.get("/api/me/invitations", headers=learner.headers).json()

    declined = client.post(
        f"/api/me/invitations/{invitation['id']}/decline", headers=learner.headers
    )
    late_accept = client.post(
        f"/api/me/invitations/{invitation['id']}/accept", headers=learner.headers
    )

    assert declined.status_code == 204
    assert late_accept.status_code == 404
    assert client.get("/api/me/invitations", headers=learner.headers).json() == []
    listed = client.get(f"/api/classes/{class_id}/invitations", headers=teacher.headers).json()
    assert [row["status"] for row in listed] == ["declined"]
    assert client.get(f"/api/classes/{class_id}/progress", headers=teacher.headers).json() == []


def test_a_learner_cannot_accept_an_invitation_to_someone_else(
    client, teacher, learner, new_account
):
    class_id = create_class(client, teacher)
    client.post(
        f"/api/classes/{class_id}/invitations",
        json={"email": learner.email},
        headers=teacher.headers,
    )
    [invitation] = client.get("/api/me/invitations", headers=learner.headers).json()
    intruder = new_account(Role.learner, "Ivo Intruder")

    response = client.post(
        f"/api/me/invitations/{invitation['id']}/accept", headers=intruder.headers
    )

    assert response.status_code == 404
    assert client.get("/api/me/classes", headers=intruder.headers).json() == []


def test_a_withdrawn_invitation_is_gone_for_the_learner(client, teacher, learner):
    class_id = create_class(client, teacher)
    url = f"/api/classes/{class_id}/invitations"
    client.post(url, json={"email": learner.email}, headers=teacher.headers)
    [sent] = client.get(url, headers=teacher.headers).json()

    withdrawn = client.delete(f"{url}/{sent['id']}", headers=teacher.headers)

    assert withdrawn.status_code == 204
    assert client.get("/api/me/invitations", headers=learner.headers).json() == []


def test_a_learner_leaves_and_the_teacher_no_longer_sees_them(client, teacher, learner):
    class_id = create_class(client, teacher)
    enrol_over_http(client, teacher, class_id, learner)

    left = client.delete(f"/api/me/classes/{class_id}", headers=learner.headers)
    again = client.delete(f"/api/me/classes/{class_id}", headers=learner.headers)

    assert (left.status_code, again.status_code) == (204, 404)
    assert client.get(f"/api/classes/{class_id}/progress", headers=teacher.headers).json() == []


def test_only_the_classs_teacher_sees_and_changes_its_code(client, teacher, other_teacher, learner):
    class_id = create_class(client, teacher)
    url = f"/api/classes/{class_id}/join-code"

    answers = [
        client.get(url, headers=other_teacher.headers),
        client.post(url, headers=other_teacher.headers),
        client.get(url, headers=learner.headers),
        client.put(url, json={"enabled": False}, headers=learner.headers),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403, 403]


def test_every_enrolment_and_refusal_is_audited(client, session, teacher, learner, new_account):
    class_id = create_class(client, teacher)
    enrol_over_http(client, teacher, class_id, learner)
    other = new_account(Role.learner, "Rosa Other")
    join(client, other, "WXYZ-2345")
    join(client, other, code_of(client, teacher, class_id))
    client.delete(f"/api/me/classes/{class_id}", headers=other.headers)

    rows = session.exec(
        select(AuditEvent).where(AuditEvent.event.startswith("class.")).order_by(AuditEvent.id)
    ).all()

    assert [(r.event, r.user_id, r.detail.get("via") or r.detail.get("reason")) for r in rows] == [
        ("class.created", None, None),
        ("class.invited", None, None),
        ("class.enrolled", learner.id, "invitation"),
        ("class.join_refused", other.id, "none"),
        ("class.enrolled", other.id, "code"),
        ("class.left", other.id, None),
    ]
