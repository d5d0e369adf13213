"""Audit and model-call rows are removed once past their retention, the rest kept; `cli prune`
does it for an operator and says how many went."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import select

from learn_app.config import get_settings
from learn_app.models import AuditEvent, LlmCall
from learn_app.models.base import utcnow
from learn_app.services.accounts import retention


def _store(session, *, audit_days_ago: list[int], call_days_ago: list[int]) -> None:
    now = utcnow()
    for days in audit_days_ago:
        session.add(AuditEvent(event=f"test.{days}", created_at=now - timedelta(days=days)))
    for days in call_days_ago:
        session.add(
            LlmCall(
                created_at=now - timedelta(days=days),
                provider="anthropic",
                model=f"m{days}",
                purpose="tutor",
                outcome="ok",
            )
        )
    session.commit()


@pytest.fixture
def retention_days(monkeypatch):
    def keep(audit: int, calls: int) -> None:
        monkeypatch.setenv("LEARN_AUDIT_RETENTION_DAYS", str(audit))
        monkeypatch.setenv("LEARN_LLM_CALL_RETENTION_DAYS", str(calls))
        get_settings.cache_clear()

    return keep


def test_rows_past_their_retention_go_and_the_rest_stay(session, retention_days):
    retention_days(audit=365, calls=30)
    _store(session, audit_days_ago=[400, 366, 364, 1], call_days_ago=[31, 29, 0])

    pruned = retention.prune(session)
    session.commit()

    assert (pruned.audit_events, pruned.llm_calls) == (2, 1)
    assert sorted(session.exec(select(AuditEvent.event)).all()) == ["test.1", "test.364"]
    assert sorted(session.exec(select(LlmCall.model)).all()) == ["m0", "m29"]


def test_zero_keeps_rows_for_ever(session, retention_days):
    retention_days(audit=0, calls=0)
    _store(session, audit_days_ago=[4000], call_days_ago=[4000])

    pruned = retention.prune(session)
    session.commit()

    assert (pruned.audit_events, pruned.llm_calls) == (0, 0)
    assert (
        len(session.exec(select(AuditEvent)).all()) == len(session.exec(select(LlmCall)).all()) == 1
    )


def test_a_day_of_model_calls_is_too_short_for_the_daily_budget(retention_days):
    with pytest.raises(ValueError, match="at least 2 days"):
        retention_days(audit=365, calls=1)
        get_settings()


def test_cli_prune_removes_old_rows_and_says_how_many(session):
    _store(session, audit_days_ago=[500, 2], call_days_ago=[200, 2])

    result = subprocess.run(
        [sys.executable, "-m", "learn_app.cli", "prune"],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "LEARN_AUDIT_RETENTION_DAYS": "365",
            "LEARN_LLM_CALL_RETENTION_DAYS": "180",
        },
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Removed 1 audit events older than 365 days." in result.stdout
    assert "Removed 1 model calls older than 180 days." in result.stdout
    session.expire_all()
    assert session.exec(select(AuditEvent.event)).all() == ["test.2"]
    assert session.exec(select(LlmCall.model)).all() == ["m2"]
