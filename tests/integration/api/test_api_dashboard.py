"""/api/dashboard/*, /api/reset_history and /api/plan/*: the caller's own figures, exactly."""

from datetime import date, timedelta

import pytest

EMPTY_QUICK_STATS = {
    "success_rate": 0.0,
    "total_study_sessions": 0,
    "total_active_groups": 0,
    "study_streak_days": 0,
    "total_reviews": 0,
    "correct_reviews": 0,
}


def dashboard(client, account, what: str):
    response = client.get(f"/api/dashboard/{what}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def studied(learner, content, launch, answer):
    """Animals with flashcards (cat right, dog wrong), then Verbs with typing (to eat right)."""
    animals = launch(learner, content.groups["animals"])
    answer(learner, animals["id"], content.words["猫"], correct=True)
    answer(learner, animals["id"], content.words["犬"], correct=False)
    verbs = launch(learner, content.groups["verbs"], activity="typing")
    answer(learner, verbs["id"], content.words["食べる"], correct=True)
    return verbs


# ------------------------------------------------------------------------------ a new learner


def test_a_new_learner_has_no_last_study_session(client, learner):
    assert dashboard(client, learner, "last_study_session") is None


def test_a_new_learner_has_studied_none_of_the_available_words(client, learner, content):
    assert dashboard(client, learner, "study_progress") == {
        "total_words_studied": 0,
        "total_available_words": 4,
    }


def test_a_new_learner_has_empty_quick_stats(client, learner):
    assert dashboard(client, learner, "quick-stats") == EMPTY_QUICK_STATS


# ------------------------------------------------------------------------------ after studying


def test_the_last_study_session_is_the_one_started_most_recently(
    client, learner, activity_ids, studied
):
    last = dashboard(client, learner, "last_study_session")

    assert (last["id"], last["group_id"], last["group_name"]) == (
        studied["id"],
        studied["group_id"],
        "Verbs",
    )
    assert last["study_activity_id"] == activity_ids["typing"]
    assert last["created_at"] == studied["created_at"]
    assert (last["review_items_count"], last["correct_count"]) == (1, 1)


def test_reviews_show_in_quick_stats_exactly(client, learner, studied):
    assert dashboard(client, learner, "quick-stats") == {
        "success_rate": 66.7,
        "total_study_sessions": 2,
        "total_active_groups": 2,
        "study_streak_days": 1,
        "total_reviews": 3,
        "correct_reviews": 2,
    }


def test_reviews_show_in_study_progress_exactly(client, learner, studied):
    assert dashboard(client, learner, "study_progress") == {
        "total_words_studied": 3,
        "total_available_words": 4,
    }


def test_one_more_answer_moves_each_figure_by_exactly_one_answer(
    client, learner, content, studied, answer
):
    answer(learner, studied["id"], content.words["見る"], correct=False)

    stats = dashboard(client, learner, "quick-stats")
    assert (stats["total_reviews"], stats["correct_reviews"], stats["success_rate"]) == (4, 2, 50.0)
    assert dashboard(client, learner, "study_progress")["total_words_studied"] == 4


def test_answering_a_word_again_does_not_count_it_as_studied_twice(
    client, learner, content, studied, answer
):
    answer(learner, studied["id"], content.words["食べる"], correct=True)

    assert dashboard(client, learner, "study_progress")["total_words_studied"] == 3


def test_a_learners_figures_are_their_own(client, learner, new_account, content, studied):
    other = new_account()

    assert dashboard(client, other, "quick-stats") == EMPTY_QUICK_STATS
    assert dashboard(client, other, "study_progress")["total_words_studied"] == 0
    assert dashboard(client, other, "last_study_session") is None


def test_quick_stats_answer_to_both_lang_portal_spellings(client, learner, studied):
    assert dashboard(client, learner, "quick_stats") == dashboard(client, learner, "quick-stats")


# ------------------------------------------------------------------------------ reset


def test_resetting_history_says_what_it_forgot(client, learner, studied):
    response = client.post("/api/reset_history", headers=learner.headers)

    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "Study history has been reset.",
        "deleted_reviews": 3,
        "deleted_sessions": 2,
        "deleted_cards": 3,
    }


