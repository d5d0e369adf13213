"""Work that must happen only once a transaction has committed: one mechanism for all of it.

Re-indexing changed content, fitting a learner's scheduler, writing the audit trail's log
lines — each must not run for a change that is rolled back, and each should run once however
many times the transaction asked for it. `after_commit(session, key, fn)` keeps the pending
work in `session.info` under `key`; a commit runs every pending call in the order they were
asked for, and a rollback forgets them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from learn_app.logging import get_logger

log = get_logger("learn_app.after_commit")

_PENDING = "after_commit_pending"


def after_commit(session: Session, key: Hashable, fn: Callable[[], None]) -> None:
    """Run `fn` once this session's transaction commits; again under the same `key` is a no-op.

    Nothing runs if the transaction rolls back. An `fn` that raises is logged, not re-raised:
    the transaction has already committed, and the other pending work still runs.
    """
    if not session.in_transaction():
        session.begin()  # what a rollback forgets must belong to a transaction
    if not event.contains(session, "after_commit", _run_pending):
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_soft_rollback", _forget_pending)
    pending: dict[Hashable, Callable[[], None]] = session.info.setdefault(_PENDING, {})
    pending.setdefault(key, fn)


def is_pending(session: Session, key: Hashable) -> bool:
    return key in session.info.get(_PENDING, {})


def _run_pending(session: Session) -> None:
    for key, fn in list(session.info.pop(_PENDING, {}).items()):
        try:
            fn()
        except Exception:
            log.exception("after_commit.failed", key=str(key))


def _forget_pending(session: Session, previous_transaction: Any) -> None:
    """Any rollback of the whole transaction, even one that sent nothing to the database; a
    rolled-back savepoint keeps the work of the transaction around it."""
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
