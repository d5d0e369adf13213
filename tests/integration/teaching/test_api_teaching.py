"""The class dashboard, learner drill-down and assignments over real HTTP with bearer tokens:
numbers, 404 for other people's classes and learners, 422 naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from integration.teaching.conftest import PASSWORD

from learn_app.services.study import activities

pytestmark = pytest.mark.integration


@pytest.fixture
def tokens(school, new_token):
    """Bearer headers for everyone in the school."""

    def headers(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {new_token(user.email, PASSWORD)}"}

    return {
        name: headers(getattr(school, name))
        for name in ("teacher", "other_teacher", "ana", "ben", "olga")
    }


def _now() -> datetime:
    return datetime.now(UTC)


def test_the_dashboard_flags_the_inactive_learner_and_not_the_active_one(
    client,
    school,
    tokens,
    answer,
) -> None:
    now = _now()
    for days_ago in range(3):
        answer(school.ana, school.words["cat"], now - timedelta(days=days_ago, minutes=5))
    answer(school.ben, school.words["cat"], now - timedelta(days=9), correct=False)

    response = client.get(
        f"/api/classes/{school.classroom.id}/dashboard", headers=tokens["teacher"]
    )

    assert response.status_code == 200, response.text
    board = response.json()
    roster = {row["display_name"]: row for row in board["roster"]}
    assert (roster["Ana"]["at_risk"], roster["Ana"]["risk_reasons"]) == (False, [])
    assert roster["Ana"]["reviews_30"] == 3
    assert roster["Ben"]["at_risk"] is True
    assert roster["Ben"]["risk_reasons"] == ["Inactive 9 days"]
    assert board["at_risk"] == 1
    assert board["rules"]["inactive_days"] == 7
    assert len(board["days"]) == 30
    [missed] = board["missed_words"]
    assert (missed["term"], missed["misses"], missed["by_learner"]) == (
        "猫",
        1,
        [{"learner_id": school.ben.id, "misses": 1}],
    )


def test_another_teachers_class_is_404_and_a_learner_gets_403(client, school, tokens) -> None:
    path = f"/api/classes/{school.classroom.id}/dashboard"
    other = client.get(path, headers=tokens["other_teacher"])
    assert other.status_code == 404
    assert other.json() == {"detail": "That class does not exist.", "field": None}
    assert client.get(path, headers=tokens["ana"]).status_code == 403
    assert client.get(path).status_code == 401
    assert client.get("/api/classes/999999/dashboard", headers=tokens["teacher"]).status_code == 404


def test_the_drill_down_shows_a_learner_of_the_class_and_refuses_anyone_else(
    client,
    school,
    tokens,
    answer,
) -> None:
    answer(school.ana, school.words["cat"], _now() - timedelta(hours=1))
    base = f"/api/classes/{school.classroom.id}/learners"

    mine = client.get(f"{base}/{school.ana.id}/progress", headers=tokens["teacher"])
    assert mine.status_code == 200, mine.text
    assert mine.json()["display_name"] == "Ana"

    outsider = client.get(f"{base}/{school.olga.id}/progress", headers=tokens["teacher"])
    assert outsider.status_code == 404
    assert outsider.json()["detail"] == "That learner is not in this class."
    # Olga's own teacher still can't reach her through a class that isn't hers.
    theirs = client.get(f"{base}/{school.olga.id}/progress", headers=tokens["other_teacher"])
    assert theirs.status_code == 404


def test_assignments_are_set_graded_and_listed_for_the_learners(
    client,
    school,
    tokens,
    answer,
    session,
) -> None:
    base = f"/api/classes/{school.classroom.id}/assignments"
    typing = activities.get_activity_by_slug(session, "typing")
    due = (_now() + timedelta(days=2)).replace(microsecond=0)
    created = client.post(
        base,
        json={
            "group_id": school.groups["food"].id,
            "due_at": due.isoformat(),
            "note": "Two words",
        },
        headers=tokens["teacher"],
    )
    assert created.status_code == 201, created.text
    assignment = created.json()
    assert (assignment["group_name"], assignment["words"], assignment["activity_name"]) == (
        "Food",
        2,
        None,
    )
    for word in ("water", "rice"):
        answer(school.ana, school.words[word], _now())
    answer(school.ben, school.words["water"], _now())

    grid = client.get(f"{base}/completion", headers=tokens["teacher"]).json()
    states = {(c["learner_id"], c["state"]) for c in grid["cells"]}
    assert states == {(school.ana.id, "done"), (school.ben.id, "in_progress")}

    changed = client.patch(
        f"{base}/{assignment['id']}",
        json={"activity_id": typing.id, "note": "In Typing"},
        headers=tokens["teacher"],
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["activity_name"], changed.json()["note"]) == ("Typing", "In Typing")
    grid = client.get(f"{base}/completion", headers=tokens["teacher"]).json()
    assert {c["state"] for c in grid["cells"]} == {"not_started"}  # none of it was typed

    [mine] = client.get("/api/me/assignments", headers=tokens["ana"]).json()
    assert (mine["class_name"], mine["assignment"]["group_name"]) == ("Japanese 1", "Food")
    assert client.get("/api/me/assignments", headers=tokens["olga"]).json() == []
    started = client.post(f"/api/me/assignments/{assignment['id']}/start", headers=tokens["ana"])
    assert started.status_code == 201
    assert started.json()["url"].startswith("/study/typing?group_id=")
    refused = client.post(f"/api/me/assignments/{assignment['id']}/start", headers=tokens["olga"])
    assert refused.status_code == 404

    assert client.get(base, headers=tokens["other_teacher"]).status_code == 404
    assert (
        client.delete(f"{base}/{assignment['id']}", headers=tokens["other_teacher"]).status_code
        == 404
    )
    assert client.delete(f"{base}/{assignment['id']}", headers=tokens["teacher"]).status_code == 204
    assert client.get(base, headers=tokens["teacher"]).json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_at": "2020-01-01T09:00:00Z"}, "due_at"),
        ({"due_at": "next friday"}, "due_at"),
        ({"group_id": None}, "group_id"),
        ({"group_id": 0}, "group_id"),
        ({"group_id": 999_999}, "group_id"),
        ({"activity_id": 999_999}, "activity_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_assignment_is_422_naming_the_field(client, school, tokens, body, field) -> None:
    values = {
        "group_id": school.groups["animals"].id,
        "due_at": (_now() + timedelta(days=1)).isoformat(),
        **body,
    }
    values = {k: v for k, v in values.items() if not (k == "group_id" and v is None)}
    response = client.post(
        f"/api/classes/{school.classroom.id}/assignments", json=values, headers=tokens["teacher"]
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_a_group_is_made_from_the_missed_words(client, school, tokens) -> None:
    ids = [school.words["cat"].id, school.words["dog"].id]
    response = client.post(
        f"/api/classes/{school.classroom.id}/missed-words/group",
        json={"word_ids": ids, "name": "Animals again"},
        headers=tokens["teacher"],
    )
    assert response.status_code == 201, response.text
    assert (response.json()["name"], response.json()["word_count"]) == ("Animals again", 2)
    group = client.get(f"/api/groups/{response.json()['id']}", headers=tokens["teacher"]).json()
    assert group["word_count"] == 2
    empty = client.post(
        f"/api/classes/{school.classroom.id}/missed-words/group",
        json={"word_ids": []},
        headers=tokens["teacher"],
    )
    assert (empty.status_code, empty.json()["field"]) == (422, "word_ids")