def test_resetting_history_empties_the_dashboard_and_the_sessions(client, learner, studied):
    client.post("/api/reset_history", headers=learner.headers)

    assert dashboard(client, learner, "quick-stats") == EMPTY_QUICK_STATS
    assert dashboard(client, learner, "study_progress")["total_words_studied"] == 0
    assert dashboard(client, learner, "last_study_session") is None
    sessions = client.get("/api/study_sessions", headers=learner.headers).json()
    assert sessions["items"] == []


def test_resetting_history_forgets_the_words_own_counts(client, learner, content, studied):
    client.post("/api/reset_history", headers=learner.headers)

    word = client.get(f"/api/words/{content.words['猫']}", headers=learner.headers).json()
    assert (word["correct_count"], word["wrong_count"]) == (0, 0)


def test_resetting_history_leaves_other_learners_alone(
    client, learner, new_account, content, launch, answer, studied
):
    other = new_account()
    theirs = launch(other, content.groups["animals"])
    answer(other, theirs["id"], content.words["猫"], correct=True)

    client.post("/api/reset_history", headers=learner.headers)

    assert dashboard(client, other, "quick-stats")["total_reviews"] == 1
    assert dashboard(client, other, "last_study_session")["id"] == theirs["id"]


# ------------------------------------------------------------------------------ plan


def test_todays_plan_offers_new_words_from_the_target_languages_groups(client, learner, content):
    response = client.get("/api/plan/today", headers=learner.headers)

    assert response.status_code == 200
    plan = response.json()
    assert (plan["due_count"], plan["new_count"], plan["total"]) == (0, 4, 4)
    assert plan["daily_goal"] == 20
    assert [(item["term"], item["kind"]) for item in plan["items"]] == [
        ("猫", "new"),
        ("犬", "new"),
        ("見る", "new"),
        ("食べる", "new"),
    ]


def test_an_answered_word_leaves_todays_plan_until_it_is_due(
    client, learner, content, launch, answer
):
    session = launch(learner, None)
    answer(learner, session["id"], content.words["猫"], correct=True)

    plan = client.get("/api/plan/today", headers=learner.headers).json()

    assert "猫" not in [item["term"] for item in plan["items"]]
    assert (plan["new_count"], plan["new_introduced_today"]) == (3, 1)


def test_todays_plan_lists_at_most_the_items_asked_for(client, learner, content):
    plan = client.get("/api/plan/today", params={"limit": 1}, headers=learner.headers).json()

    assert len(plan["items"]) == 1
    assert plan["total"] == 4


def test_the_forecast_has_a_day_for_each_day_asked_counting_answered_cards(
    client, learner, content, launch, answer
):
    session = launch(learner, None)
    answer(learner, session["id"], content.words["猫"], correct=False)

    response = client.get("/api/plan/forecast", params={"days": 7}, headers=learner.headers)

    assert response.status_code == 200
    days = response.json()["days"]
    first = date.fromisoformat(days[0]["day"])
    assert [date.fromisoformat(d["day"]) for d in days] == [
        first + timedelta(days=n) for n in range(7)
    ]
    assert sum(d["due_count"] for d in days) == 1


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/plan/forecast", {"days": 0}, "days"),
        ("/api/plan/forecast", {"days": 366}, "days"),
        ("/api/plan/today", {"limit": -1}, "limit"),
        ("/api/plan/today", {"limit": "all"}, "limit"),
    ],
)
def test_a_plan_parameter_out_of_range_is_a_422_naming_it(client, learner, path, params, field):
    response = client.get(path, params=params, headers=learner.headers)

    assert response.status_code == 422
    assert response.json()["field"] == field


# ------------------------------------------------------------------------------ tokens


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/dashboard/last_study_session"),
        ("GET", "/api/dashboard/study_progress"),
        ("GET", "/api/dashboard/quick-stats"),
        ("POST", "/api/reset_history"),
        ("GET", "/api/plan/today"),
        ("GET", "/api/plan/forecast"),
        ("GET", "/api/study_sessions"),
    ],
)
def test_each_study_endpoint_needs_a_token(client, method, path):
    response = client.request(method, path)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
