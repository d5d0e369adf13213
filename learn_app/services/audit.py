"""The security trail: every event is a row in `audit_event` and a JSON log line."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from learn_app.logging import get_logger
from learn_app.models import AuditEvent
from learn_app.services.after_commit import after_commit

log = get_logger("learn_app.audit")


def record(
    session: Session,
    event: str,
    *,
    user_id: int | None = None,
    actor_id: int | None = None,
    ip: str = "",
    **detail: Any,
) -> None:
    """Add the event to the caller's transaction; it commits with the caller's work, and only
    then is it logged — a change that is rolled back leaves no audit line anywhere."""
    row = AuditEvent(event=event, user_id=user_id, actor_id=actor_id, ip=ip[:64], detail=detail)
    session.add(row)
    after_commit(
        session,
        ("audit", id(row)),
        lambda: log.info(event, user_id=user_id, actor_id=actor_id, ip=ip, **detail),
    )
