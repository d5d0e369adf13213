"""Admin → System as the browser's event runs it: real state, real database, real tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import reflex as rx

from learn_app.db import session_scope
from learn_app.models import User
from learn_app.services.accounts import auth
from learn_app.state.admin_system import DAYS, SystemState
from tests.fixtures.answers import store_answers

pytestmark = pytest.mark.integration


@pytest.fixture
def page(engine, password):
    def open_page(user: User) -> Any:
        root = rx.State(_reflex_internal_init=True)
        root._update_router_vars({"pathname": "/admin", "asPath": "/admin", "query": {}}, {})
        state = root.get_substate(SystemState.get_full_name().split(".")[1:])
        with session_scope() as session:
            state.token = auth.sign_in(session, email=user.email, password=password).token
        return state

    return open_page


def test_a_learner_gets_no_figures_only_the_refusal(page, learner):
    state = page(learner)

    SystemState.load_system.fn(state)

    assert state.system_denied == "You don't have permission to do that."
    assert state.health == [] and state.usage_reading == ""


def test_an_admin_sees_the_health_and_the_answers_counted(page, admin, learner, session):
    store_answers(session, learner.id, [datetime.now(UTC)] * 5, "system-page")
    state = page(admin)

    SystemState.load_system.fn(state)

    assert state.system_loaded and state.system_denied == ""
    pieces = {row.name: row for row in state.health}
    assert pieces["Database"].ok and pieces["Database"].detail == "answers"
    assert set(pieces) == {"Database", "Redis", "Backend workers", "Frontend build", "Answer time"}
    assert state.learners_empty == "" and state.answers_empty == ""
    assert state.models_empty.startswith("No calls to a model")
    assert "5 answers in the last 48 hours" in state.usage_reading
    assert f"Busiest of the last {DAYS} days: 1 learner;" in state.usage_reading
    assert list(state.answers_figure.data[0].y)[-1] == 5
