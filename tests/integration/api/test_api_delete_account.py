"""DELETE /api/me: a person deletes their account, confirmed with their password.

Everything stored about them goes (every row of every table that names them), nobody
else's; the audit trail and model-call ledger keep their rows without naming them; a
teacher's classes and courses pass to an admin; the last admin is refused.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy
from sqlmodel import Session, select

from learn_app.models import (
    AuditEvent,
    Classroom,
    Course,
    Enrollment,
    LlmCall,
    PronunciationAttempt,
    TutorConversation,
    TutorMessage,
    UserAchievement,
    WritingSubmission,
    XpEntry,
)
from learn_app.models.users import User

# Every column of every table that refers to a person, read from the database itself, so a
# table added later is checked too.
_USER_COLUMNS = sqlalchemy.text(
    """
    SELECT kcu.table_name, kcu.column_name
    FROM information_schema.referential_constraints rc
    JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
    JOIN information_schema.key_column_usage target
      ON target.constraint_name = rc.unique_constraint_name
     AND target.constraint_schema = rc.unique_constraint_schema
    WHERE target.table_name = 'user' AND target.column_name = 'id'
    ORDER BY 1, 2
    """
)


def rows_naming(session: Session, user_id: int) -> dict[str, int]:
    """How many rows of each table name the person, by any column that refers to a person."""
    counts: dict[str, int] = {}
    for table, column in session.exec(_USER_COLUMNS).all():  # type: ignore[call-overload]
        count = session.exec(  # type: ignore[call-overload]
            sqlalchemy.text(f'SELECT count(*) FROM "{table}" WHERE "{column}" = :id').bindparams(
                id=user_id
            )
        ).scalar()
        if count:
            counts[f"{table}.{column}"] = count
    return counts


@pytest.fixture
def studied(client, session, content, launch, answer):
    """Give an account answers, cards, a session, writing, a recording, a tutor conversation,
    XP, an achievement, a model call and an access token."""

    def study(account) -> None:
        run = launch(account, content.groups["animals"])
        answer(account, run["id"], content.words["猫"], correct=True)
        answer(account, run["id"], content.words["犬"], correct=False)
        token = client.post(
            "/api/me/tokens", json={"name": "script", "scope": "read"}, headers=account.headers
        )
        assert token.status_code == 201
        session.add(
            WritingSubmission(user_id=account.id, language="ja", text="猫がいます。", score=80)
        )
        session.add(
            PronunciationAttempt(
                user_id=account.id,
                word_id=content.words["猫"],
                part="term",
                language="ja",
                target_text="猫",
                score=90,
                pass_score=70,
                rating="good",
                audio=b"RIFF recording of the learner's voice",
                audio_seconds=1.0,
                scoring_ms=10,
            )
        )
        conversation = TutorConversation(user_id=account.id, title="neko", language="ja")
        session.add(conversation)
        session.flush()
        session.add(TutorMessage(conversation_id=conversation.id, role="learner", text="neko?"))
        session.add(UserAchievement(user_id=account.id, achievement="first-steps"))
        session.add(
            XpEntry(user_id=account.id, activity="writing", points=25, local_day=date.today())
        )
        session.add(
            LlmCall(
                user_id=account.id, provider="anthropic", model="m", purpose="tutor", outcome="ok"
            )
        )
        session.commit()

    return study


def delete_me(client, account, password=None, **body):
    return client.request(
        "DELETE",
        "/api/me",
        json={"password": account.password if password is None else password, **body},
        headers=account.headers,
    )


def test_deleting_removes_every_row_naming_the_learner_and_nobody_elses(
    client, session, learner, new_account, studied
):
    other = new_account(display_name="Otto Other")
    studied(learner)
    studied(other)
    others_before = rows_naming(session, other.id)
    assert {"review.user_id", "card_state.user_id", "study_session.user_id"} <= set(
        rows_naming(session, learner.id)
    )

    response = delete_me(client, learner)

    assert response.status_code == 200, response.text
    removed = response.json()
    assert removed["reviews"] == 2 and removed["card_states"] == 2
    assert removed["study_sessions"] == 1 and removed["writing_submissions"] == 1
    assert removed["speaking_attempts"] == 1 and removed["tutor_conversations"] == 1
    assert removed["access_tokens"] == 1 and removed["sign_ins"] == 1
    session.expire_all()
    assert rows_naming(session, learner.id) == {}
    assert session.get(User, learner.id) is None
    assert rows_naming(session, other.id) == others_before
    # The recording itself is gone with its row; the other learner's stays.
    recordings = session.exec(select(PronunciationAttempt.audio)).all()
    assert recordings == [b"RIFF recording of the learner's voice"]
    assert session.exec(select(PronunciationAttempt.user_id)).all() == [other.id]
    assert session.exec(select(TutorMessage)).all().__len__() == 1


def test_the_deleted_learner_is_signed_out_everywhere_and_cannot_sign_in(
    client, learner, new_token, sign_in
):
    second_device = new_token(learner.email)

    assert delete_me(client, learner).status_code == 200

    for token in (learner.token, second_device):
        assert (
            client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        )
    assert sign_in(learner.email).status_code == 401


def test_a_wrong_password_deletes_nothing(client, session, learner, studied):
    studied(learner)
    before = rows_naming(session, learner.id)

    response = delete_me(client, learner, password="not my password at all")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Your password is not correct; nothing was deleted.",
        "field": "password",
    }
    session.expire_all()
    after = rows_naming(session, learner.id)
    # Only the refusal itself was added, to the audit trail.
    assert after.pop("audit_event.user_id") == before.pop("audit_event.user_id") + 1
    assert after == before
    assert client.get("/api/me", headers=learner.headers).status_code == 200


def test_the_audit_trail_keeps_its_rows_without_naming_the_person(
    client, session, learner, studied
):
    studied(learner)
    kept = session.exec(
        select(AuditEvent.event).where(AuditEvent.user_id == learner.id).order_by(AuditEvent.id)
    ).all()
    assert "user.registered" in kept

    assert delete_me(client, learner).status_code == 200

    session.expire_all()
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    deleted = [row for row in rows if row.event == "account.deleted"]
    assert len(deleted) == 1 and deleted[0].user_id is None and deleted[0].ip == ""
    tombstone = deleted[0].detail["account"]
    assert tombstone.startswith("deleted-")
    theirs = [row for row in rows if row.detail.get("account") == tombstone]
    assert [row.event for row in theirs[: len(kept)]] == list(kept)
    for row in theirs:
        assert row.user_id is None and row.actor_id is None and row.ip == ""
        assert learner.email not in str(row.detail) and "Lena Learner" not in str(row.detail)
    calls = session.exec(select(LlmCall)).all()
    assert len(calls) == 1 and calls[0].user_id is None and calls[0].model == "m"


def test_a_teachers_classes_and_courses_pass_to_an_admin(
    client, session, teacher, admin, learner, content
):
    classroom = Classroom(teacher_id=teacher.id, name="Tuesday evening", language="ja")
    session.add(classroom)
    session.flush()
    session.add(Enrollment(classroom_id=classroom.id, learner_id=learner.id))
    session.commit()

    response = delete_me(client, teacher)

    assert response.status_code == 200, response.text
    assert response.json()["classes_handed_over"] == 1
    assert response.json()["courses_handed_over"] == 2
    assert response.json()["admin_id"] == admin.id
    session.expire_all()
    assert session.get(Classroom, classroom.id).teacher_id == admin.id
    assert session.exec(select(Enrollment.learner_id)).all() == [learner.id]
    assert {c.owner_id for c in session.exec(select(Course))} == {admin.id}


def test_a_teacher_may_delete_their_classes_with_their_account(
    client, session, teacher, admin, learner, launch, answer, content
):
    classroom = Classroom(teacher_id=teacher.id, name="Tuesday evening", language="ja")
    session.add(classroom)
    session.commit()
    run = launch(learner, content.groups["animals"])
    answer(learner, run["id"], content.words["猫"], correct=True)

    response = delete_me(client, teacher, classes="delete")

    assert response.status_code == 200, response.text
    assert response.json()["classes_deleted"] == 1
    session.expire_all()
    assert session.exec(select(Classroom)).all() == []
    # The learners' own study stays.
    assert client.get("/api/me/stats", headers=learner.headers).json()["total_reviews"] == 1


def test_the_last_admin_cannot_delete_their_account(client, session, admin):
    response = delete_me(client, admin)

    assert response.status_code == 422
    assert "only admin" in response.json()["detail"]
    assert client.get("/api/me", headers=admin.headers).status_code == 200


def test_an_admin_may_delete_their_account_when_another_admin_remains(
    client, session, admin, new_account
):
    from learn_app.models import Role

    second = new_account(Role.admin, "Second Admin")

    assert delete_me(client, admin).status_code == 200
    assert delete_me(client, second).status_code == 422  # now the last one


def test_deleting_needs_a_body_with_the_password(client, learner):
    response = client.request("DELETE", "/api/me", headers=learner.headers)

    assert response.status_code == 422
    assert client.get("/api/me", headers=learner.headers).status_code == 200
