"""A session started from Progress's hardest words is headed for what it is, not as today's
plan, wherever the learner sees it (the running session, the sessions list, the Dashboard)."""

from __future__ import annotations

import pytest

from learn_app.services.study import activities, session_history
from learn_app.services.study import sessions as study
from learn_app.state.study_sessions import session_items
from tests.integration.analytics.conftest import NOW

pytestmark = pytest.mark.integration


def test_a_session_of_the_hardest_words_is_headed_hardest_words(session, learner, words) -> None:
    flashcards = activities.get_activity_by_slug(session, "flashcards")
    plan = study.start_session(session, learner, flashcards.id, None, now=NOW)
    hardest = study.start_session(
        session, learner, flashcards.id, None, word_ids=[words[3].id, words[1].id], now=NOW
    )
    session.commit()

    assert session_history.session_heading(hardest) == "Hardest words"
    assert session_history.session_heading(plan) == "Today's plan"
    assert session_history.session_row(session, learner, hardest.id).heading == "Hardest words"
    assert session_history.session_row(session, learner, plan.id).heading == "Today's plan"
    assert session_history.last_session(session, learner).heading == "Hardest words"
    rows = session_history.list_sessions(session, learner).items
    items = {item.id: item.group_name for item in session_items(rows, "UTC")}
    assert items == {hardest.id: "Hardest words", plan.id: "Today's plan"}
