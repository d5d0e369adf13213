"""The class dashboard's and the drill-down's event handlers — what the browser's websocket
events run — refuse a class or learner the signed-in teacher may not see, and show the ones
they may. The handlers run on real states over the real database, signed in with real tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import reflex as rx
from integration.teaching.conftest import PASSWORD

from learn_app.db import session_scope
from learn_app.services.accounts import auth
from learn_app.state.class_dashboard import (
    ClassDashboardState,
    LearnerDrillDownState,
    read_board,
    roster_csv,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def page_state(request_session) -> Callable[..., rx.State]:
    """The page's state, in a fresh state tree, signed in as `user` and opened at `path`."""

    def open_page(state_class: type[rx.State], user, path: str) -> rx.State:
        root = rx.State(_reflex_internal_init=True)
        root._update_router_vars({"pathname": path, "asPath": path, "query": {}}, {})
        state = root.get_substate(state_class.get_full_name().split(".")[1:])
        with request_session() as session:
            state.token = auth.sign_in(session, email=user.email, password=PASSWORD).token
        return state

    return open_page


@pytest.fixture
def request_session(engine):
    return session_scope


def _run(handler, state: rx.State):
    """Run an event handler as Reflex does: its function on the state, returning its events."""
    return handler.fn(state)


def test_the_drill_down_handler_refuses_a_learner_outside_the_class(school, page_state) -> None:
    path = f"/teacher/classes/{school.classroom.id}/learners/{school.olga.id}"
    state = page_state(LearnerDrillDownState, school.teacher, path)

    follow_up = _run(LearnerDrillDownState.load, state)

    assert state.missing == "That learner is not in this class."
    assert (state.learner_name, state.progress_loaded) == ("", False)
    assert follow_up is None  # the charts are never read


def test_the_drill_down_handler_opens_a_learner_of_the_class(school, page_state) -> None:
    path = f"/teacher/classes/{school.classroom.id}/learners/{school.ana.id}"
    state = page_state(LearnerDrillDownState, school.teacher, path)

    follow_up = _run(LearnerDrillDownState.load, state)

    assert (state.missing, state.learner_name, state.class_name) == ("", "Ana", "Japanese 1")
    assert follow_up is LearnerDrillDownState.load_figures


def test_the_dashboard_handler_refuses_another_teachers_class(school, page_state) -> None:
    state = page_state(
        ClassDashboardState, school.other_teacher, f"/teacher/classes/{school.classroom.id}"
    )

    follow_up = _run(ClassDashboardState.load, state)

    assert state.missing == "That class does not exist."
    assert (state.class_name, state.roster, follow_up) == ("", [], None)


def test_the_dashboard_handler_shows_its_own_class_sorted_and_as_csv(
    school, page_state, answer
) -> None:
    now = datetime.now(UTC)
    answer(school.ana, school.words["cat"], now - timedelta(minutes=5))
    answer(school.ben, school.words["cat"], now - timedelta(days=10))
    path = f"/teacher/classes/{school.classroom.id}"
    state = page_state(ClassDashboardState, school.teacher, path)

    assert _run(ClassDashboardState.load, state) is ClassDashboardState.load_board
    state._show(read_board(state.token, school.classroom.id))  # what load_board reads

    assert [(r.name, r.at_risk, r.reasons) for r in state.roster] == [
        ("Ben", True, "Inactive 10 days"),
        ("Ana", False, ""),
    ]
    ClassDashboardState.sort_by.fn(state, "name")
    assert [r.name for r in state.roster] == ["Ana", "Ben"]
    ClassDashboardState.sort_by.fn(state, "name")
    assert [r.name for r in state.roster] == ["Ben", "Ana"]
    lines = roster_csv(state._board).splitlines()
    assert lines[0].startswith("Learner,Email,Last active (UTC)")
    assert lines[1].startswith("Ana,") and lines[1].endswith(",no,")
    assert lines[2].endswith(",yes,Inactive 10 days")
