"""Prometheus metrics of the portal, for `/metrics` on the backend.

What is counted is read where it becomes true: a review, a sign-in or an LLM call counts when
its row is committed (SQLAlchemy session events), so no service needs to know about metrics
and a rolled-back transaction counts nothing. Requests and Reflex events are timed by the
request middleware and the event middleware; pool use by the engine's pool events.

With several backend workers the supervisor sets PROMETHEUS_MULTIPROC_DIR and every worker
writes its samples there; a scrape of any worker adds them all up.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Metric,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUEST_SECONDS = Histogram(
    "learn_app_http_request_duration_seconds",
    "Time to answer an HTTP request to the backend, by route template.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
EVENT_SECONDS = Histogram(
    "learn_app_event_duration_seconds",
    "Time from a page event reaching the backend to its first state update.",
    ["handler"],
    buckets=LATENCY_BUCKETS,
)
REVIEWS = Counter("learn_app_reviews_recorded_total", "Reviews stored.", ["rating"])
SIGN_INS = Counter("learn_app_sign_ins_total", "Sign-in attempts by outcome.", ["outcome"])
AUDIT_EVENTS = Counter("learn_app_audit_events_total", "Audit events stored.", ["event"])
LLM_CALLS = Counter(
    "learn_app_llm_calls_total", "Calls to a model provider.", ["provider", "purpose", "outcome"]
)
LLM_TOKENS = Counter("learn_app_llm_tokens_total", "Model tokens used.", ["provider", "kind"])
LLM_COST = Counter("learn_app_llm_cost_usd_total", "Model spend in US dollars.", ["provider"])
LLM_FALLBACKS = Counter(
    "learn_app_llm_fallbacks_total",
    "Answers given by the offline rules instead of a model, by reason.",
    ["reason"],
)
DB_CONNECTIONS_IN_USE = Gauge(
    "learn_app_db_connections_in_use",
    "Database connections checked out of the pool.",
    multiprocess_mode="livesum",
)
DB_CONNECTIONS_OPEN = Gauge(
    "learn_app_db_connections_open",
    "Database connections the pool holds open.",
    multiprocess_mode="livesum",
)

# The audit events `services.accounts.auth.sign_in` records, by outcome. A sign-in held back by
# the back-off is answered before the database is touched, so it is neither audited nor
# counted here (the request metric shows those 429s).
SIGN_IN_OUTCOMES = {
    "auth.signed_in": "success",
    "auth.sign_in_failed": "failure",
    "auth.sign_in_refused_inactive": "inactive",
}
FALLBACK_OUTCOMES = {"error", "fallback", "budget"}
_PENDING = "learn_app_metrics_pending"


def _registry() -> CollectorRegistry:
    """Every worker's samples (or this process's alone)."""
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY

    return REGISTRY


def render() -> tuple[bytes, str]:
    """The exposition text of every worker (or of this process alone)."""
    return generate_latest(_registry()), CONTENT_TYPE_LATEST


def collect() -> list[Metric]:
    """The metric families of every worker (or of this process alone), to read figures from."""
    return list(_registry().collect())


def worker_exited(pid: int) -> None:
    """Drop a dead worker's live gauges (its counters stay in the totals)."""
    if os.environ.get(MULTIPROCESS_ENV):
        prometheus_multiprocess.mark_process_dead(pid)


def _count_committed(rows: list[Any]) -> None:
    from learn_app.models import AuditEvent, LlmCall, Review

    for row in rows:
        if isinstance(row, Review):
            REVIEWS.labels(rating=str(row.rating or "none")).inc()
        elif isinstance(row, AuditEvent):
            AUDIT_EVENTS.labels(event=row.event).inc()
            if row.event in SIGN_IN_OUTCOMES:
                SIGN_INS.labels(outcome=SIGN_IN_OUTCOMES[row.event]).inc()
        elif isinstance(row, LlmCall):
            LLM_CALLS.labels(row.provider, row.purpose, row.outcome).inc()
            LLM_TOKENS.labels(row.provider, "input").inc(row.input_tokens or 0)
            LLM_TOKENS.labels(row.provider, "output").inc(row.output_tokens or 0)
            if row.cost_usd:
                LLM_COST.labels(row.provider).inc(row.cost_usd)
            if row.outcome in FALLBACK_OUTCOMES:
                LLM_FALLBACKS.labels(reason=row.outcome).inc()


def _after_flush(session: Session, _context: Any) -> None:
    from learn_app.models import AuditEvent, LlmCall, Review

    counted = [row for row in session.new if isinstance(row, Review | AuditEvent | LlmCall)]
    if counted:
        session.info.setdefault(_PENDING, []).extend(counted)


def _after_commit(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        _count_committed(rows)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


_installed_sessions = False


def watch_sessions() -> None:
    """Count committed rows of every session in this process (once)."""
    global _installed_sessions
    if _installed_sessions:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed_sessions = True


def watch_pool(engine: Engine) -> None:
    """Keep the connection gauges in step with the engine's pool."""
    event.listen(engine, "connect", lambda *_: DB_CONNECTIONS_OPEN.inc())
    event.listen(engine, "close", lambda *_: DB_CONNECTIONS_OPEN.dec())
    event.listen(engine, "checkout", lambda *_: DB_CONNECTIONS_IN_USE.inc())
    event.listen(engine, "checkin", lambda *_: DB_CONNECTIONS_IN_USE.dec())
