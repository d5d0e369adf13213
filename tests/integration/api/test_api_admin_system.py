"""GET /api/admin/system/usage: an admin's figures; 403 for anyone else."""

from datetime import UTC, datetime

from tests.fixtures.answers import store_answers


def test_learners_and_teachers_are_refused_the_usage(client, learner, teacher):
    for account in (learner, teacher):
        response = client.get("/api/admin/system/usage", headers=account.headers)
        assert response.status_code == 403
        assert response.json()["detail"] == "You don't have permission to do that."


def test_an_admin_reads_todays_answers_and_active_learners(client, session, admin, learner):
    store_answers(session, learner.id, [datetime.now(UTC)] * 4, "usage-api")

    response = client.get("/api/admin/system/usage", params={"days": 7}, headers=admin.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["days"] == 7 and len(body["active_learners"]) == 7
    assert body["active_learners"][-1] == {"day": datetime.now(UTC).date().isoformat(), "count": 1}
    assert body["answers_total"] == 4 and body["answers_per_hour"][-1]["count"] == 4
    assert body["cost_total_usd"] == 0


def test_a_window_longer_than_a_year_is_refused(client, admin):
    response = client.get("/api/admin/system/usage", params={"days": 400}, headers=admin.headers)
    assert response.status_code == 422
