"""How long the audit trail and the model-call ledger keep their rows.

`audit_event` (who did what, when, from which address) and `llm_call` (one row per model
call: who, which model, tokens, cost) are kept `audit_retention_days` and
`llm_call_retention_days` (settings; 0 keeps them for ever), then removed: by the backend
every few hours, and by `python -m learn_app.cli prune`. Several backend workers may run it at
once; an advisory lock lets one of them do the work and the others skip it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, text
from sqlmodel import Session, col

from learn_app.config import get_settings
from learn_app.db import session_scope
from learn_app.logging import get_logger
from learn_app.models import AuditEvent, LlmCall
from learn_app.models.base import utcnow

log = get_logger("learn_app.retention")

# The backend's own runs: soon after it starts, then every few hours.
FIRST_RUN_AFTER_SECONDS = 60.0
EVERY_SECONDS = 6 * 3600.0

# pg_advisory_xact_lock key: "retention" spelt in ASCII, so no other lock collides with it.
_LOCK_KEY = int.from_bytes(b"retentio", "big") & 0x7FFF_FFFF_FFFF_FFFF


@dataclass(frozen=True)
class Pruned:
    audit_events: int
    llm_calls: int
    # False when another process was pruning at that moment (and this one did nothing).
    ran: bool = True


def prune(session: Session, *, now: datetime | None = None) -> Pruned:
    """Remove the rows older than their retention; the caller commits."""
    got_lock = session.exec(  # type: ignore[call-overload]
        text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=_LOCK_KEY)
    ).scalar()
    if not got_lock:
        return Pruned(audit_events=0, llm_calls=0, ran=False)
    settings = get_settings()
    now = now or utcnow()
    audit_events = llm_calls = 0
    if settings.audit_retention_days:
        cutoff = now - timedelta(days=settings.audit_retention_days)
        audit_events = _delete(
            session, delete(AuditEvent).where(col(AuditEvent.created_at) < cutoff)
        )
    if settings.llm_call_retention_days:
        cutoff = now - timedelta(days=settings.llm_call_retention_days)
        llm_calls = _delete(session, delete(LlmCall).where(col(LlmCall.created_at) < cutoff))
    return Pruned(audit_events=audit_events, llm_calls=llm_calls)


def _delete(session: Session, statement: object) -> int:
    return int(session.exec(statement).rowcount or 0)  # type: ignore[call-overload]


def prune_now() -> Pruned:
    """Prune in a transaction of its own, and log what went."""
    with session_scope() as session:
        pruned = prune(session)
    if pruned.audit_events or pruned.llm_calls:
        log.info("retention.pruned", audit_events=pruned.audit_events, llm_calls=pruned.llm_calls)
    return pruned


async def prune_periodically() -> None:
    """A lifespan task of the backend: prune, then again every `EVERY_SECONDS`. A failure
    (the database away for a moment) is logged and tried again at the next turn."""
    await asyncio.sleep(FIRST_RUN_AFTER_SECONDS)
    while True:
        try:
            await asyncio.to_thread(prune_now)
        except Exception:
            log.exception("retention.prune_failed")
        await asyncio.sleep(EVERY_SECONDS)
