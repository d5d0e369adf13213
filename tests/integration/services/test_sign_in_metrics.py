"""`learn_app_sign_ins_total{outcome}` counts the sign-ins the auth service audits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

import learn_app
from learn_app.ops.metrics import SIGN_IN_OUTCOMES
from learn_app.services.accounts import auth
from learn_app.services.errors import NotAuthenticated

pytestmark = pytest.mark.integration


def sign_ins(outcome: str) -> float:
    return REGISTRY.get_sample_value("learn_app_sign_ins_total", {"outcome": outcome}) or 0.0


def test_every_counted_outcome_is_an_event_the_portal_records() -> None:
    source = "\n".join(
        path.read_text()
        for path in Path(learn_app.__file__).parent.rglob("*.py")
        if path.name != "metrics.py"
    )
    recorded = set(re.findall(r'"(auth\.[a-z_]+)"', source))

    assert set(SIGN_IN_OUTCOMES) <= recorded, set(SIGN_IN_OUTCOMES) - recorded


def test_each_sign_in_outcome_is_counted_once_committed(session, make_user, password) -> None:
    active = make_user()
    disabled = make_user()
    disabled.is_active = False
    session.add(disabled)
    session.commit()
    before = {outcome: sign_ins(outcome) for outcome in ("success", "failure", "inactive")}

    auth.sign_in(session, email=active.email, password=password)
    session.commit()
    for email, typed in ((active.email, "wrong password"), (disabled.email, password)):
        with pytest.raises(NotAuthenticated):
            auth.sign_in(session, email=email, password=typed)

    after = {outcome: sign_ins(outcome) - before[outcome] for outcome in before}
    assert after == {"success": 1, "failure": 1, "inactive": 1}
